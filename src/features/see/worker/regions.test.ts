import { describe, expect, it } from 'vitest';
import { pointingGame, regionAreas, regionShares, regionTable } from './regions';

/** 4×4 mask: top row hair (1), left half of the rest face (2), right half eyes (4). */
const mask = Uint8Array.from([1, 1, 1, 1, 2, 2, 4, 4, 2, 2, 4, 4, 2, 2, 4, 4]);

describe('regions', () => {
  it('shares of absolute attribution mass per region sum to 1', () => {
    const map = new Float32Array(16);
    map[0] = 1; // hair
    map[5] = -2; // face (absolute value counts)
    map[6] = 1; // eyes
    const shares = regionShares(map, mask);
    expect(shares).toEqual([0, 0.25, 0.5, 0, 0.25, 0, 0]);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(regionShares(new Float32Array(16), mask)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(() => regionShares(new Float32Array(15), mask)).toThrow(RangeError);
    expect(regionAreas(mask)).toEqual([0, 0.25, 0.375, 0, 0.375, 0, 0]);
  });

  it('region table: mean attribution share against mean area share', () => {
    const uniform = new Float32Array(16).fill(1);
    const t = regionTable([uniform], [mask]);
    t.attribution.forEach((a, r) => expect(a).toBeCloseTo(t.area[r], 12));
    expect(t.ratio[1]).toBeCloseTo(1, 12);
    expect(t.ratio[0]).toBeNaN();
  });

  it('pointing game: hits, rate and the chance level', () => {
    const onEyes = new Float32Array(16);
    onEyes[11] = 5;
    const onHair = new Float32Array(16);
    onHair[2] = 5;
    const r = pointingGame([onEyes, onHair, onEyes], [mask, mask, mask], [4]);
    expect(r).toEqual({ hits: 2, total: 3, rate: 2 / 3, chance: 0.375 });
    // Eyes or hair: both hit; chance is their area share.
    expect(pointingGame([onEyes, onHair], [mask, mask], [1, 4])).toMatchObject({ hits: 2, rate: 1, chance: 0.625 });
    // A tolerance of 1 px dilates the target: the hair peak at (0,2) is next to eyes at (1,2).
    const tol = pointingGame([onHair], [mask], [4], 1);
    expect(tol.hits).toBe(1);
    expect(tol.chance).toBeCloseTo(11 / 16, 12); // eyes (6 px) + column 1 of rows 1–3 + row 0 of columns 2–3
    expect(pointingGame([], [], [4]).rate).toBeNaN();
  });
});
