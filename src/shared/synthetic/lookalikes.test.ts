import { describe, it, expect } from 'vitest';
import {
  CLASS_FEATURES,
  DISCRIMINATIVE_REGIONS,
  FACE_SIZE,
  REGION_NAMES,
  generateFace,
  generateLookalikes,
  iterateLookalikes,
  type SyntheticFace,
} from './lookalikes';
import { Rng, detCos, detLog, detSin, hashSeed } from './rng';

const N = FACE_SIZE * FACE_SIZE;
const R = Object.fromEntries(REGION_NAMES.map((n, i) => [n, i])) as Record<(typeof REGION_NAMES)[number], number>;

/** FNV-1a 32-bit over a sequence of byte arrays. */
function fnv1a(chunks: Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const c of chunks) for (let i = 0; i < c.length; i++) h = Math.imul(h ^ c[i], 0x01000193);
  return h >>> 0;
}

function centroid(mask: Uint8Array, region: number): { x: number; y: number; n: number } {
  let sx = 0,
    sy = 0,
    n = 0;
  for (let i = 0; i < N; i++)
    if (mask[i] === region) {
      sx += i % FACE_SIZE;
      sy += Math.floor(i / FACE_SIZE);
      n++;
    }
  return { x: sx / n, y: sy / n, n };
}

/** sqrt(minor/major eigenvalue) of the pixel covariance: height/width of a filled ellipse, rotation-invariant. */
function aspect(pts: number[][]): number {
  const n = pts.length,
    mx = pts.reduce((s, p) => s + p[0], 0) / n,
    my = pts.reduce((s, p) => s + p[1], 0) / n;
  let a = 0,
    b = 0,
    c = 0;
  for (const [x, y] of pts) {
    a += (x - mx) ** 2;
    b += (x - mx) * (y - my);
    c += (y - my) ** 2;
  }
  const tr = (a + c) / n,
    det = (a * c - b * b) / (n * n),
    d = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  return Math.sqrt(Math.max(0, tr / 2 - d) / (tr / 2 + d));
}

/**
 * Features measured from the mask alone (no access to params), normalised by head size:
 * eye aspect, widest nose row, mean mouth thickness; plus two nuisance measures.
 */
function measure(f: SyntheticFace) {
  const { mask, pixels } = f;
  let head = 0,
    skinSum = 0,
    skinN = 0;
  const eyes: number[][] = [];
  const noseRow = new Array<number>(FACE_SIZE).fill(0);
  let mouthN = 0,
    mouthMinX = FACE_SIZE,
    mouthMaxX = -1;
  for (let i = 0; i < N; i++) {
    const m = mask[i],
      x = i % FACE_SIZE,
      y = Math.floor(i / FACE_SIZE);
    if (m >= R.face) head++;
    if (m === R.face) {
      skinSum += pixels[i * 3] + pixels[i * 3 + 1] + pixels[i * 3 + 2];
      skinN++;
    }
    if (m === R.eyes) eyes.push([x, y]);
    if (m === R.nose) noseRow[y]++;
    if (m === R.mouth) {
      mouthN++;
      mouthMinX = Math.min(mouthMinX, x);
      mouthMaxX = Math.max(mouthMaxX, x);
    }
  }
  const unit = Math.sqrt(head);
  const mx = eyes.reduce((s, p) => s + p[0], 0) / eyes.length;
  const eyeAspect = (aspect(eyes.filter((p) => p[0] < mx)) + aspect(eyes.filter((p) => p[0] >= mx))) / 2;
  return {
    eyeAspect,
    noseWidth: Math.max(...noseRow) / unit,
    mouthThickness: mouthN / (mouthMaxX - mouthMinX + 1) / unit,
    headArea: head,
    skin: skinSum / skinN / 3,
  };
}
type Measured = ReturnType<typeof measure>;
const DISCRIMINATIVE = ['eyeAspect', 'noseWidth', 'mouthThickness'] as const;

function stats(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) };
}

/** Cohen's d between the two classes. */
function effect(ms: Measured[], labels: number[], key: keyof Measured): number {
  const a = stats(ms.filter((_, i) => labels[i] === 0).map((m) => m[key]));
  const b = stats(ms.filter((_, i) => labels[i] === 1).map((m) => m[key]));
  return (b.mean - a.mean) / Math.sqrt((a.sd ** 2 + b.sd ** 2) / 2);
}

/** Nearest class mean on z-scored features; returns accuracy on the test set. */
function nearestMean(train: number[][], trainY: number[], test: number[][], testY: number[]): number {
  const d = train[0].length;
  const st = Array.from({ length: d }, (_, j) => stats(train.map((r) => r[j])));
  const z = (r: number[]) => r.map((v, j) => (v - st[j].mean) / st[j].sd);
  const means = [0, 1].map((c) => {
    const rows = train.filter((_, i) => trainY[i] === c).map(z);
    return Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  });
  let ok = 0;
  test.forEach((r, i) => {
    const zr = z(r);
    const dist = means.map((m) => m.reduce((s, v, j) => s + (zr[j] - v) ** 2, 0));
    if ((dist[1] < dist[0] ? 1 : 0) === testY[i]) ok++;
  });
  return ok / test.length;
}

describe('rng', () => {
  it('is seeded, in range, and its math helpers are accurate', () => {
    const a = new Rng(7),
      b = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const v = a.next();
      expect(v).toBe(b.next());
      expect(v >= 0 && v < 1).toBe(true);
      const k = a.int(-3, 3);
      b.int(-3, 3);
      expect(k >= -3 && k <= 3 && Number.isInteger(k)).toBe(true);
    }
    const normals = Array.from({ length: 20000 }, () => a.normal());
    const s = stats(normals);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.sd - 1)).toBeLessThan(0.03);
    for (const x of [-7, -2, -0.5, 0, 0.3, 1, 2.5, 4, 6.28]) {
      expect(detSin(x)).toBeCloseTo(Math.sin(x), 12);
      expect(detCos(x)).toBeCloseTo(Math.cos(x), 12);
    }
    for (const x of [1e-9, 0.001, 0.5, 1, 1.7, 10, 12345]) expect(detLog(x)).toBeCloseTo(Math.log(x), 12);
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
    expect(hashSeed(5)).toBe(hashSeed(5));
  });
});

describe('lookalikes', () => {
  it('is deterministic and pinned across platforms', () => {
    const a = generateFace(123, 1),
      b = generateFace(123, 1);
    expect(a.pixels).toEqual(b.pixels);
    expect(a.mask).toEqual(b.mask);
    expect(a.params).toEqual(b.params);
    const batch = generateLookalikes(16, 42);
    const hash = fnv1a(batch.flatMap((f) => [f.pixels, f.mask]));
    console.log(`lookalikes(16, 42) FNV-1a = 0x${hash.toString(16)}`);
    expect(hash).toBe(0xaa890478);
  });

  it('has the right shapes, alternating labels, distinct images and a consistent stream', () => {
    const batch = generateLookalikes(10, 3);
    expect(batch.map((f) => f.label)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    for (const f of batch) {
      expect(f.pixels).toBeInstanceOf(Uint8Array);
      expect(f.pixels.length).toBe(FACE_SIZE * FACE_SIZE * 3);
      expect(f.mask.length).toBe(FACE_SIZE * FACE_SIZE);
      expect(Math.max(...f.mask)).toBeLessThan(REGION_NAMES.length);
      for (const v of Object.values(f.params)) expect(Number.isFinite(v)).toBe(true);
    }
    const hashes = new Set(batch.map((f) => fnv1a([f.pixels])));
    expect(hashes.size).toBe(batch.length);
    expect(fnv1a([generateLookalikes(4, 4)[0].pixels])).not.toBe(fnv1a([generateLookalikes(4, 5)[0].pixels]));
    const tail = [...iterateLookalikes(4, 3, 6)];
    expect(tail.map((f) => f.pixels)).toEqual(batch.slice(6).map((f) => f.pixels));
  });

  it('twins of one seed differ only in the class features', () => {
    const a = generateFace(99, 0).params,
      b = generateFace(99, 1).params;
    for (const k of Object.keys(a) as (keyof typeof a)[]) {
      if (k in CLASS_FEATURES) expect(a[k]).not.toBe(b[k]);
      else expect(a[k]).toBe(b[k]);
    }
  });

  it('draws every region in every image, with eyes above nose above mouth', () => {
    for (const f of generateLookalikes(50, 11)) {
      const counts = new Array<number>(REGION_NAMES.length).fill(0);
      for (const m of f.mask) counts[m]++;
      for (const c of counts) expect(c).toBeGreaterThan(0);
      const brows = centroid(f.mask, R.brows),
        eyes = centroid(f.mask, R.eyes);
      const nose = centroid(f.mask, R.nose),
        mouth = centroid(f.mask, R.mouth);
      expect(brows.y).toBeLessThan(eyes.y);
      expect(eyes.y).toBeLessThan(nose.y);
      expect(nose.y).toBeLessThan(mouth.y);
      expect(Math.abs(nose.x - mouth.x)).toBeLessThan(4); // both on the (slightly tilted) face axis
    }
    expect(DISCRIMINATIVE_REGIONS.every((r) => REGION_NAMES.includes(r))).toBe(true);
  });

  it('differs between classes only in the discriminative features, learnably but not perfectly', () => {
    const train = generateLookalikes(400, 2024),
      test = generateLookalikes(400, 777);
    const mTrain = train.map(measure),
      mTest = test.map(measure);
    const yTrain = train.map((f) => f.label),
      yTest = test.map((f) => f.label);
    const report: string[] = [];
    for (const k of [...DISCRIMINATIVE, 'headArea', 'skin'] as const) {
      const d = effect(mTrain, yTrain, k);
      report.push(`${k}: d=${d.toFixed(2)}`);
      if ((DISCRIMINATIVE as readonly string[]).includes(k)) expect(Math.abs(d)).toBeGreaterThan(1);
      else expect(Math.abs(d)).toBeLessThan(0.3);
    }
    const rows = (ms: Measured[]) => ms.map((m) => DISCRIMINATIVE.map((k) => m[k]));
    const acc = nearestMean(rows(mTrain), yTrain, rows(mTest), yTest);
    // The same classifier on the true parameters approximates the Bayes rate (equal-variance Gaussians).
    const keys = Object.keys(CLASS_FEATURES) as (keyof typeof CLASS_FEATURES)[];
    const pRows = (fs: SyntheticFace[]) => fs.map((f) => keys.map((k) => f.params[k]));
    const ideal = nearestMean(pRows(train), yTrain, pRows(test), yTest);
    console.log(
      `${report.join(', ')}; nearest-mean accuracy: mask features ${(acc * 100).toFixed(1)} %, true params ${(ideal * 100).toFixed(1)} %`,
    );
    expect(acc).toBeGreaterThan(0.75);
    expect(acc).toBeLessThan(0.995);
    expect(ideal).toBeLessThan(1);
  });

  it('generates 10,000 images quickly', () => {
    const t0 = performance.now();
    let n = 0,
      check = 0;
    for (const f of iterateLookalikes(10_000, 5)) {
      n++;
      check ^= f.pixels[n % f.pixels.length];
    }
    const ms = performance.now() - t0;
    console.log(`10,000 faces in ${ms.toFixed(0)} ms (${(ms / 10_000).toFixed(3)} ms/face; checksum ${check})`);
    expect(n).toBe(10_000);
    expect(ms).toBeLessThan(10_000);
  });
});
