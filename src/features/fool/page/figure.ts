/** The paper's figure layout as one PNG: original | noise | modified, each with its caption and confidences. */
import { noiseImage } from '../shared/noiseImage';
import type { FoolImageResult } from '../shared/protocol';
import { IMAGE_SIDE } from '../../../shared/imageGeometry';

const TILE = 192;
const CAPTION = 46;

function tile(ctx: CanvasRenderingContext2D, pixels: Uint8Array, x: number) {
  const small = document.createElement('canvas');
  small.width = IMAGE_SIDE;
  small.height = IMAGE_SIDE;
  const sctx = small.getContext('2d')!;
  const img = sctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  for (let p = 0; p < IMAGE_SIDE * IMAGE_SIDE; p++) {
    img.data.set([pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2], 255], p * 4);
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, x, 0, TILE, TILE);
}

export async function paperFigurePng(r: FoolImageResult): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = TILE * 3 + 40;
  canvas.height = TILE + CAPTION;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const noise = noiseImage(r.original, r.modified);
  const conf = (p: number[]) => r.classNames.map((n, i) => `${n} ${(p[i] * 100).toFixed(1)}%`).join(' · ');
  const panels: Array<[Uint8Array, string, string]> = [
    [r.original, 'Original', conf(r.probsBefore)],
    [noise.pixels, `Noise ×${noise.scale}`, `max ${noise.maxAbs} levels`],
    [r.modified, 'Modified', conf(r.probsAfter)],
  ];
  ctx.fillStyle = '#000';
  ctx.font = '14px sans-serif';
  panels.forEach(([pixels, title, caption], i) => {
    const x = i * (TILE + 20);
    tile(ctx, pixels, x);
    ctx.fillText(title, x, TILE + 18);
    ctx.fillText(caption, x, TILE + 38);
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
