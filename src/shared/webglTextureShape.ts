/**
 * The texture TensorFlow.js' WebGL backend (4.22) allocates for a tensor, without TensorFlow.js: a port of
 * `getTextureShapeFromLogicalShape` (tfjs-backend-webgl/dist/webgl_util.js) and of the physical size the texture
 * manager then creates (`getPackedMatrixTextureShapeWidthHeight` / `getUnpackedMatrixTextureShapeWidthHeight`,
 * tex_util.js). `createTexture` refuses any side above `WEBGL_MAX_TEXTURE_SIZE`, which is what limits how big a
 * tensor the WebGL backend can hold. src/ml/presetLayers.test.ts checks this port against tfjs' own function.
 */
import { sizeOf } from './presetLayers';

export interface WebglTextureFlags {
  /** `WEBGL_MAX_TEXTURE_SIZE`: the GL context's MAX_TEXTURE_SIZE. */
  maxTextureSize: number;
  /** `WEBGL_MAX_SIZE_FOR_NARROW_TEXTURE` (tfjs default Infinity). */
  maxSizeForNarrowTexture: number;
  /** `WEBGL_AUTO_SQUARIFY_NARROW_TEXTURE_SHAPE` (tfjs default false). */
  autoSquarifyNarrowTexture: boolean;
}

const nearestLargerEven = (n: number) => (n % 2 === 0 ? n : n + 1);

function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/** tfjs' `getTextureShapeFromLogicalShape`: [rows, columns] in logical (element) units. */
export function textureShapeOf(
  logicalShape: readonly number[],
  packed: boolean,
  flags: WebglTextureFlags,
): [number, number] {
  let maxTexSize = flags.maxTextureSize;
  let maxSizeForNarrowTex = flags.maxSizeForNarrowTexture;
  if (maxSizeForNarrowTex === Infinity && flags.autoSquarifyNarrowTexture) maxSizeForNarrowTex = maxTexSize / 2;
  let shape = [...logicalShape];
  if (packed) {
    maxTexSize *= 2;
    maxSizeForNarrowTex *= 2;
    // A texel holds a 2×2 block of the last two dimensions, so an odd one takes a half-empty row/column of texels.
    shape = shape.map((d, i) => (i >= shape.length - 2 ? nearestLargerEven(d) : d));
    if (shape.length === 1) shape = [2, shape[0]];
  }
  // tfjs squeezes out dimensions of 1, except for a 2-D shape (kept to match the physical layout).
  if (shape.length !== 2) shape = shape.filter((d) => d !== 1);
  let size = sizeOf(shape);
  let tex: [number, number] | null = null;
  const fits = (a: number, b: number) => a <= maxTexSize && b <= maxTexSize;
  const [a, b, c, d] = shape;
  if (shape.length <= 1 && size <= maxTexSize) tex = [1, size];
  else if (shape.length === 2 && fits(a, b)) tex = [a, b];
  else if (shape.length === 3 && fits(a * b, c)) tex = [a * b, c];
  else if (shape.length === 3 && fits(a, b * c)) tex = [a, b * c];
  else if (shape.length === 4 && fits(a * b * c, d)) tex = [a * b * c, d];
  else if (shape.length === 4 && fits(a, b * c * d)) tex = [a, b * c * d];
  const longNarrow =
    tex !== null &&
    Math.max(...tex) > maxSizeForNarrowTex &&
    Math.min(...tex) <= (packed ? 2 : 1) &&
    Math.min(...tex) > 0;
  if (tex === null || longNarrow) {
    if (packed) {
      // Squarify in texels (2×2 blocks), then back to element units, keeping both sides even.
      const batch = sizeOf(shape.slice(0, shape.length - 2));
      const [rows, cols] = shape.length
        ? [shape.length > 1 ? shape[shape.length - 2] : 1, shape[shape.length - 1]]
        : [2, 2];
      size = batch * (rows / 2) * (cols / 2);
      const [r, cc] = sizeToSquarishShape(size);
      tex = [r * 2, cc * 2];
    } else {
      tex = sizeToSquarishShape(size);
    }
  }
  return tex;
}

/** The texture's [width, height] in texels, as the texture manager creates it (and checks against the maximum). */
export function physicalTextureSize(
  logicalShape: readonly number[],
  packed: boolean,
  flags: WebglTextureFlags,
): [number, number] {
  const [rows, cols] = textureShapeOf(logicalShape, packed, flags);
  return packed ? [Math.max(1, Math.ceil(cols / 2)), Math.max(1, Math.ceil(rows / 2))] : [cols, rows];
}
