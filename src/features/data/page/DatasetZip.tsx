/**
 * Dataset zip on the Data page: export the selected dataset in the Keras `image_dataset_from_directory`
 * layout (train/ test/ validation/ class folders of PNG crops + manifest.json), and import such a zip as a
 * new dataset — how a user moves to Python, or to another browser. A plain Keras-layout zip without the
 * manifest is shown first (classes, counts, split), then imported the way the user picks: face crops used as
 * is, or photos through face detection. The work runs in the ingest worker.
 */
import { useState } from 'react';
import { exportDatasetZip, importDatasetZip } from '../../../bridge/ingestBridge';
import type { DatasetRecord } from '../../../store/records';
import type { IngestReportLine, PlainImportMode, ZipLayoutSummary } from '../shared/ingestProtocol';
import { refreshLists, selectDataset } from '../../../store/actions';
import { downloadBytes } from '../../../ui/download';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { showToast } from '../../../ui/toasts';

/** "2 classes: ann 12 · ben 13; split kept from its folders: train 20 · test 5" */
function layoutLine(l: ZipLayoutSummary): string {
  const classes = l.classNames.map((c, i) => `${c} ${l.perClass[i]}`).join(' · ');
  const { train, test, validation } = l.perSplit;
  const split =
    train + test > 0
      ? `split kept from its folders: train ${train} · test ${test} · validation ${validation}` +
        (test === 0 ? ' (train/ will be split 80/20 for a test set)' : '')
      : `no train/ test/ folders: the app splits it 80/20, keeping near copies on one side${validation > 0 ? `; validation ${validation}` : ''}`;
  return `${l.classNames.length} classes: ${classes}; ${split}.`;
}

function ReportList({ lines, label }: { lines: IngestReportLine[]; label: string }) {
  if (lines.length === 0) return null;
  return (
    <ul aria-label={label} className="list">
      {lines.map((line, i) => (
        <li key={i}>
          {line.file} — {line.reason}
        </li>
      ))}
    </ul>
  );
}

export function DatasetZip({ selected }: { selected: DatasetRecord | null }) {
  const [status, setStatus] = useState<string | null>(null);
  const [report, setReport] = useState<IngestReportLine[]>([]);
  const [plain, setPlain] = useState<{ file: File; layout: ZipLayoutSummary } | null>(null);
  const { job, busy, error, cancelled, run: runJob, cancel } = useWorkerJob();

  /** Runs one zip job in the ingest worker with progress and Cancel; `work` returns the line to show. */
  const run = (
    label: string,
    work: (onProgress: (p: { done: number; total: number }) => void, signal: AbortSignal) => Promise<string | null>,
    cancelNote?: string,
  ) => {
    setStatus(null);
    setReport([]);
    return runJob(
      label,
      async ({ signal, progress }) => setStatus(await work((p) => progress(p.done, p.total), signal)),
      cancelNote,
    );
  };

  const onExport = () =>
    selected &&
    void run('Exporting', async (onProgress, signal) => {
      const bytes = await exportDatasetZip(selected.id, onProgress, signal);
      const name = selected.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';
      downloadBytes(bytes, `${name}.zip`, 'application/zip');
      // A passing outcome (the file is in the downloads): a toast, not a result line that stays on the page.
      showToast(`Exported ${selected.name} as ${name}.zip (${(bytes.length / 1e6).toFixed(1)} MB).`);
      return null;
    });

  const importZip = (file: File, mode?: PlainImportMode) => {
    setPlain(null);
    // Finding faces stores them as it goes (resumable, like a photo folder); the other imports all or nothing.
    const note =
      mode === 'findFaces'
        ? 'The faces found so far are kept; import the same zip again to continue.'
        : 'Nothing was stored.';
    void run(
      mode === 'findFaces' ? 'Finding faces' : 'Importing',
      async (onProgress, signal) => {
        const r = await importDatasetZip(file, onProgress, mode, signal);
        if (r.kind === 'layout') {
          setPlain({ file, layout: r.layout });
          setReport(r.layout.report);
          return null;
        }
        await refreshLists();
        if (r.kind === 'faces') {
          const { result } = r;
          if (result.datasetId) selectDataset(result.datasetId);
          setReport(result.report);
          return (
            `Found ${result.crops} faces in ${result.photos} photos from ${file.name}` +
            (result.duplicates > 0 ? ` (${result.duplicates} duplicate crops left out).` : '.')
          );
        }
        const { imported } = r;
        selectDataset(imported.datasetId);
        if (!mode) {
          const skipped = imported.report.length
            ? ` Skipped: ${imported.report.map((l) => `${l.file} (${l.reason})`).join('; ')}.`
            : '';
          return `Imported ${imported.count} images from ${file.name}.${skipped}`;
        }
        setReport(imported.report);
        const split = imported.split
          ? `; train ${imported.split.train} · test ${imported.split.test} · validation ${imported.split.validation}`
          : '';
        return `Imported ${imported.count} face crops as is from ${file.name}${split}.`;
      },
      note,
    );
  };

  const onImport = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (file) importZip(file);
  };

  return (
    <section className="card" aria-label="Dataset zip">
      <h3>Dataset zip</h3>
      <p>
        A zip in the layout Keras&apos; <code>image_dataset_from_directory</code> reads (<code>train/</code>,{' '}
        <code>test/</code>, <code>validation/</code>, one folder of 64×64 PNG crops per class) with a{' '}
        <code>manifest.json</code> of splits, boxes, scores and source photos. Faces rejected in review or collapsed as
        duplicates are left out. A plain Keras zip without the manifest imports too: <code>&lt;class&gt;/</code> folders
        of images, or <code>train/&lt;class&gt;/</code> and <code>test/&lt;class&gt;/</code> (and{' '}
        <code>validation/</code> or <code>val/</code>).
      </p>
      <button disabled={!selected || busy} onClick={onExport}>
        Export dataset zip
      </button>{' '}
      <label>
        Import dataset zip{' '}
        <input type="file" accept=".zip,application/zip" disabled={busy} onChange={(e) => onImport(e.currentTarget)} />
      </label>
      {plain && (
        <div role="group" aria-label="Plain dataset zip">
          <p>
            <strong>{plain.file.name}</strong> has no manifest.json; read as a Keras folder layout.{' '}
            {layoutLine(plain.layout)}
          </p>
          <button onClick={() => importZip(plain.file, 'asIs')}>Use as is: these are face crops</button>{' '}
          <button onClick={() => importZip(plain.file, 'findFaces')}>Find faces in these photos</button>{' '}
          <button onClick={() => setPlain(null)}>Cancel</button>
          <p>
            <small>
              As is: each image is resized to 64×64, no face detection. Find faces: like a photo folder, every face
              found becomes a crop.
            </small>
          </p>
        </div>
      )}
      <JobProgress job={job} cancelled={cancelled} onCancel={cancel} />
      {status && (
        <p role="status" aria-label="Dataset zip result">
          {status}
        </p>
      )}
      <ReportList lines={report} label="Zip import report" />
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
