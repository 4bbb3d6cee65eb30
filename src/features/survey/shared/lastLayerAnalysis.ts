/**
 * Paper §8's unanalysed spreadsheets, analysed: a 2-D PCA of the last-layer activations (original and
 * modified images together), the per-unit mean change the attack caused, and the paper's future-work
 * experiment — clamp the k most changed units of each modified image (to zero, or back to the original
 * image's value) and count how many images the softmax head then classifies correctly again.
 * Pure numbers in, numbers out: rows are n × width, row-major.
 */
import { argMax } from '../../../shared/argMax';

/** Top two principal components by power iteration with deflation (enough for a scatter plot). */
export function pca2(
  rows: Float32Array,
  n: number,
  width: number,
): { coords: Float32Array; explained: [number, number] } {
  const mean = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let u = 0; u < width; u++) mean[u] += rows[i * width + u] / n;
  const cov = new Float64Array(width * width);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < width; a++) {
      const da = rows[i * width + a] - mean[a];
      if (da === 0) continue;
      for (let b = a; b < width; b++) cov[a * width + b] += (da * (rows[i * width + b] - mean[b])) / Math.max(1, n - 1);
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) cov[a * width + b] = cov[b * width + a];
  let total = 0;
  for (let a = 0; a < width; a++) total += cov[a * width + a];
  const components: Float64Array[] = [];
  const eigen: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: width }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(width);
      for (let a = 0; a < width; a++) {
        let s = 0;
        for (let b = 0; b < width; b++) s += cov[a * width + b] * v[b];
        w[a] = s;
      }
      for (const prev of components) {
        let dot = 0;
        for (let a = 0; a < width; a++) dot += w[a] * prev[a];
        for (let a = 0; a < width; a++) w[a] -= dot * prev[a];
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    components.push(v);
    eigen.push(lambda);
  }
  const coords = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let u = 0; u < width; u++) s += (rows[i * width + u] - mean[u]) * components[c][u];
      coords[i * 2 + c] = s;
    }
  }
  return { coords, explained: [total ? eigen[0] / total : 0, total ? eigen[1] / total : 0] };
}

export interface UnitChange {
  unit: number;
  meanOriginal: number;
  meanModified: number;
  /** meanModified − meanOriginal */
  change: number;
}

/** Per-unit mean over original and over modified rows, sorted by the size of the change (largest first). */
export function unitChanges(original: Float32Array, modified: Float32Array, n: number, width: number): UnitChange[] {
  const out: UnitChange[] = [];
  for (let u = 0; u < width; u++) {
    let o = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      o += original[i * width + u];
      m += modified[i * width + u];
    }
    out.push({ unit: u, meanOriginal: o / n, meanModified: m / n, change: (m - o) / n });
  }
  return out.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}

/** Class scores of one activation row through the dense head (kernel width × k, row-major, plus bias). */
export function headLogits(row: ArrayLike<number>, kernel: Float32Array, bias: Float32Array): Float64Array {
  const k = bias.length;
  const z = Float64Array.from(bias);
  for (let u = 0; u < row.length; u++) for (let c = 0; c < k; c++) z[c] += row[u] * kernel[u * k + c];
  return z;
}

export interface ClampResult {
  k: number;
  units: number[];
  /** Modified images classified correctly again after the clamp. */
  flippedBack: number;
  /** Modified images classified correctly with no clamp (the attack's misses). */
  correctBefore: number;
  images: number;
}

/**
 * For each k: the k units whose mean changed most are set, in every modified row, to zero ('zero') or to the
 * same image's original value ('restore'); the rows go through the head again.
 */
export function clampExperiment(
  original: Float32Array,
  modified: Float32Array,
  labels: number[],
  width: number,
  kernel: Float32Array,
  bias: Float32Array,
  ks: number[],
  mode: 'zero' | 'restore',
): ClampResult[] {
  const n = labels.length;
  const ranked = unitChanges(original, modified, n, width).map((c) => c.unit);
  let correctBefore = 0;
  for (let i = 0; i < n; i++)
    if (argMax(headLogits(modified.subarray(i * width, (i + 1) * width), kernel, bias)) === labels[i]) correctBefore++;
  return ks.map((k) => {
    const units = ranked.slice(0, Math.min(k, width));
    let flippedBack = 0;
    for (let i = 0; i < n; i++) {
      const row = Float32Array.from(modified.subarray(i * width, (i + 1) * width));
      for (const u of units) row[u] = mode === 'zero' ? 0 : original[i * width + u];
      if (argMax(headLogits(row, kernel, bias)) === labels[i]) flippedBack++;
    }
    return { k, units, flippedBack, correctBefore, images: n };
  });
}
