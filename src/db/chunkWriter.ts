/**
 * Writes a dataset's images in CHUNK_SIZE records (see schema.ts), one transaction per chunk, so a long
 * generation or ingest never holds a transaction open and a reload loses at most the chunk in progress.
 * Optional per-image extras (masks, source file, detection score and box) are stored only if given.
 */
import { putChunk } from './datasets';
import type { LabDatabase } from './open';
import { CHUNK_SIZE, MASK_PER_IMAGE, PIXELS_PER_IMAGE, type ImageChunkRecord } from './schema';

export interface ImageExtras {
  mask?: Uint8Array;
  source?: string;
  score?: number;
  /** x, y, width, height in the source photo's pixels */
  box?: readonly [number, number, number, number];
}

interface Pending extends ImageExtras {
  pixels: Uint8Array;
  label: number;
}

export class ChunkWriter {
  private pending: Pending[] = [];
  private nextChunk = 0;
  /** Images added so far (written or pending). */
  count = 0;

  constructor(
    private readonly db: LabDatabase,
    private readonly datasetId: string,
    private readonly onChunkWritten: (imagesWritten: number) => void = () => {},
  ) {}

  async add(pixels: Uint8Array, label: number, extras: ImageExtras = {}): Promise<void> {
    this.pending.push({ pixels, label, ...extras });
    this.count++;
    if (this.pending.length === CHUNK_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    const n = items.length;
    const record: ImageChunkRecord = {
      datasetId: this.datasetId,
      chunk: this.nextChunk++,
      count: n,
      pixels: new Uint8Array(n * PIXELS_PER_IMAGE),
      labels: Uint8Array.from(items, (it) => it.label),
    };
    items.forEach((it, k) => record.pixels.set(it.pixels, k * PIXELS_PER_IMAGE));
    if (items.every((it) => it.mask)) {
      record.masks = new Uint8Array(n * MASK_PER_IMAGE);
      items.forEach((it, k) => record.masks!.set(it.mask!, k * MASK_PER_IMAGE));
    }
    if (items.some((it) => it.source !== undefined)) record.sources = items.map((it) => it.source ?? '');
    if (items.some((it) => it.score !== undefined)) record.scores = Float32Array.from(items, (it) => it.score ?? NaN);
    if (items.some((it) => it.box)) {
      record.boxes = new Float32Array(n * 4);
      items.forEach((it, k) => it.box && record.boxes!.set(it.box, k * 4));
    }
    await putChunk(this.db, record);
    this.onChunkWritten(this.count);
  }
}
