import { describe, expect, it } from 'vitest';
import { classBalance, reviewEntries, reviewOrder } from './reviewOrder';

const base = {
  labels: [0, 0, 1, 1, 0],
  scores: [0.95, 0.6, 0.9, 0.92, 0.93],
  sources: ['a.jpg', 'b.jpg', 'c.jpg', 'c.jpg', 'd.jpg'],
  excluded: [0, 0, 0, 0, 2],
  accepted: [0, 0, 0, 0, 0],
  duplicateOf: [-1, -1, -1, -1, 0],
};

describe('review order', () => {
  it('puts the doubtful crops first and says why', () => {
    const entries = reviewEntries(base);
    expect(entries[0]).toEqual({ index: 0, doubt: 0, reasons: [] });
    expect(entries[1].reasons).toEqual(['detector unsure (0.60)']);
    expect(entries[2].reasons).toEqual(['2 faces in its photo']);
    expect(entries[4].reasons).toEqual(['duplicate of face 1']);
    const order = reviewOrder(entries, base, 'doubtful').map((e) => e.index);
    // 4 is excluded (duplicate) so not in the kept view; 2 and 3 (two faces, doubt 2) before 1 (doubt 1.6), 0 last.
    expect(order).toEqual([2, 3, 1, 0]);
    expect(reviewOrder(entries, base, 'rejected').map((e) => e.index)).toEqual([4]);
    expect(reviewOrder(entries, base, 'all', 1).map((e) => e.index)).toEqual([2, 3]);
  });

  it('an accepted crop is no longer doubtful; a low model confidence is', () => {
    const entries = reviewEntries({ ...base, accepted: [0, 1, 0, 0, 0], labelConfidence: [0.99, 0.9, 0.2, 0.95, 0.9] });
    expect(entries[1].doubt).toBe(0);
    expect(entries[2].reasons).toContain('model gives its label 20 %');
    expect(reviewOrder(entries, base, 'doubtful')[0].index).toBe(2);
  });

  it('counts the kept crops per class and split', () => {
    expect(classBalance(base.labels, [0, 1, 0, 2, 0], base.excluded, 2)).toEqual([
      [1, 1, 0],
      [1, 0, 1],
    ]);
  });
});

describe('review order by the noise sorting', () => {
  it('lowest label confidence first, and one bin at a time', () => {
    const entries = reviewEntries(base);
    const scores = { confidence: [0.95, 0.3, 0.7, NaN, 0.1], bins: [0, 2, 1, 0, 2] };
    // 4 is excluded; 3 was not scored (NaN): last.
    expect(reviewOrder(entries, base, 'confidence', undefined, scores).map((e) => e.index)).toEqual([1, 2, 0, 3]);
    expect(reviewOrder(entries, base, 'confidence', undefined, { ...scores, bin: 2 }).map((e) => e.index)).toEqual([1]);
    expect(reviewOrder(entries, base, 'rejected', undefined, { ...scores, bin: 2 }).map((e) => e.index)).toEqual([4]);
    expect(reviewOrder(entries, base, 'all', 0, { ...scores, bin: 0 }).map((e) => e.index)).toEqual([0]);
  });
});
