/**
 * The paper's perturbation rule (§5) and the L∞ ball of the standard attacks, as per-pixel [lo, hi] bounds in
 * 8-bit levels, plus the norms every attack report uses. Pure and thread-neutral: the worker uses it to
 * project, the page and the tests use it to check.
 *
 * The paper says each pixel may change "by at most 2.5 % of its value". Two readings:
 * - 'relative' (default, the literal one): |x′ − x| ≤ 0.025 · x. A pixel of value 200 may move ±5 levels, a
 *   pixel of value 20 only ±0.5 — which in 8 bits means not at all.
 * - 'range': |x′ − x| ≤ 0.025 · 255 = 6.375 levels for every pixel.
 *
 * Quantised bounds are rounded inwards to whole levels (lo = ⌈x − d⌉, hi = ⌊x + d⌋), so an 8-bit image inside
 * them satisfies the real-valued rule exactly, with no rounding slack. Float bounds are exact; an image
 * attacked in floats and then saved may exceed them by at most ½ level.
 */
export type BoundRule = 'relative' | 'range';

export const PAPER_FRACTION = 0.025;

/** Largest allowed change of one pixel of value x (levels, before rounding). */
export function allowedChange(x: number, rule: BoundRule, fraction: number): number {
  return rule === 'relative' ? fraction * x : fraction * 255;
}

export interface PixelBounds {
  lo: Float32Array;
  hi: Float32Array;
}

/** Per-pixel bounds of the paper's rule, intersected with [0, 255]. */
export function ruleBounds(
  pixels: ArrayLike<number>,
  rule: BoundRule,
  fraction: number,
  quantised: boolean,
): PixelBounds {
  const lo = new Float32Array(pixels.length);
  const hi = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const x = pixels[i];
    const d = allowedChange(x, rule, fraction);
    // The 1e-9 guards against 0.025·x landing a hair off an integer in floating point (e.g. x = 200 → 5).
    const l = quantised ? Math.ceil(x - d - 1e-9) : x - d;
    const h = quantised ? Math.floor(x + d + 1e-9) : x + d;
    lo[i] = Math.max(0, l);
    hi[i] = Math.min(255, h);
  }
  return { lo, hi };
}

/** The L∞ ball of radius ε levels around x, intersected with [0, 255] (FGSM, BIM, PGD). */
export function linfBounds(pixels: ArrayLike<number>, epsilon: number, quantised: boolean): PixelBounds {
  const lo = new Float32Array(pixels.length);
  const hi = new Float32Array(pixels.length);
  const e = quantised ? Math.floor(epsilon + 1e-9) : epsilon;
  for (let i = 0; i < pixels.length; i++) {
    lo[i] = Math.max(0, pixels[i] - e);
    hi[i] = Math.min(255, pixels[i] + e);
  }
  return { lo, hi };
}

/** Human-readable statement of the rule used, shown in the panel. */
export function describeRule(rule: BoundRule, fraction: number): string {
  const pct = +(fraction * 100).toFixed(3);
  return rule === 'relative'
    ? `each pixel within ±${pct} % of its own value (the paper's rule, read literally), and within [0, 255]`
    : `each pixel within ±${pct} % of the full range (±${+(fraction * 255).toFixed(3)} levels), and within [0, 255]`;
}

export interface PerturbationNorms {
  /** Largest |x′ − x| in levels. */
  linf: number;
  /** ‖x′ − x‖₂ with pixels scaled to [0, 1] (Foolbox's convention). */
  l2: number;
  /** Mean |x′ − x| in levels. */
  meanAbs: number;
  /** Largest |x′ − x| / x over pixels with x > 0: the paper's rule holds when this is ≤ 0.025. */
  maxRelative: number;
  /** Number of pixels (values) that changed. */
  changed: number;
}

export function perturbationNorms(original: ArrayLike<number>, modified: ArrayLike<number>): PerturbationNorms {
  if (original.length !== modified.length) throw new RangeError('images differ in size');
  let linf = 0;
  let sq = 0;
  let sum = 0;
  let maxRelative = 0;
  let changed = 0;
  for (let i = 0; i < original.length; i++) {
    const d = Math.abs(modified[i] - original[i]);
    if (d > 0) changed++;
    if (d > linf) linf = d;
    sq += d * d;
    sum += d;
    if (original[i] > 0) maxRelative = Math.max(maxRelative, d / original[i]);
    else if (d > 0) maxRelative = Infinity;
  }
  return { linf, l2: Math.sqrt(sq) / 255, meanAbs: sum / Math.max(1, original.length), maxRelative, changed };
}

/** Does every value of `modified` lie in [lo − slack, hi + slack]? Returns the first offending index or -1. */
export function firstOutOfBounds(modified: ArrayLike<number>, bounds: PixelBounds, slack = 0): number {
  for (let i = 0; i < modified.length; i++) {
    if (modified[i] < bounds.lo[i] - slack || modified[i] > bounds.hi[i] + slack) return i;
  }
  return -1;
}
