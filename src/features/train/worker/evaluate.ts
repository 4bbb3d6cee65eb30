/** Evaluation of a run's model on one split: accuracy, loss, confusion matrix, per-class accuracy, mistakes. */
import * as tf from '@tensorflow/tfjs';
import { getSplit, readImages, splitIndices } from '../../../db/datasets';
import type { LabDatabase } from '../../../db/open';
import type { SplitName } from '../../../shared/protocol';
import type { Evaluation } from '../shared/protocol';
import { streamBatches } from '../../../ml/data/batchStream';
import { crossEntropy, toInput } from '../../../ml/trainStep';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { abortPoint } from '../../../ml/abortPoint';

const MAX_MISCLASSIFIED = 48;

export async function evaluateModel(
  db: LabDatabase,
  model: tf.LayersModel,
  runId: string,
  datasetId: string,
  numClasses: number,
  split: SplitName,
  onProgress: (p: { done: number; total: number }) => void = () => {},
  signal?: AbortSignal,
): Promise<Evaluation> {
  const splitRecord = await getSplit(db, datasetId);
  if (!splitRecord) throw new Error('dataset has no split');
  const total = splitIndices(splitRecord, split).length;
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const wrong: Array<{ index: number; label: number; predicted: number; confidence: number }> = [];
  let lossSum = 0;
  let done = 0;
  for await (const batch of streamBatches(db, datasetId, splitRecord, {
    split,
    batchSize: 64,
    shuffle: false,
    seed: 0,
  })) {
    await abortPoint(signal);
    const x = toInput(batch.pixels, batch.count);
    const y = tf.tensor1d(batch.labels, 'int32');
    const probs = model.predict(x) as tf.Tensor2D;
    const loss = crossEntropy(probs, y, numClasses);
    const [p, l] = await Promise.all([probs.data(), loss.data()]);
    tf.dispose([x, y, probs, loss]);
    lossSum += l[0] * batch.count;
    for (let k = 0; k < batch.count; k++) {
      let best = 0;
      for (let c = 1; c < numClasses; c++) if (p[k * numClasses + c] > p[k * numClasses + best]) best = c;
      const label = batch.labels[k];
      confusion[label][best]++;
      if (best !== label)
        wrong.push({ index: batch.indices[k], label, predicted: best, confidence: p[k * numClasses + best] });
    }
    done += batch.count;
    onProgress({ done, total });
  }
  // The most confident mistakes are the most instructive ones.
  wrong.sort((a, b) => b.confidence - a.confidence);
  const shown = wrong.slice(0, MAX_MISCLASSIFIED);
  const { pixels } = await readImages(
    db,
    datasetId,
    shown.map((w) => w.index),
  );
  const n = PIXELS_PER_IMAGE;
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  return {
    runId,
    split,
    count: done,
    accuracy: done ? correct / done : NaN,
    loss: done ? lossSum / done : NaN,
    confusion,
    perClassAccuracy: confusion.map((row, i) => {
      const rowTotal = row.reduce((a, b) => a + b, 0);
      return rowTotal ? row[i] / rowTotal : NaN;
    }),
    misclassified: shown.map((w, k) => ({ ...w, pixels: pixels.slice(k * n, (k + 1) * n) })),
  };
}
