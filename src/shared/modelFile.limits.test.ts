import { describe, expect, it } from 'vitest';
import { checkModelFiles, declaredWeightBytes, manifestPaths } from './modelFile';

describe('model file limits (issue 18)', () => {
  it('refuses a 5 MB nested model.json with a short message, before parsing', () => {
    const nested = '{"modelTopology":' + '['.repeat(2_400_000) + ']'.repeat(2_400_000) + '}';
    expect(() => checkModelFiles(nested, 0)).toThrow(
      /^model.json nests more than 64 levels deep \(files we write use far fewer\); refusing it.$/,
    );
    expect(manifestPaths(nested)).toBeNull();
  });
  it('says a size limit in words', () => {
    expect(() => checkModelFiles('x'.repeat(6 * 1024 * 1024), 0)).toThrow(
      /^model.json is 6.3 MB; the largest we accept is 5.2 MB \(/,
    );
  });
  it('reads the declared weight bytes from the manifest', () => {
    const json = JSON.stringify({
      weightsManifest: [
        {
          paths: ['a'],
          weights: [
            { name: 'k', shape: [3, 3, 3, 8], dtype: 'float32' },
            { name: 'b', shape: [8] },
          ],
        },
      ],
    });
    expect(declaredWeightBytes(json)).toBe((216 + 8) * 4);
    expect(declaredWeightBytes('{"weightsManifest":[{"weights":[{"shape":[-1]}]}]}')).toBeNull();
  });
});
