/** Live loss and accuracy, per batch and per epoch (train vs test). */
import { useLab } from '../../../store/labStore';
import { LineChart } from '../../../ui/LineChart';
import { CHART } from '../../../ui/chartColors';

export function TrainingCharts() {
  const { batches, epochs } = useLab((s) => s.training);
  return (
    <div className="charts">
      <LineChart
        title="Loss per batch"
        xLabel="step"
        series={[{ name: 'train loss', color: CHART.orange, points: batches.map((b) => [b.step, b.loss]) }]}
      />
      <LineChart
        title="Accuracy per batch"
        xLabel="step"
        yMin={0}
        yMax={1}
        series={[{ name: 'train accuracy', color: CHART.blue, points: batches.map((b) => [b.step, b.accuracy]) }]}
      />
      <LineChart
        title="Loss per epoch"
        xLabel="epoch"
        series={[
          { name: 'train', color: CHART.orange, points: epochs.map((e) => [e.epoch, e.trainLoss]) },
          { name: 'test', color: CHART.purple, points: epochs.map((e) => [e.epoch, e.testLoss]) },
        ]}
      />
      <LineChart
        title="Accuracy per epoch"
        xLabel="epoch"
        yMin={0}
        yMax={1}
        series={[
          { name: 'train', color: CHART.blue, points: epochs.map((e) => [e.epoch, e.trainAccuracy]) },
          { name: 'test', color: CHART.green, points: epochs.map((e) => [e.epoch, e.testAccuracy]) },
        ]}
      />
      {epochs.length > 0 && (
        <table aria-label="Epochs" className="epochs">
          <thead>
            <tr>
              <th>Epoch</th>
              <th>Train loss</th>
              <th>Train acc.</th>
              <th>Test loss</th>
              <th>Test acc.</th>
              <th>Seconds</th>
              <th>Images/s</th>
            </tr>
          </thead>
          <tbody>
            {epochs.map((e) => (
              <tr key={e.epoch}>
                <td>{e.epoch}</td>
                <td>{e.trainLoss.toFixed(4)}</td>
                <td>{e.trainAccuracy.toFixed(3)}</td>
                <td>{e.testLoss.toFixed(4)}</td>
                <td data-testid={`test-accuracy-${e.epoch}`}>{e.testAccuracy.toFixed(3)}</td>
                <td>{e.seconds.toFixed(1)}</td>
                <td>{e.imagesPerSecond.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
