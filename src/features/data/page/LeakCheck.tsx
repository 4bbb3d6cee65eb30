/**
 * Leak check (issue 16): for each test (and validation) face, how close the nearest training face is, by the
 * dedupe's mirror-aware pHash distance. A test face within the near-copy threshold of a training face is a copy
 * of something the model trained on: its test accuracy measures memory. Re-split (on request only: runs trained
 * before keep what they measured) puts near copies and crops of one photo on one side.
 */
import { useEffect, useState } from 'react';
import { checkSplitLeaks } from '../../../bridge/ingestBridge';
import type { LeakReport } from '../shared/ingestProtocol';
import { refreshLists } from '../../../store/actions';
import { errorMessage } from '../../../shared/errorMessage';

export function LeakCheck({ datasetId, splitKey }: { datasetId: string; splitKey: unknown }) {
  const [report, setReport] = useState<LeakReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    checkSplitLeaks(datasetId, false).then(
      (r) => live && setReport(r),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [datasetId, splitKey]);

  const resplit = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await checkSplitLeaks(datasetId, true));
      await refreshLists();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <p role="alert">Leak check failed: {error}</p>;
  if (!report) return <p>Checking the split for near copies…</p>;
  const tests = report.nearest.filter((n) => n.split === 'test');
  const distances = tests.map((n) => n.distance).sort((a, b) => a - b);
  const median = distances.length > 0 ? distances[Math.floor(distances.length / 2)] : null;
  return (
    <section aria-label="Leak check" className="card">
      <h4>Leak check</h4>
      <p data-testid="leak-check">
        {report.testLeaks} of {tests.length} test faces are near copies of a training face (pHash distance ≤{' '}
        {report.threshold}, mirror included)
        {median !== null && `; nearest training face: min ${distances[0]}, median ${median}`}.
        {report.validationLeaks > 0 &&
          ` ${report.validationLeaks} validation faces are near copies of training faces: remove those photos from the validation folder, or reject them.`}
      </p>
      {distances.length > 0 && (
        <p>
          <small data-testid="leak-distances">
            Distance of each test face to its nearest training face (faces at that distance):{' '}
            {[...new Set(distances)].map((d) => `${d} ×${distances.filter((x) => x === d).length}`).join(' · ')}
          </small>
        </p>
      )}
      {report.testLeaks > 0 && (
        <p>
          Test accuracy on this split partly measures memory. Re-split so that near copies and faces of one photo stay
          on one side; runs trained before keep the numbers they measured.
        </p>
      )}
      <button disabled={busy} onClick={() => void resplit()}>
        {busy ? 'Re-splitting…' : 'Re-split by near-copy groups'}
      </button>
    </section>
  );
}
