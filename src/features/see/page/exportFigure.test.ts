/** Figure layout (pure): wrapping, cells inside the figure and apart, crisp whole-number upscaling, table. */
import { describe, expect, it } from 'vitest';
import { layoutFigure, mapImage, rgbImage, wrapText, type Figure, type Measure } from './exportFigure';
import type { GridImage } from './render';

/** 7 px per character (8 in bold or title): close enough to 12 px sans-serif for layout checks. */
const measure: Measure = (text, font) => text.length * (font === 'text' ? 7 : 8);

const image = (width: number, height: number): GridImage => ({
  width,
  height,
  rgba: new Uint8ClampedArray(width * height * 4),
  tiles: 1,
});

describe('wrapText', () => {
  it('breaks between words to fit the width, keeps forced breaks and over-long words', () => {
    expect(wrapText('aaa bbb ccc', 7 * 7, measure)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('one\ntwo', 1000, measure)).toEqual(['one', 'two']);
    expect(wrapText('abcdefghijkl', 35, measure)).toEqual(['abcdefghijkl']);
  });
});

describe('layoutFigure', () => {
  const fig: Figure = {
    title: 'Sanity checks',
    subtitle: ['demo model'],
    cells: [
      ...Array.from({ length: 5 }, (_, i) => ({
        image: image(64, 64),
        caption: `map ${i} with a caption long enough to wrap twice or more`,
      })),
      { image: image(129, 9), caption: 'a wide grid', scale: 3 },
    ],
    columns: 3,
    table: [
      ['method', 'ρ'],
      ['gradient', '0.23'],
    ],
    footer: ['Spearman rank correlation of |attribution|'],
  };
  const layout = layoutFigure(fig, measure);

  it('upscales each image by a whole factor towards the cell size, or by its own', () => {
    expect(layout.cells.map((c) => c.scale)).toEqual([2, 2, 2, 2, 2, 3]);
    expect(layout.cells[0]).toMatchObject({ width: 128, height: 128 });
  });
  it('wraps long captions to the column width', () => {
    // Columns 0 and 1 are 128 px wide; column 2 is as wide as the 3× grid (387 px), so its captions need fewer lines.
    expect([0, 1, 3, 4].map((i) => layout.cells[i].captionLines.length)).toEqual([4, 4, 4, 4]);
    expect(layout.cells[2].captionLines.length).toBeLessThan(4);
    expect(layout.cells[5].captionLines).toEqual(['a wide grid']);
  });
  it('keeps every cell and text inside the figure, and cells apart', () => {
    for (const c of layout.cells) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + c.width).toBeLessThanOrEqual(layout.width);
      expect(c.captionY + c.captionLines.length * 15).toBeLessThanOrEqual(layout.height);
      for (const line of c.captionLines) expect(c.captionX + measure(line, 'text')).toBeLessThanOrEqual(layout.width);
    }
    for (const t of layout.texts) expect(t.x + measure(t.text, t.font)).toBeLessThanOrEqual(layout.width);
    for (let i = 0; i < layout.cells.length; i++)
      for (let j = i + 1; j < layout.cells.length; j++) {
        const a = layout.cells[i];
        const b = layout.cells[j];
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.captionY <= b.y || b.captionY <= a.y;
        expect(apart, `cells ${i} and ${j}`).toBe(true);
      }
  });
  it('puts the table and footer below the grid, the header first', () => {
    const lastCaption = Math.max(...layout.cells.map((c) => c.captionY + c.captionLines.length * 15));
    const method = layout.texts.find((t) => t.text === 'method')!;
    expect(method.font).toBe('bold');
    expect(method.y).toBeGreaterThanOrEqual(lastCaption);
    expect(layout.texts.find((t) => t.text.startsWith('Spearman'))!.y).toBeGreaterThan(method.y);
    expect(layout.rules).toHaveLength(1);
  });
});

describe('images for figures', () => {
  it('maps |attribution| to grey levels by the map maximum, and copies RGB', () => {
    const map = new Float32Array(4);
    map.set([0, -2, 1, 2]);
    const g = mapImage(map, 2);
    expect(Array.from(g.rgba.filter((_, i) => i % 4 === 0))).toEqual([0, 255, 128, 255]);
    expect(Array.from(mapImage(new Float32Array(4), 2).rgba.filter((_, i) => i % 4 === 0))).toEqual([0, 0, 0, 0]);
    expect(Array.from(rgbImage(Uint8Array.from([1, 2, 3]), 1).rgba)).toEqual([1, 2, 3, 255]);
  });
});
