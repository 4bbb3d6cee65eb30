/**
 * Data page section: pick or drop a photo folder (faces found by detection, or with "use as is" the images are
 * face crops already), watch the progress, read the report.
 */
import { useState } from 'react';
import { cancelIngest, ingestFolder } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { ProgressBar } from '../../../ui/ProgressBar';
import { collectDropEntries, walkEntries } from './dropFolder';

/** Photos per second and time left, from the files done since the ingest started. */
function ingestRate(p: { done: number; total: number; startedAt: number }, asIs: boolean): string {
  const seconds = (performance.now() - p.startedAt) / 1000;
  if (p.done === 0 || seconds <= 0) return asIs ? 'starting…' : 'starting (the face model loads first)…';
  const rate = p.done / seconds;
  const left = (p.total - p.done) / rate;
  const eta = left < 90 ? `${Math.ceil(left)} s` : `${Math.round(left / 60)} min`;
  return `${rate.toFixed(1)} photos/s · about ${eta} left`;
}

export function PhotoIngest() {
  const { ingest, lastIngest } = useLab();
  const [over, setOver] = useState(false);
  const [asIs, setAsIs] = useState(false);
  const busy = ingest !== null;

  const onPick = (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same folder again fires change again
    void ingestFolder(
      files.map((file) => ({ file, path: file.webkitRelativePath || file.name })),
      { asIs },
    );
  };

  const onDrop = (e: React.DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (busy) return;
    const entries = collectDropEntries(e.dataTransfer); // synchronously, before the handler returns
    walkEntries(entries)
      .then((files) => ingestFolder(files, { asIs }))
      .catch((err: unknown) => useLab.setState({ dataError: `Could not read the dropped folder: ${String(err)}` }));
  };

  return (
    <section className="card">
      <h3>Your photos</h3>
      <p>
        Pick or drop a folder with one sub-folder per person (<code>alice/…</code>, <code>bob/…</code>); a sub-folder
        named <code>validation</code> holds a separate validation set with the same class sub-folders. A Keras layout
        with <code>train/</code> and <code>test/</code> (and <code>val/</code>) levels keeps its split. Every face found
        becomes a 64×64 crop; nothing leaves this browser.
      </p>
      <p>
        <label>
          <input type="checkbox" checked={asIs} disabled={busy} onChange={(e) => setAsIs(e.currentTarget.checked)} />{' '}
          These are face crops: use as is (resize to 64×64, no face detection)
        </label>
      </p>
      <label>
        Photo folder{' '}
        <input
          type="file"
          multiple
          disabled={busy}
          onChange={(e) => onPick(e.currentTarget)}
          {...{ webkitdirectory: '', directory: '' }}
        />
      </label>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        role="region"
        aria-label="Folder drop zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        Drop a photo folder here
      </div>
      {ingest && (
        <div>
          <ProgressBar done={ingest.done} total={ingest.total} label={asIs ? 'Importing crops' : 'Ingesting photos'} />
          <p aria-label="Ingest progress">
            {asIs ? 'Crops done' : 'Faces found'}: {ingest.faces} · {ingestRate(ingest, asIs)}
            {ingest.skipped > 0 && ` · ${ingest.skipped} photos already done by an earlier run, skipped`}
          </p>
          <button onClick={cancelIngest}>Cancel</button>{' '}
          <small>
            {asIs
              ? 'Cancel stores nothing of this import.'
              : 'Cancel keeps every face stored so far; pick the same folder again to continue.'}
          </small>
        </div>
      )}
      {lastIngest && (
        <div>
          {lastIngest.asIs ? (
            <p role="status" aria-label="Ingest result">
              {lastIngest.cancelled
                ? 'Cancelled: nothing was stored.'
                : `${lastIngest.crops} face crops of ${lastIngest.files} files used as is in ${(lastIngest.ms / 1000).toFixed(1)} s; ` +
                  `train ${lastIngest.asIs.split.train} · test ${lastIngest.asIs.split.test} · validation ${lastIngest.asIs.split.validation}.`}
            </p>
          ) : (
            <p role="status" aria-label="Ingest result">
              {lastIngest.cancelled ? 'Cancelled: ' : ''}
              {lastIngest.crops} faces from {lastIngest.photos} of {lastIngest.files} photos in{' '}
              {(lastIngest.ms / 1000).toFixed(1)} s.
              {lastIngest.skipped > 0 && ` ${lastIngest.skipped} photos done by an earlier run were skipped.`}
              {lastIngest.duplicates > 0 && ` ${lastIngest.duplicates} duplicate crops left out (see Review).`}
            </p>
          )}
          {lastIngest.report.length > 0 && (
            <>
              <h4>Ingest report</h4>
              <ul aria-label="Ingest report" className="list">
                {lastIngest.report.map((line, i) => (
                  <li key={i}>
                    {line.file} — {line.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
