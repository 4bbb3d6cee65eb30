import { describe, expect, it } from 'vitest';
import { argMax } from './argMax';

describe('argMax', () => {
  it('gives the index of the largest value', () => {
    expect(argMax([0.2, 0.7, 0.1])).toBe(1);
    expect(argMax(Float32Array.from([0.9, 0.1]))).toBe(0);
    expect(argMax([-3, -1, -2])).toBe(1);
    expect(argMax([7])).toBe(0);
  });

  it('takes the first index on ties', () => {
    expect(argMax(Float32Array.from([1, 3, 3, 2]))).toBe(1);
    expect(argMax([0.5, 0.5])).toBe(0);
  });

  it('ignores NaN and gives -1 where there is nothing to pick', () => {
    expect(argMax([NaN, 0.4, 0.6])).toBe(2);
    expect(argMax([0.4, NaN, 0.3])).toBe(0);
    expect(argMax([])).toBe(-1);
    expect(argMax([NaN, NaN])).toBe(-1);
  });

  it('treats -Infinity as a value (as Math.max does)', () => {
    expect(argMax([-Infinity, -Infinity])).toBe(0);
    expect(argMax([NaN, -Infinity])).toBe(1);
    expect(argMax([-Infinity, -5])).toBe(1);
  });

  it('handles a map too long to spread into Math.max', () => {
    const map = new Float32Array(1 << 20);
    map[777_777] = 1;
    expect(argMax(map)).toBe(777_777);
  });
});
