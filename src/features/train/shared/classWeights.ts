/**
 * Class weights for the training loss. The paper's two classes were imbalanced (about 18,000 vs 13,000 crops,
 * §3.3) and it names that skew as one reason its noise classifier failed; a weighted cross-entropy makes each
 * class count equally in the loss. "balanced" is Keras' rule (sklearn's compute_class_weight):
 * w_c = n / (k × n_c) over the k classes present in the training split, so the weights average 1 per image and
 * the loss keeps its usual scale. Pure and thread-neutral: the Train page shows what the worker will use.
 */

export const CLASS_WEIGHTINGS = ['auto', 'balanced', 'none'] as const;
/** auto: balanced when the training split's classes differ by more than IMBALANCE_THRESHOLD, else none. */
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

export const CLASS_WEIGHTING_LABELS: Record<ClassWeighting, string> = {
  auto: 'automatic (balanced when the classes differ by more than 20 %)',
  balanced: 'balanced',
  none: 'off',
};

/** The smaller class more than this share below the larger one switches "auto" to balanced weights. */
export const IMBALANCE_THRESHOLD = 0.2;

/** 1 − smallest / largest over the classes present (0 = equal; 1 = a class has no training image). */
export function classImbalance(counts: readonly number[]): number {
  const present = counts.filter((c) => c > 0);
  if (present.length < 2) return 0;
  return 1 - Math.min(...present) / Math.max(...present);
}

/** Keras' "balanced" weights: n / (k × n_c) over the k classes present; an absent class gets 1 (never used). */
export function balancedWeights(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const k = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? n / (k * c) : 1));
}

export interface ClassWeightChoice {
  /** Per-class loss weights, or null for the plain (unweighted) cross-entropy. */
  weights: number[] | null;
  imbalance: number;
  /** For the Train page: the weights and why. */
  reason: string;
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

/** What `setting` means for a training split with these per-class counts. */
export function resolveClassWeights(
  setting: ClassWeighting | undefined,
  counts: readonly number[],
  classNames: readonly string[] = [],
): ClassWeightChoice {
  const name = (k: number) => classNames[k] ?? `class ${k + 1}`;
  const present = counts.filter((c) => c > 0).length;
  const imbalance = classImbalance(counts);
  const countsText = counts.map((c, k) => `${name(k)} ${c}`).join(' · ');
  if (present < 2)
    return {
      weights: null,
      imbalance,
      reason: `No class weights: the training split holds ${present === 0 ? 'no image' : 'one class only'} (${countsText}).`,
    };
  const max = Math.max(...counts);
  const min = Math.min(...counts.filter((c) => c > 0));
  // Integers, so 80 of 100 (exactly 20 % fewer) is not "more than 20 %" whatever the float rounding.
  const imbalanced = (max - min) * 5 > max;
  const differ = `training images ${countsText}: the smallest class has ${pct(imbalance)} fewer than the largest`;
  if (setting === 'balanced' || (setting === 'auto' && imbalanced)) {
    const weights = balancedWeights(counts);
    const why =
      setting === 'auto' ? `more than ${pct(IMBALANCE_THRESHOLD)}, so automatic chose balanced` : 'balanced chosen';
    return {
      weights,
      imbalance,
      reason: `Class weights ${weights.map((w, k) => `${name(k)} ${w.toFixed(2)}`).join(' · ')} (n / (classes × n per class)) — ${differ}; ${why}, so each class counts equally in the loss.`,
    };
  }
  const why =
    setting === 'auto' ? `not more than ${pct(IMBALANCE_THRESHOLD)}, so automatic chose none` : 'weights switched off';
  return { weights: null, imbalance, reason: `No class weights — ${differ}; ${why}.` };
}
