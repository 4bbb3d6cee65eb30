/**
 * Export of a See panel as one PNG figure: a title, a grid of images each with its caption (crisp, integer
 * upscaling, so a 64×64 map stays a map and not a blur), an optional text table and footer lines — the
 * layout of a paper figure, for a report or a slide. `layoutFigure` is pure (text width comes from a measure
 * function, so it is testable in Node); `renderFigure` draws the layout on a canvas and encodes it with the
 * browser's own PNG encoder (`canvas.toBlob`), so no encoder ships with the app.
 */
import { downloadBytes } from '../../../ui/download';
import type { GridImage } from './render';

export interface FigureCell {
  image: GridImage;
  /** Wrapped to the cell's column width; '\n' forces a line break. */
  caption: string;
  /** Whole-number upscaling of this image; default: the largest that keeps it within the figure's cellSize. */
  scale?: number;
}

export interface Figure {
  title: string;
  /** Lines under the title (model, settings). */
  subtitle?: string[];
  cells: FigureCell[];
  /** Cells per row. */
  columns: number;
  /** Target on-figure size of an image's longer side in px (default 128); each image is upscaled by a whole factor ≥ 1. */
  cellSize?: number;
  /** Text table under the grid; the first row is the header. */
  table?: string[][];
  footer?: string[];
}

export type FontRole = 'title' | 'text' | 'bold';
export type Measure = (text: string, font: FontRole) => number;

export const FONTS: Record<FontRole, string> = {
  title: 'bold 16px sans-serif',
  text: '12px sans-serif',
  bold: 'bold 12px sans-serif',
};
const PAD = 16;
const GAP = 12;
const LINE = 15;
const TITLE_LINE = 22;
const MIN_COLUMN = 96;

export interface PlacedCell {
  x: number;
  y: number;
  scale: number;
  width: number;
  height: number;
  captionLines: string[];
  /** Left of the caption (its column's left edge: captions wrap to the column width) and top of its first line. */
  captionX: number;
  captionY: number;
}

export interface PlacedText {
  text: string;
  x: number;
  y: number;
  font: FontRole;
}

export interface FigureLayout {
  width: number;
  height: number;
  cells: PlacedCell[];
  /** Every piece of text (title, subtitle, table cells, footer) with its top-left corner; captions are in `cells`. */
  texts: PlacedText[];
  /** Horizontal rules of the table: [x0, x1, y]. */
  rules: Array<[number, number, number]>;
}

/** Greedy word wrap to `maxWidth`; a word longer than the width gets a line of its own. */
export function wrapText(text: string, maxWidth: number, measure: Measure, font: FontRole = 'text'): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && measure(candidate, font) > maxWidth) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

/** Positions of everything on the figure; pure. */
export function layoutFigure(fig: Figure, measure: Measure): FigureLayout {
  const columns = Math.max(1, Math.min(Math.round(fig.columns), fig.cells.length || 1));
  const target = fig.cellSize ?? 128;
  const scaled = fig.cells.map((c) => {
    const scale = Math.max(1, Math.round(c.scale ?? Math.floor(target / Math.max(c.image.width, c.image.height))));
    return { scale, width: c.image.width * scale, height: c.image.height * scale };
  });
  const colWidth = Array.from({ length: columns }, (_, col) =>
    scaled.reduce((w, s, i) => (i % columns === col ? Math.max(w, s.width) : w), MIN_COLUMN),
  );
  const texts: PlacedText[] = [];
  let y = PAD;
  texts.push({ text: fig.title, x: PAD, y, font: 'title' });
  let width = measure(fig.title, 'title');
  y += TITLE_LINE;
  for (const line of fig.subtitle ?? []) {
    texts.push({ text: line, x: PAD, y, font: 'text' });
    width = Math.max(width, measure(line, 'text'));
    y += LINE;
  }
  y += GAP;
  const colX = colWidth.map((_, c) => PAD + colWidth.slice(0, c).reduce((a, b) => a + b + GAP, 0));
  width = Math.max(width, colWidth.reduce((a, b) => a + b, 0) + GAP * (columns - 1));
  const cells: PlacedCell[] = [];
  for (let start = 0; start < fig.cells.length; start += columns) {
    const row = fig.cells.slice(start, start + columns);
    const imageHeight = Math.max(...row.map((_, k) => scaled[start + k].height));
    const captions = row.map((c, k) => wrapText(c.caption, colWidth[k], measure));
    row.forEach((_, k) => {
      const s = scaled[start + k];
      cells.push({
        x: colX[k], // left-aligned with its caption
        y,
        ...s,
        captionLines: captions[k],
        captionX: colX[k],
        captionY: y + imageHeight + 4,
      });
    });
    y += imageHeight + 4 + Math.max(...captions.map((c) => c.length)) * LINE + GAP;
  }
  const rules: Array<[number, number, number]> = [];
  if (fig.table?.length) {
    const nCols = Math.max(...fig.table.map((r) => r.length));
    const tableCol = Array.from({ length: nCols }, (_, c) =>
      Math.max(...fig.table!.map((r, i) => measure(r[c] ?? '', i === 0 ? 'bold' : 'text'))),
    );
    const tableWidth = tableCol.reduce((a, b) => a + b, 0) + GAP * (nCols - 1);
    width = Math.max(width, tableWidth);
    fig.table.forEach((r, i) => {
      let x = PAD;
      r.forEach((text, c) => {
        texts.push({ text, x, y, font: i === 0 ? 'bold' : 'text' });
        x += tableCol[c] + GAP;
      });
      y += LINE + 3;
      if (i === 0) rules.push([PAD, PAD + tableWidth, y - 2]);
    });
    y += GAP;
  }
  for (const line of fig.footer ?? []) {
    texts.push({ text: line, x: PAD, y, font: 'text' });
    width = Math.max(width, measure(line, 'text'));
    y += LINE;
  }
  return { width: Math.ceil(width + 2 * PAD), height: Math.ceil(y + PAD - GAP / 2), cells, texts, rules };
}

/** 64×64 RGB bytes (HWC) as a grid image. */
export function rgbImage(pixels: Uint8Array, size = 64): GridImage {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba.set([pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2], 255], i * 4);
  }
  return { width: size, height: size, rgba, tiles: 1 };
}

/** An attribution map as grey levels: black = 0, white = the map's largest |value| (all black if it has none). */
export function mapImage(map: Float32Array, size = 64): GridImage {
  let max = 0;
  for (const v of map) max = Math.max(max, Math.abs(v));
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const g = max > 0 ? Math.round((255 * Math.abs(map[i])) / max) : 0;
    rgba.set([g, g, g, 255], i * 4);
  }
  return { width: size, height: size, rgba, tiles: 1 };
}

/** Draws the figure and encodes it as PNG (browser only). */
export async function renderFigure(fig: Figure): Promise<Blob> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  const measure: Measure = (text, font) => {
    ctx.font = FONTS[font];
    return ctx.measureText(text).width;
  };
  const layout = layoutFigure(fig, measure);
  canvas.width = layout.width; // resizing resets the context's state, so fonts are set again below
  canvas.height = layout.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.fillStyle = '#111';
  ctx.textBaseline = 'top';
  ctx.imageSmoothingEnabled = false; // crisp upscaling: each attribution pixel stays a square
  const tile = document.createElement('canvas');
  const tileCtx = tile.getContext('2d')!;
  layout.cells.forEach((cell, i) => {
    const { image } = fig.cells[i];
    tile.width = image.width;
    tile.height = image.height;
    tileCtx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
    ctx.drawImage(tile, cell.x, cell.y, cell.width, cell.height);
    ctx.font = FONTS.text;
    cell.captionLines.forEach((line, k) => ctx.fillText(line, cell.captionX, cell.captionY + k * LINE));
  });
  for (const t of layout.texts) {
    ctx.font = FONTS[t.font];
    ctx.fillText(t.text, t.x, t.y);
  }
  ctx.strokeStyle = '#888';
  for (const [x0, x1, yy] of layout.rules) {
    ctx.beginPath();
    ctx.moveTo(x0, yy + 0.5);
    ctx.lineTo(x1, yy + 0.5);
    ctx.stroke();
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))),
      'image/png',
    ),
  );
}

/** Renders the figure and saves it as `filename` through the browser's download. */
export async function exportFigurePng(fig: Figure, filename: string): Promise<void> {
  downloadBytes(await renderFigure(fig), filename, 'image/png');
}
