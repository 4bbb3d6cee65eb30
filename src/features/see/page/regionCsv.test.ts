/** The region table's CSV: one row per region plus the pointing game, RFC 4180 quoting, fractions. */
import { describe, expect, it } from 'vitest';
import type { WhereItLooks } from '../shared/protocol';
import { csvField, regionCsv } from './regionCsv';

const result: WhereItLooks = {
  images: 2,
  regions: ['background', 'eyes', 'mouth'],
  targets: ['eyes', 'mouth'],
  approximate: false,
  skipped: 0,
  rows: [
    {
      method: 'gradient',
      attribution: [0.5, 0.3, 0.2],
      area: [0.9, 0.05, 0],
      ratio: [0.5 / 0.9, 6, NaN],
      pointing: { hits: 1, total: 2, rate: 0.5, chance: 0.05 },
      msPerImage: 10,
    },
    {
      method: 'gradcam',
      attribution: [0.8, 0.15, 0.05],
      area: [0.9, 0.05, 0],
      ratio: [0.8 / 0.9, 3, NaN],
      pointing: { hits: 0, total: 2, rate: 0, chance: 0.05 },
      msPerImage: 5,
    },
  ],
};

describe('regionCsv', () => {
  it('writes a header, one row per region and the pointing game row', () => {
    const lines = regionCsv(result).trimEnd().split('\r\n');
    expect(lines).toEqual([
      'region,discriminative,area_share,gradient_attribution_share,gradient_ratio,gradcam_attribution_share,gradcam_ratio,masks',
      'background,no,0.9,0.5,0.555556,0.8,0.888889,true (synthetic faces)',
      'eyes,yes,0.05,0.3,6,0.15,3,true (synthetic faces)',
      'mouth,yes,0,0.2,,0.05,,true (synthetic faces)',
      'pointing game (eyes/mouth),,0.05,0.5,10,0,0,true (synthetic faces)',
    ]);
  });
  it('labels approximate masks (photos) on every row', () => {
    const lines = regionCsv({ ...result, regions: ['hair/background', 'eyes', 'mouth'], approximate: true, skipped: 3 })
      .trimEnd()
      .split('\r\n');
    expect(lines[1]).toBe('hair/background,no,0.9,0.5,0.555556,0.8,0.888889,approximate (from face keypoints)');
    expect(lines.slice(1).every((l) => l.endsWith(',approximate (from face keypoints)'))).toBe(true);
  });
  it('quotes fields that need it', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(Infinity)).toBe('');
    expect(csvField(1 / 3)).toBe('0.333333');
  });
});
