/**
 * Review grid of a photo dataset's crops: the doubtful ones first (shared/reviewOrder.ts), one page at a time,
 * with keyboard shortcuts — A accept, R (or Delete) reject, M move to the next class, 1–9 move to that class,
 * U restore, arrows move. Every decision is written to IndexedDB at once (db/review.ts); the order stays put
 * while the person works (a decided face keeps its place) until they re-sort or change the view.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BIN_LABELS } from './NoiseSort';
import { classBalance, reviewEntries, reviewOrder, type ReviewEntry, type ReviewView } from '../shared/reviewOrder';
import { refreshLists } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { decide, labelsChangedSince, moveToClass, readDisplayImage, readReviewItems } from '../../../store/records';
import type { DatasetRecord, NoiseBinsRecord, ReviewDecision, ReviewItems } from '../../../store/records';
import { PixelImage } from '../../../ui/PixelImage';
import { errorMessage } from '../../../shared/errorMessage';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { Tooltip } from '../../../ui/Tooltip';

const PAGE = 48;
const COLUMNS_GUESS = 8; // arrow up/down jump; the grid wraps, so this is approximate on narrow screens

type Thumb = { pixels: Uint8Array; size: number };

function statusOf(items: ReviewItems, i: number): 'rejected' | 'duplicate' | 'accepted' | 'pending' {
  const e = items.split.excluded![i];
  if (e === 1) return 'rejected';
  if (e === 2) return 'duplicate';
  return items.split.accepted![i] ? 'accepted' : 'pending';
}

export function ReviewGrid({ dataset, noiseBins }: { dataset: DatasetRecord; noiseBins: NoiseBinsRecord | null }) {
  const [items, setItems] = useState<ReviewItems | null>(null);
  const [view, setView] = useState<ReviewView>('doubtful');
  const [classFilter, setClassFilter] = useState<number | undefined>(undefined);
  const [binFilter, setBinFilter] = useState<number | undefined>(undefined);
  // The noise sorting's scores, when they cover this dataset's crops (a newer ingest adds crops it never saw).
  const sorted = noiseBins && noiseBins.bins.length === dataset.count ? noiseBins : null;
  const [order, setOrder] = useState<ReviewEntry[]>([]);
  const [page, setPage] = useState(0);
  const [focus, setFocus] = useState(0);
  const [thumbs, setThumbs] = useState<Map<number, Thumb>>(new Map());
  const [error, setError] = useState<string | null>(null);
  // Once a model trained on this dataset exists: its probability of each face's label (low = doubtful).
  const runs = useLab((st) => st.runs).filter((r) => r.datasetId === dataset.id && r.checkpointEpoch !== null);
  const [confidence, setConfidence] = useState<{ runId: string; values: Float32Array } | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const { error: checkError, run: runCheck } = useWorkerJob();
  const cache = useRef(new Map<string, Thumb | null>());
  const tileRefs = useRef<Array<HTMLButtonElement | null>>([]);

  // Bumped when items are (re)read from the database, not on a decision: the order is recomputed then only.
  const [loaded, setLoaded] = useState(0);
  const load = useCallback(async () => {
    try {
      setItems(await readReviewItems(dataset.id));
      setLoaded((n) => n + 1);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [dataset.id]);

  useEffect(() => {
    cache.current.clear();
    void load();
  }, [load, dataset.count]);

  const entries = useMemo(
    () =>
      items &&
      reviewEntries({
        labels: items.labels,
        scores: items.scores,
        sources: items.sources,
        excluded: items.split.excluded!,
        accepted: items.split.accepted!,
        duplicateOf: items.split.duplicateOf!,
        // A model chosen below wins; else the noise sorting's cross-fitted scores.
        labelConfidence: confidence?.values.length === items.labels.length ? confidence.values : sorted?.confidence,
      }),
    [items, confidence, sorted],
  );

  // Re-sort only when the view, the class filter or the stored data changes — not on each decision, so a
  // decided face keeps its place under the person's eyes. The latest items are read through a ref.
  const latest = useRef({ items, entries });
  latest.current = { items, entries };
  const resort = useCallback(() => {
    const { items: it, entries: en } = latest.current;
    if (!it || !en) return;
    const scores = sorted ? { confidence: sorted.confidence, bins: sorted.bins, bin: binFilter } : undefined;
    setOrder(reviewOrder(en, { excluded: it.split.excluded!, labels: it.labels }, view, classFilter, scores));
    setPage(0);
    setFocus(0);
  }, [view, classFilter, binFilter, sorted]);
  useEffect(resort, [resort, loaded]);

  const visible = useMemo(() => order.slice(page * PAGE, (page + 1) * PAGE), [order, page]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const next = new Map<number, Thumb>();
      for (const e of visible) next.set(e.index, await readDisplayImage(dataset.id, e.index, cache.current));
      if (live) setThumbs(next);
    })().catch((err: unknown) => live && setError(String(err)));
    return () => {
      live = false;
    };
  }, [dataset.id, visible]);

  const act = async (entry: ReviewEntry | undefined, action: ReviewDecision | { moveTo: number }) => {
    if (!entry || !items) return;
    try {
      if (typeof action === 'string') {
        const split = await decide(dataset.id, [entry.index], action);
        setItems({ ...items, split });
        await refreshLists(); // every page's counts (useSplit) follow the decision
      } else {
        await moveToClass(dataset.id, [entry.index], action.moveTo);
        const labels = Uint8Array.from(items.labels);
        labels[entry.index] = action.moveTo;
        const split = await decide(dataset.id, [entry.index], 'accept');
        setItems({ ...items, labels, split });
        await refreshLists();
      }
      setFocus((f) => Math.min(f + 1, visible.length - 1));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  useEffect(() => tileRefs.current[focus]?.focus(), [focus, page]);

  const checkWithModel = (runId: string) =>
    runCheck('Checking the labels with a model', async ({ call }) => {
      setChecking('starting…');
      try {
        const r = await call(
          'labelConfidence',
          { runId },
          { onProgress: (p) => setChecking(`${p.done} / ${p.total}`) },
        );
        setConfidence({ runId, values: r.confidence });
        setLoaded((n) => n + 1); // re-sort with the new doubts
      } finally {
        setChecking(null);
      }
    });

  if (error ?? checkError) return <p role="alert">Review: {error ?? checkError}</p>;
  if (!items || !entries) return <p>Loading the faces…</p>;
  const classes = dataset.classNames;
  const balance = classBalance(items.labels, items.split.codes, items.split.excluded!, classes.length);
  const pages = Math.max(1, Math.ceil(order.length / PAGE));
  const focused = visible[focus];

  const onKey = (e: React.KeyboardEvent) => {
    const key = e.key.toLowerCase();
    const move = (d: number) => {
      e.preventDefault();
      setFocus((f) => Math.max(0, Math.min(visible.length - 1, f + d)));
    };
    if (key === 'arrowright') move(1);
    else if (key === 'arrowleft') move(-1);
    else if (key === 'arrowdown') move(COLUMNS_GUESS);
    else if (key === 'arrowup') move(-COLUMNS_GUESS);
    else if (key === 'a') void act(focused, 'accept');
    else if (key === 'r' || key === 'delete' || key === 'backspace') void act(focused, 'reject');
    else if (key === 'u') void act(focused, 'restore');
    else if (key === 'm' && focused) void act(focused, { moveTo: (items.labels[focused.index] + 1) % classes.length });
    else if (/^[1-9]$/.test(key) && Number(key) <= classes.length) void act(focused, { moveTo: Number(key) - 1 });
    else return;
    e.preventDefault();
  };

  return (
    <section aria-label="Review faces">
      <h4>Review the faces</h4>
      <table className="summary" aria-label="Class balance">
        <thead>
          <tr>
            <th>class</th>
            <th>train</th>
            <th>test</th>
            <th>validation</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c, k) => (
            <tr key={c}>
              <td>{c}</td>
              <td>{balance[k][0]}</td>
              <td>{balance[k][1]}</td>
              <td>{balance[k][2]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <label>
          Show{' '}
          <select value={view} onChange={(e) => setView(e.target.value as ReviewView)}>
            <option value="doubtful">doubtful first</option>
            {sorted && <option value="confidence">lowest label confidence first</option>}
            <option value="all">all kept, in order</option>
            <option value="rejected">left out (rejected or duplicate)</option>
          </select>
        </label>{' '}
        <label>
          Class{' '}
          <select
            value={classFilter ?? ''}
            onChange={(e) => setClassFilter(e.target.value === '' ? undefined : Number(e.target.value))}
          >
            <option value="">all</option>
            {classes.map((c, k) => (
              <option key={c} value={k}>
                {c}
              </option>
            ))}
          </select>
        </label>{' '}
        {sorted && (
          <label>
            Confidence{' '}
            <select
              aria-label="Confidence bin"
              value={binFilter ?? ''}
              onChange={(e) => setBinFilter(e.target.value === '' ? undefined : Number(e.target.value))}
            >
              <option value="">all bins</option>
              {BIN_LABELS.map((b, k) => (
                <option key={b} value={k}>
                  {b} ({sorted.counts[k]})
                </option>
              ))}
            </select>
          </label>
        )}{' '}
        <button onClick={resort}>Re-sort</button>{' '}
        {runs.length > 0 && (
          <label>
            Check labels with a model{' '}
            <select
              aria-label="Model to check labels"
              value={confidence?.runId ?? ''}
              disabled={checking !== null}
              onChange={(e) => e.target.value && void checkWithModel(e.target.value)}
            >
              <option value="">—</option>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.config.architecture} · epoch {r.checkpointEpoch} · {new Date(r.createdAt).toLocaleString()}
                </option>
              ))}
            </select>
            {checking && <span role="status"> checking {checking}</span>}
          </label>
        )}{' '}
        <small>
          Keys: A accept · R reject · M move to the next class{classes.length > 2 ? ' · 1–9 move to that class' : ''} ·
          U restore · arrows
        </small>
      </p>
      {sorted && labelsChangedSince(sorted, items.labels) > 0 && (
        <p role="note">
          {labelsChangedSince(sorted, items.labels)} faces moved to another class since the noise sorting: sort again
          for their new labels.
        </p>
      )}
      <ul className="grid review-grid" aria-label="Faces to review" onKeyDown={onKey}>
        {visible.map((e, k) => {
          const status = statusOf(items, e.index);
          const label = classes[items.labels[e.index]];
          const name = `Face ${e.index + 1}: ${label}, ${status}${e.reasons.length ? ` — ${e.reasons.join('; ')}` : ''}`;
          const thumb = thumbs.get(e.index);
          return (
            <li key={e.index}>
              {/* The hint repeats the tile's name (with the reasons a face is doubtful) for sighted mouse and keyboard users. */}
              <Tooltip text={name} nameOnly>
                <button
                  ref={(el) => {
                    tileRefs.current[k] = el;
                  }}
                  className={`review-tile ${status}`}
                  aria-label={name}
                  tabIndex={k === focus ? 0 : -1}
                  onClick={() => setFocus(k)}
                  onFocus={() => setFocus(k)}
                >
                  {thumb ? (
                    <PixelImage pixels={thumb.pixels} size={thumb.size} width={72} label={`face ${e.index + 1}`} />
                  ) : (
                    <span className="review-placeholder" />
                  )}
                  <span className="review-caption">
                    {label}
                    {status !== 'pending' && ` · ${status}`}
                    {e.doubt > 0 && status === 'pending' && ' · ?'}
                  </span>
                </button>
              </Tooltip>
            </li>
          );
        })}
      </ul>
      {focused && (
        <p>
          Face {focused.index + 1} ({items.sources[focused.index]}):{' '}
          <button onClick={() => void act(focused, 'accept')}>Accept (A)</button>{' '}
          <button onClick={() => void act(focused, 'reject')}>Reject (R)</button>{' '}
          {classes.map((c, k) =>
            k === items.labels[focused.index] ? null : (
              <button key={c} onClick={() => void act(focused, { moveTo: k })}>
                Move to {c}
              </button>
            ),
          )}{' '}
          <button onClick={() => void act(focused, 'restore')}>Restore (U)</button>
        </p>
      )}
      <p>
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous page
        </button>{' '}
        Page {page + 1} of {pages} ({order.length} faces){' '}
        <button disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
          Next page
        </button>
      </p>
    </section>
  );
}
