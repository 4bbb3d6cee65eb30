/**
 * Seeded PRNG and engine-independent math for the synthetic face generator.
 *
 * Why not Math.sin/cos/log? ECMAScript specifies +, -, *, /, Math.sqrt and 32-bit integer ops
 * bit-exactly, but leaves the transcendental functions "implementation-approximated": V8,
 * SpiderMonkey and JavaScriptCore may disagree in the last bit, and one flipped bit can change a
 * rounded pixel. So everything here is built from the exact operations only, which makes the
 * generator byte-identical in Node and in every browser.
 */

const HALF_PI = 1.5707963267948966;
const TWO_PI = 6.283185307179586;
const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/** murmur3's 32-bit finaliser: a cheap bijection with good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derive a 32-bit seed from any list of numbers (e.g. `hashSeed(datasetSeed, imageIndex)`).
 * Integers are expected; each contributes its low and high 32-bit words, so indices above 2^32 and
 * negative values still hash deterministically. Order matters: hashSeed(1, 2) !== hashSeed(2, 1).
 */
export function hashSeed(...nums: number[]): number {
  let h = 0x9e3779b9 ^ nums.length;
  for (const n of nums) {
    const lo = n >>> 0;
    const hi = Math.floor(n / 4294967296) >>> 0;
    h = fmix32(Math.imul(h ^ lo, 0x01000193) + 0x7f4a7c15);
    h = fmix32(Math.imul(h ^ hi, 0x01000193) + 0x165667b1);
  }
  return h;
}

/** sin on [-pi/4, pi/4] by its Taylor series to x^13 (error < 1e-14 there), Horner form. */
function sinPoly(x: number): number {
  const x2 = x * x;
  let p = -1 / 6227020800;
  p = p * x2 + 1 / 39916800;
  p = p * x2 - 1 / 362880;
  p = p * x2 + 1 / 5040;
  p = p * x2 - 1 / 120;
  p = p * x2 + 1 / 6;
  p = p * x2 - 1;
  return -x * p;
}

/** cos on [-pi/4, pi/4] by its Taylor series to x^14, Horner form. */
function cosPoly(x: number): number {
  const x2 = x * x;
  let p = -1 / 87178291200;
  p = p * x2 + 1 / 479001600;
  p = p * x2 - 1 / 3628800;
  p = p * x2 + 1 / 40320;
  p = p * x2 - 1 / 720;
  p = p * x2 + 1 / 24;
  p = p * x2 - 1 / 2;
  return p * x2 + 1;
}

/** Deterministic sine (accurate to ~1e-15 for |x| < 100, which is all the generator needs). */
export function detSin(x: number): number {
  const k = Math.round(x / HALF_PI);
  const r = x - k * HALF_PI;
  switch (k & 3) {
    case 0:
      return sinPoly(r);
    case 1:
      return cosPoly(r);
    case 2:
      return -sinPoly(r);
    default:
      return -cosPoly(r);
  }
}

/** Deterministic cosine, via the same quadrant reduction. */
export function detCos(x: number): number {
  return detSin(x + HALF_PI);
}

/** Deterministic natural log for x > 0: exact power-of-two split, then the atanh series. */
export function detLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  let m = x;
  let e = 0;
  // Multiplying/dividing by 2 is exact, so this reduction loses nothing.
  while (m >= 2) {
    m /= 2;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  if (m > SQRT2) {
    m /= 2;
    e++;
  }
  // m in [0.707, 1.414] => |z| <= 0.172, so 11 odd terms reach double precision.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let i = 1; i <= 21; i += 2) {
    sum += term / i;
    term *= z2;
  }
  return e * LN2 + 2 * sum;
}

/** mulberry32: 32-bit state, fast, good enough statistically for image synthesis. */
export class Rng {
  private state: number;
  /** Second Box–Muller deviate, kept so normal() costs one log per two draws. */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal deviate (Box–Muller with the deterministic log/sin/cos above). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const theta = TWO_PI * this.next();
    const r = Math.sqrt(-2 * detLog(u1));
    this.spare = r * detSin(theta);
    this.hasSpare = true;
    return r * detCos(theta);
  }
}
