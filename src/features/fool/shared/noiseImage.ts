/**
 * The perturbation made visible (paper figs 3–4): 128 + scale · (modified − original) per value, with the
 * integer scale chosen so the largest change reaches the edge of the range. The scale is printed beside it.
 */
export function noiseImage(
  original: ArrayLike<number>,
  modified: ArrayLike<number>,
): { pixels: Uint8Array; scale: number; maxAbs: number } {
  let maxAbs = 0;
  for (let i = 0; i < original.length; i++) maxAbs = Math.max(maxAbs, Math.abs(modified[i] - original[i]));
  const scale = maxAbs > 0 ? Math.max(1, Math.floor(127 / maxAbs)) : 1;
  const pixels = new Uint8Array(original.length);
  for (let i = 0; i < original.length; i++)
    pixels[i] = Math.max(0, Math.min(255, Math.round(128 + scale * (modified[i] - original[i]))));
  return { pixels, scale, maxAbs };
}
