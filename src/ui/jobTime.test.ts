import { describe, expect, it } from 'vitest';
import { formatSeconds, secondsLeft } from './jobTime';

describe('secondsLeft', () => {
  it('extrapolates the measured rate to the units left', () => {
    // 10 of 40 images in 5 s: 0.5 s each, 30 left → 15 s.
    expect(secondsLeft(10, 40, 5000)).toBeCloseTo(15, 9);
    // A slower rate gives proportionally more.
    expect(secondsLeft(10, 40, 10_000)).toBeCloseTo(30, 9);
  });
  it('says nothing before the first unit, and zero at the end', () => {
    expect(secondsLeft(0, 40, 5000)).toBeNull();
    expect(secondsLeft(3, 0, 5000)).toBeNull();
    expect(secondsLeft(40, 40, 5000)).toBe(0);
  });
  it('formats seconds then minutes', () => {
    expect(formatSeconds(14.2)).toBe('15 s');
    expect(formatSeconds(600)).toBe('10 min');
  });
});
