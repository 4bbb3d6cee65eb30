import { describe, expect, it } from 'vitest';
import { newId } from './newId';

describe('newId', () => {
  it('is the prefix, the time in base 36 and 8 hex digits', () => {
    const before = Date.now();
    const id = newId('run');
    const m = /^run-([0-9a-z]+)-([0-9a-f]{8})$/.exec(id);
    expect(m).not.toBeNull();
    const t = parseInt(m![1], 36);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it('differs between calls in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('photos')));
    expect(ids.size).toBe(1000);
  });
});
