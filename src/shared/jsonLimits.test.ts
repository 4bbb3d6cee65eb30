import { describe, expect, it } from 'vitest';
import { checkJsonDepth, checkSize, describeBytes, jsonDepth } from './jsonLimits';

describe('jsonLimits', () => {
  it('measures nesting, ignoring brackets inside strings (escaped quotes included)', () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[\\"[[[["}')).toBe(1);
    expect(jsonDepth('3')).toBe(0);
  });
  it('refuses a 5 MB nested array quickly, without echoing it', () => {
    const hostile = '['.repeat(2_500_000) + ']'.repeat(2_500_000);
    const t0 = performance.now();
    expect(() => checkJsonDepth(hostile, 64, 'model.json')).toThrow(
      /^model.json nests more than 64 levels deep \(files we write use far fewer\); refusing it.$/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => checkJsonDepth('{"a":[[1]]}', 64, 'x')).not.toThrow();
  });
  it('says sizes in words', () => {
    expect(describeBytes(5_100_000)).toBe('5.1 MB');
    expect(describeBytes(172_608)).toBe('172.6 kB');
    expect(() => checkSize(5_100_000, 2_000_000, 'model.json', 'a layers model of this app is under 100 kB')).toThrow(
      'model.json is 5.1 MB; the largest we accept is 2.0 MB (a layers model of this app is under 100 kB).',
    );
    expect(() => checkSize(5_243_000, 5_242_880, 'model.json', 'why')).toThrow(
      'model.json is 5,243,000 bytes; the largest we accept is 5,242,880 bytes (why).',
    );
  });
});
