/**
 * Dataset zip on the Data page: export the selected dataset in the Keras `image_dataset_from_directory`
 * layout (train/ test/ validation/ class folders of PNG crops + manifest.json), and import such a zip as a
 * new dataset — how a user moves to Python, or to another browser. The work runs in the ingest worker.
 */
import { useState } from 'react';
import { exportDatasetZip, importDatasetZip } from '../../bridge/ingestBridge';
import type { DatasetRecord } from '../../db/schema';
import { refreshLists, selectDataset } from '../../store/actions';
import { downloadBytes } from '../../ui/download';
import { ProgressBar } from '../../ui/ProgressBar';
import { errorMessage } from '../../shared/errorMessage';

export function DatasetZip({ selected }: { selected: DatasetRecord | null }) {
  const [busy, setBusy] = useState<{ label: string; done: number; total: number } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (label: string, work: (onProgress: (p: { done: number; total: number }) => void) => Promise<string>) => {
    setBusy({ label, done: 0, total: 0 });
    setError(null);
    setStatus(null);
    try {
      setStatus(await work((p) => setBusy({ label, done: p.done, total: p.total })));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const onExport = () =>
    selected &&
    void run('Exporting', async (onProgress) => {
      const bytes = await exportDatasetZip(selected.id, onProgress);
      const name = selected.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';
      downloadBytes(bytes, `${name}.zip`, 'application/zip');
      return `Exported ${selected.name} (${(bytes.length / 1e6).toFixed(1)} MB).`;
    });

  const onImport = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void run('Importing', async (onProgress) => {
      const r = await importDatasetZip(file, onProgress);
      await refreshLists();
      selectDataset(r.datasetId);
      const skipped = r.report.length ? ` Skipped: ${r.report.map((l) => `${l.file} (${l.reason})`).join('; ')}.` : '';
      return `Imported ${r.count} images from ${file.name}.${skipped}`;
    });
  };

  return (
    <section className="card" aria-label="Dataset zip">
      <h3>Dataset zip</h3>
      <p>
        A zip in the layout Keras&apos; <code>image_dataset_from_directory</code> reads (<code>train/</code>, <code>test/</code>,{' '}
        <code>validation/</code>, one folder of 64×64 PNG crops per class) with a <code>manifest.json</code> of splits,
        boxes, scores and source photos. Faces rejected in review or collapsed as duplicates are left out.
      </p>
      <button disabled={!selected || busy !== null} onClick={onExport}>
        Export dataset zip
      </button>{' '}
      <label>
        Import dataset zip{' '}
        <input type="file" accept=".zip,application/zip" disabled={busy !== null} onChange={(e) => onImport(e.currentTarget)} />
      </label>
      {busy && <ProgressBar done={busy.done} total={busy.total} label={busy.label} />}
      {status && (
        <p role="status" aria-label="Dataset zip result">
          {status}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
