/**
 * Which crops a person should look at first when cleaning a photo dataset (the paper removed ~90 % of its
 * noise by hand, §3): pure, so the ordering is unit-tested. A crop is doubtful when the detector was unsure,
 * when its photo held several faces (only one of them is usually the person), when it duplicates another
 * crop, or — once a model exists — when the model gives its folder's label a low probability.
 */

/** Below this BlazeFace score a crop is flagged (true faces in our fixtures score 0.85–0.95). */
export const LOW_SCORE = 0.75;
/** Below this model probability for the folder's label a crop is flagged. */
export const LOW_CONFIDENCE = 0.5;

export interface ReviewInputs {
  labels: ArrayLike<number>;
  scores: ArrayLike<number>;
  sources: readonly string[];
  excluded: ArrayLike<number>;
  accepted: ArrayLike<number>;
  duplicateOf: ArrayLike<number>;
  /** Model probability of each crop's label, when a model trained on this dataset exists. */
  labelConfidence?: ArrayLike<number>;
}

export interface ReviewEntry {
  index: number;
  /** Higher = look first; 0 = nothing doubtful (or already accepted). */
  doubt: number;
  reasons: string[];
}

/** Every crop with its doubt and reasons; accepted crops keep their reasons but doubt 0. */
export function reviewEntries(x: ReviewInputs): ReviewEntry[] {
  const perSource = new Map<string, number>();
  for (const s of x.sources) if (s) perSource.set(s, (perSource.get(s) ?? 0) + 1);
  const out: ReviewEntry[] = [];
  for (let i = 0; i < x.labels.length; i++) {
    const reasons: string[] = [];
    let doubt = 0;
    const dup = x.duplicateOf[i];
    if (dup >= 0 && x.excluded[i] === 2) {
      reasons.push(`duplicate of face ${dup + 1}`);
      doubt += 3;
    } else if (dup >= 0) {
      // A perceptual-hash match whose pixels differ: maybe the same photo edited, maybe a lookalike.
      reasons.push(`looks like face ${dup + 1}`);
      doubt += 2.5;
    }
    const faces = perSource.get(x.sources[i]) ?? 1;
    if (faces > 1) {
      reasons.push(`${faces} faces in its photo`);
      doubt += 2;
    }
    const score = x.scores[i];
    if (Number.isFinite(score) && score < LOW_SCORE) {
      reasons.push(`detector unsure (${score.toFixed(2)})`);
      doubt += 1 + (LOW_SCORE - score) * 4;
    }
    const conf = x.labelConfidence?.[i];
    if (conf !== undefined && Number.isFinite(conf) && conf < LOW_CONFIDENCE) {
      reasons.push(`model gives its label ${(conf * 100).toFixed(0)} %`);
      doubt += 2 + (LOW_CONFIDENCE - conf) * 4;
    }
    out.push({ index: i, doubt: x.accepted[i] ? 0 : doubt, reasons });
  }
  return out;
}

export type ReviewView = 'doubtful' | 'confidence' | 'all' | 'rejected';

/** The noise sorting's scores (db/noiseBins.ts): per crop its label confidence and bin (0 ≥ 90 %, 1 60–90 %, 2 < 60 %). */
export interface ConfidenceBins {
  confidence: ArrayLike<number>;
  bins: ArrayLike<number>;
}

/**
 * The grid's order: 'doubtful' = not-yet-excluded crops, most doubtful first (ties in storage order, so the
 * order is stable while the person works); 'confidence' = kept crops, lowest label confidence first (the noise
 * sorting's, unscored last); 'all' = storage order; 'rejected' = excluded crops only. `bin` keeps the crops of
 * one confidence bin.
 */
export function reviewOrder(
  entries: ReviewEntry[],
  x: Pick<ReviewInputs, 'excluded' | 'labels'>,
  view: ReviewView,
  label?: number,
  scores?: ConfidenceBins & { bin?: number },
): ReviewEntry[] {
  const inClass = (e: ReviewEntry) =>
    (label === undefined || x.labels[e.index] === label) &&
    (scores?.bin === undefined || scores.bins[e.index] === scores.bin);
  if (view === 'rejected') return entries.filter((e) => x.excluded[e.index] && inClass(e));
  const kept = entries.filter((e) => !x.excluded[e.index] && inClass(e));
  if (view === 'all') return kept;
  if (view === 'confidence') {
    const conf = (e: ReviewEntry) => {
      const c = scores?.confidence[e.index];
      return c === undefined || !Number.isFinite(c) ? Infinity : c;
    };
    return [...kept].sort((a, b) => conf(a) - conf(b) || a.index - b.index);
  }
  return [...kept].sort((a, b) => b.doubt - a.doubt || a.index - b.index);
}

/** Kept crops per class and split (train, test, validation): the class balance the Data page shows. */
export function classBalance(
  labels: ArrayLike<number>,
  codes: ArrayLike<number>,
  excluded: ArrayLike<number>,
  classes: number,
): Array<[number, number, number]> {
  const out = Array.from({ length: classes }, () => [0, 0, 0] as [number, number, number]);
  for (let i = 0; i < labels.length; i++) {
    if (excluded[i] || labels[i] >= classes || codes[i] > 2) continue;
    out[labels[i]][codes[i]]++;
  }
  return out;
}
