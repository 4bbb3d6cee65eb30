import { describe, expect, it } from 'vitest';
import { SPLIT_CODES } from '../../db/schema';
import { groupedStratifiedSplit } from './splits';

describe('groupedStratifiedSplit', () => {
  // 3 classes, photos with 1–3 faces each; a few validation photos.
  const labels: number[] = [];
  const groups: string[] = [];
  const validation: boolean[] = [];
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < 20; p++) {
      const faces = 1 + ((p * 7 + c) % 3);
      for (let f = 0; f < faces; f++) {
        labels.push(c);
        groups.push(`c${c}/photo${p}.jpg`);
        validation.push(p >= 18);
      }
    }
  }
  const split = groupedStratifiedSplit('d', labels, groups, (i) => validation[i], 7);

  it('never puts one photo in both train and test', () => {
    const seen = new Map<string, number>();
    split.codes.forEach((code, i) => {
      const before = seen.get(groups[i]);
      if (before !== undefined) expect(code).toBe(before);
      seen.set(groups[i], code);
    });
  });
  it('splits each class 80/20 by photo and keeps validation apart', () => {
    for (let c = 0; c < 3; c++) {
      const photos = (code: number) =>
        new Set(groups.filter((_g, i) => labels[i] === c && split.codes[i] === code)).size;
      expect(photos(SPLIT_CODES.train)).toBe(Math.round(18 * 0.8));
      expect(photos(SPLIT_CODES.test)).toBe(18 - Math.round(18 * 0.8));
      expect(photos(SPLIT_CODES.validation)).toBe(2);
    }
    validation.forEach((v, i) => expect(split.codes[i] === SPLIT_CODES.validation).toBe(v));
    expect(split.counts.train + split.counts.test + split.counts.validation).toBe(labels.length);
  });
  it('is reproducible from the seed, and differs with another seed', () => {
    const again = groupedStratifiedSplit('d', labels, groups, (i) => validation[i], 7);
    expect([...again.codes]).toEqual([...split.codes]);
    const other = groupedStratifiedSplit('d', labels, groups, (i) => validation[i], 8);
    expect([...other.codes]).not.toEqual([...split.codes]);
  });
  it('keeps one photo for test when a class has only two', () => {
    const s = groupedStratifiedSplit('d', [0, 0, 0], ['a', 'a', 'b'], () => false, 1);
    expect(new Set(s.codes)).toEqual(new Set([SPLIT_CODES.train, SPLIT_CODES.test]));
    expect(s.codes[0]).toBe(s.codes[1]);
  });
});
