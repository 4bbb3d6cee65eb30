/** Tests for seeded, balanced survey pair making and the training-image pick. */
import { describe, expect, it } from 'vitest';
import { makePairs, pickTraining } from './pairs';

/** 4 people × 5 images: ids "p<label>-<n>". */
const images = Array.from({ length: 20 }, (_, i) => ({ id: `p${i % 4}-${Math.floor(i / 4)}`, label: i % 4 }));
const labelOf = new Map(images.map((im) => [im.id, im.label]));

describe('makePairs', () => {
  it('is balanced: floor(count/2) same pairs and the rest different', () => {
    for (const count of [0, 1, 2, 7, 30]) {
      const pairs = makePairs(images, count, 1);
      expect(pairs).toHaveLength(count);
      expect(pairs.filter((p) => p.same)).toHaveLength(Math.floor(count / 2));
      expect(pairs.filter((p) => !p.same)).toHaveLength(count - Math.floor(count / 2));
    }
  });

  it('labels agree with same/different and no image is paired with itself', () => {
    const pairs = makePairs(images, 60, 7);
    for (const p of pairs) {
      expect(p.a).not.toBe(p.b);
      expect(labelOf.has(p.a) && labelOf.has(p.b)).toBe(true);
      expect(labelOf.get(p.a) === labelOf.get(p.b)).toBe(p.same);
    }
  });

  it('does not repeat an unordered pair while unused ones remain', () => {
    // 4 people × 5 images → 40 same pairs and 150 different pairs available.
    const pairs = makePairs(images, 80, 3);
    const keys = pairs.map((p) => [p.a, p.b].sort().join('|'));
    expect(new Set(keys).size).toBe(80);
    // All 40 same pairs get used, then repeats are allowed.
    const many = makePairs(images, 100, 3).filter((p) => p.same);
    expect(new Set(many.map((p) => [p.a, p.b].sort().join('|'))).size).toBe(40);
  });

  it('is seeded: same seed → identical, different seed → different', () => {
    expect(makePairs(images, 24, 42)).toEqual(makePairs(images, 24, 42));
    expect(makePairs(images, 24, 43)).not.toEqual(makePairs(images, 24, 42));
  });

  it('shuffles the order and both sides (not all same first, a/b not always sorted)', () => {
    const pairs = makePairs(images, 40, 5);
    expect(pairs.slice(0, 20).every((p) => p.same)).toBe(false);
    expect(pairs.some((p) => p.a > p.b)).toBe(true);
    expect(pairs.some((p) => p.a < p.b)).toBe(true);
  });

  it('throws clear errors for unusable inputs', () => {
    expect(() => makePairs([...images, { id: 'solo', label: 9 }], 10, 1)).toThrow(/person 9 has 1 image/);
    expect(() =>
      makePairs(
        images.filter((im) => im.label === 0),
        10,
        1,
      ),
    ).toThrow(/at least 2 people/);
    expect(() => makePairs([...images, { id: 'p0-0', label: 0 }], 10, 1)).toThrow(/duplicate image id "p0-0"/);
    expect(() => makePairs(images, 2.5, 1)).toThrow(/count/);
  });
});

describe('pickTraining', () => {
  it('picks perClass distinct ids of each person, seeded', () => {
    const ids = pickTraining(images, 2, 9);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    expect(ids.map((id) => labelOf.get(id))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(pickTraining(images, 2, 9)).toEqual(ids);
    const seeds = [10, 11, 12, 13].map((s) => pickTraining(images, 2, s).join());
    expect(new Set([ids.join(), ...seeds]).size).toBeGreaterThan(1);
  });

  it('takes every image of a person with fewer than perClass', () => {
    expect(pickTraining(images, 9, 1)).toHaveLength(20);
  });
});
