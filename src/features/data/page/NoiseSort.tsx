/**
 * The paper's noise sorting on the Data page: a small classifier trained (cross-fitted) on the current labels
 * sorts every crop into ≥ 90 %, 60–90 % and < 60 % confidence for its own label (lab worker, ml/noiseSort.ts).
 * Progress and Cancel; a cancelled sorting stores nothing. The bin sizes shown are read back from IndexedDB.
 */
import { useEffect, useState } from 'react';
import type { NoiseSortProgress } from '../shared/protocol';
import { useLab } from '../../../store/labStore';
import { noiseBinsOf, type DatasetRecord, type NoiseBinsRecord } from '../../../store/records';
import { ProgressBar } from '../../../ui/ProgressBar';
import { useWorkerJob } from '../../../ui/useWorkerJob';

export const BIN_LABELS = ['≥ 90 %', '60–90 %', '< 60 %'] as const;

/** The stored sorting of a dataset, re-read when `version` changes. */
export function useNoiseBins(datasetId: string, version: number): NoiseBinsRecord | null {
  const [record, setRecord] = useState<NoiseBinsRecord | null>(null);
  useEffect(() => {
    let live = true;
    void noiseBinsOf(datasetId).then((r) => live && setRecord(r ?? null));
    return () => {
      live = false;
    };
  }, [datasetId, version]);
  return record;
}

function progressText(p: NoiseSortProgress): string {
  if (p.phase === 'read') return 'reading the faces';
  if (p.phase === 'train') return `model ${p.fold} of ${p.folds}: training steps`;
  return `model ${p.fold} of ${p.folds}: scoring its held-out faces`;
}

export function NoiseSort({
  dataset,
  record,
  onSorted,
}: {
  dataset: DatasetRecord;
  record: NoiseBinsRecord | null;
  onSorted: () => void;
}) {
  const ready = useLab((s) => s.backend.status === 'ready');
  const [progress, setProgress] = useState<NoiseSortProgress | null>(null);
  const { busy: running, error, cancelled, run: work, cancel } = useWorkerJob();
  const message = error ?? (cancelled && `Cancelled: ${cancelled.note}`);

  const run = () =>
    work(
      'Noise sorting',
      async ({ call }) => {
        setProgress(null);
        try {
          await call('noiseSort', { datasetId: dataset.id }, { onProgress: setProgress });
          onSorted();
        } finally {
          setProgress(null);
        }
      },
      'nothing was stored (the earlier sorting, if any, is kept).',
    );

  const total = record ? record.counts.reduce((a, b) => a + b, 0) : 0;
  return (
    <section className="card" aria-label="Noise sorting">
      <h4>Noise sorting (label confidence)</h4>
      <p>
        As in the paper: small models trained on the current labels give every face the probability of its own label,
        and the faces fall into ≥ 90 %, 60–90 % and &lt; 60 %. Each face is scored by a model that did not train on it
        (2 folds), so a wrong label stands out instead of being learnt.
      </p>
      <p className="controls">
        <button disabled={!ready || running} onClick={() => void run()}>
          {record ? 'Sort again' : 'Sort by label confidence'}
        </button>
        <button disabled={!running} onClick={cancel}>
          Cancel
        </button>
      </p>
      {running && (
        <div role="status" aria-label="Noise sorting progress">
          {progress ? (
            <ProgressBar done={progress.done} total={progress.total} label={progressText(progress)} />
          ) : (
            'starting…'
          )}
        </div>
      )}
      {message && <p role="alert">{message}</p>}
      {record && (
        <p data-testid="noise-bins" data-counts={record.counts.join(',')}>
          {BIN_LABELS.map((b, k) => `${b}: ${record.counts[k]}`).join(' · ')} of {total} faces (sorted{' '}
          {new Date(record.createdAt).toLocaleString()}, {(record.ms / 1000).toFixed(0)} s)
          {dataset.kind === 'photos' ? '. The review grid can show the lowest first and one bin at a time.' : '.'}
        </p>
      )}
    </section>
  );
}
