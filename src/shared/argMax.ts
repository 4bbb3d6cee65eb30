/**
 * The one arg max of the app (page and workers): the index of the largest value of a probability vector,
 * a logit row or an attribution map. Pure TypeScript, no tensors.
 */

/**
 * Index of the largest value: the first on ties, NaN ignored; -1 for an empty or all-NaN array (no
 * prediction, so it never equals a class index). A spread-free loop: safe on a 64×64 map.
 */
export function argMax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    // The first non-NaN value starts the search (so -Infinity can win); NaN compares false either way.
    if (best === -1 ? !Number.isNaN(values[i]) : values[i] > values[best]) best = i;
  }
  return best;
}
