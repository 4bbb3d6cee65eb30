/**
 * Spearman rank correlation, the similarity measure of the saliency sanity checks (Adebayo et al. 2018,
 * "Sanity checks for saliency maps"): the Pearson correlation of the two samples' ranks, tied values getting
 * the average of the ranks they span (the usual definition, as in scipy.stats.spearmanr). Saliency maps have
 * many ties (Grad-CAM's ReLU zeros, flat backgrounds), so the tie rule matters. Pure TypeScript.
 */

/** 1-based ranks of `values`; a run of equal values gets the mean of its positions. Throws on NaN. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) throw new RangeError(`value ${i} is NaN: it has no rank`);
  order.sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 (0-based) share the mean 1-based rank (start+1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson correlation; NaN when either sample is constant (its correlation is undefined) or has < 2 values. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`samples of ${a.length} and ${b.length} values`);
  const n = a.length;
  if (n < 2) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  // Clamped: rounding can push a perfect correlation a hair past ±1.
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** Spearman's ρ: Pearson correlation of average ranks. NaN when either sample is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`samples of ${a.length} and ${b.length} values`);
  return pearson(averageRanks(a), averageRanks(b));
}
