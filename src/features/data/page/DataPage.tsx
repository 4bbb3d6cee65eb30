/** Data page: the built-in synthetic lookalikes, photo-folder ingest, and the datasets in this browser. */
import { useEffect, useState } from 'react';
import { generateDemo, openDemo, selectDataset } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { readImages, type DatasetRecord } from '../../../store/records';
import { PixelImage } from '../../../ui/PixelImage';
import { ProgressBar } from '../../../ui/ProgressBar';
import { StorageUse } from '../../../ui/StorageUse';
import { PhotoIngest } from './PhotoIngest';
import { DatasetZip } from './DatasetZip';
import { LeakCheck } from './LeakCheck';
import { ReviewGrid } from './ReviewGrid';
import { NoiseSort, useNoiseBins } from './NoiseSort';
import { splitCountsLine, useSplit } from './useSplit';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

function DatasetDetails({ dataset }: { dataset: DatasetRecord }) {
  const split = useSplit(dataset.id);
  // Bumped when a noise sorting is stored: the report and the review grid re-read it.
  const [binsVersion, setBinsVersion] = useState(0);
  const noiseBins = useNoiseBins(dataset.id, binsVersion);
  const [samples, setSamples] = useState<Array<{ pixels: Uint8Array; label: number }>>([]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const n = Math.min(16, dataset.count);
      const { pixels, labels } = await readImages(
        dataset.id,
        Array.from({ length: n }, (_, i) => i),
      );
      if (!live) return;
      setSamples(
        Array.from({ length: n }, (_, i) => ({
          pixels: pixels.slice(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
          label: labels[i],
        })),
      );
    })();
    return () => {
      live = false;
    };
  }, [dataset.id, dataset.count]);
  return (
    <section aria-label="Dataset details">
      <h3>{dataset.name}</h3>
      <p>
        {dataset.count} {dataset.kind === 'photos' ? 'crops stored' : 'images'} · classes:{' '}
        {dataset.classNames.map((c, i) => `${c} ${dataset.classCounts[i] ?? 0}`).join(' · ')}
      </p>
      {split && (
        <p data-testid="split-counts">
          {splitCountsLine(split)} (seed {split.seed})
        </p>
      )}
      {dataset.kind === 'photos' && split && <LeakCheck datasetId={dataset.id} splitKey={split} />}
      {split && <NoiseSort dataset={dataset} record={noiseBins} onSorted={() => setBinsVersion((v) => v + 1)} />}
      {dataset.kind === 'photos' ? (
        <ReviewGrid dataset={dataset} noiseBins={noiseBins} />
      ) : (
        <div className="grid">
          {samples.map((s, i) => (
            <figure key={i}>
              <PixelImage pixels={s.pixels} label={`Sample ${i}: ${dataset.classNames[s.label]}`} />
              <figcaption>{dataset.classNames[s.label]}</figcaption>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}

export function DataPage() {
  const { datasets, selectedDatasetId, generation, lastGeneration, dataError } = useLab();
  const [count, setCount] = useState(2000);
  const selected = datasets.find((d) => d.id === selectedDatasetId) ?? null;
  const demo = useLab((s) => s.demo);
  return (
    <div className="page">
      <h2>Data</h2>
      {(datasets.length === 0 || demo.status !== 'idle') && (
        <section className="card" aria-label="Demo">
          <h3>New here? Open the demo</h3>
          <p>
            The synthetic lookalikes and a compact model already trained on them (shipped with the app): look inside it
            and fool it at once, no training needed. Nothing leaves this browser.
          </p>
          <button disabled={demo.status === 'installing'} onClick={() => void openDemo()}>
            Open the demo
          </button>
          {demo.status === 'installing' && <span role="status"> Installing the demo…</span>}
          {demo.status === 'ready' && demo.ms !== null && (
            <span role="status"> Demo ready ({(demo.ms / 1000).toFixed(1)} s).</span>
          )}
          {demo.error && <p role="alert">{demo.error}</p>}
        </section>
      )}
      <section className="card">
        <h3>Built-in synthetic lookalikes</h3>
        <p>
          Two made-up people, “Asha” and “Bela”, drawn with the same skin, hair, background, pose and light; only eye
          shape, nose width and lip thickness differ, with overlap. Each image has ground-truth region masks. 80/20
          train/test split plus a separate validation set of one fifth the size.
        </p>
        <label>
          Number of images{' '}
          <input
            type="number"
            min={16}
            max={100000}
            step={16}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </label>{' '}
        <button
          className="primary"
          disabled={generation !== null}
          onClick={() => void generateDemo(Math.max(16, Math.floor(count)))}
        >
          Generate demo dataset
        </button>
        {generation && <ProgressBar done={generation.done} total={generation.total} label="Generating" />}
        {lastGeneration && (
          <p role="status">
            Generated {lastGeneration.count} images in {(lastGeneration.ms / 1000).toFixed(1)} s.
          </p>
        )}
        {dataError && <p role="alert">{dataError}</p>}
      </section>
      <PhotoIngest />
      <DatasetZip selected={selected?.complete ? selected : null} />
      <StorageUse refreshKey={datasets} />
      <section className="card">
        <h3>Datasets in this browser</h3>
        {datasets.length === 0 && (
          <p>None yet: open the demo, generate the synthetic lookalikes or add a photo folder above.</p>
        )}
        <ul className="list">
          {datasets.map((d) => (
            <li key={d.id}>
              <label>
                <input
                  type="radio"
                  name="dataset"
                  checked={d.id === selectedDatasetId}
                  disabled={!d.complete}
                  onChange={() => selectDataset(d.id)}
                />{' '}
                {d.name} — {d.count} images{' '}
                {d.complete
                  ? ''
                  : d.kind === 'photos'
                    ? '(incomplete: pick or drop the same folder again to continue)'
                    : '(incomplete: interrupted while writing)'}
              </label>
            </li>
          ))}
        </ul>
        {selected && <DatasetDetails dataset={selected} />}
      </section>
    </div>
  );
}
