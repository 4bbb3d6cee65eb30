/**
 * Writes a dataset's images in CHUNK_SIZE records (see schema.ts), one transaction per chunk, so a long
 * generation or ingest never holds a transaction open and a reload loses at most the chunk in progress.
 * Optional per-image extras (masks, source file, detection score, box, keypoints, 128×128 display copy) are
 * stored only if given.
 *
 * For ingest, which must survive a reload mid-folder: `checkpoint(record)` writes the partly filled chunk
 * (and its display copies) together with the dataset record in ONE transaction, without closing the chunk;
 * `ChunkWriter.resume` reopens a dataset at the image count its record says, so images written after the
 * last saved record (a kill between transactions cannot happen, but a kill mid-photo can) are overwritten.
 */
import { ingestQuotaFault, quotaError } from './faults';
import type { LabDatabase } from './open';
import {
  CHUNK_SIZE,
  MASK_PER_IMAGE,
  PIXELS_PER_IMAGE,
  PIXELS_PER_THUMB,
  STORES,
  type DatasetRecord,
  type ImageChunkRecord,
  type ThumbChunkRecord,
} from './schema';

export interface ImageExtras {
  mask?: Uint8Array;
  source?: string;
  score?: number;
  /** x, y, width, height in the source photo's pixels */
  box?: readonly [number, number, number, number];
  /** Six (x, y) keypoints in the source photo's pixels, flattened (12 numbers). */
  keypoints?: ArrayLike<number>;
  /** THUMB_SIZE² RGB display copy. */
  thumb?: Uint8Array;
}

interface Pending extends ImageExtras {
  pixels: Uint8Array;
  label: number;
}

export class ChunkWriter {
  private pending: Pending[] = [];
  private nextChunk = 0;
  /** Images added so far (written or pending), including those already stored when resumed. */
  count = 0;

  constructor(
    private readonly db: LabDatabase,
    private readonly datasetId: string,
    private readonly onChunkWritten: (imagesWritten: number) => void = () => {},
  ) {}

  /** A writer that continues a dataset holding `count` images (a partial last chunk is reloaded and kept open). */
  static async resume(db: LabDatabase, datasetId: string, count: number): Promise<ChunkWriter> {
    const writer = new ChunkWriter(db, datasetId);
    writer.nextChunk = Math.floor(count / CHUNK_SIZE);
    writer.count = count;
    const inLast = count % CHUNK_SIZE;
    if (inLast === 0) return writer;
    const chunk = await db.get(STORES.images, [datasetId, writer.nextChunk]);
    if (!chunk || chunk.count < inLast)
      throw new Error(`dataset ${datasetId}: chunk ${writer.nextChunk} is missing images`);
    const thumbs = await db.get(STORES.thumbs, [datasetId, writer.nextChunk]);
    for (let k = 0; k < inLast; k++) writer.pending.push(itemOf(chunk, thumbs, k));
    return writer;
  }

  async add(pixels: Uint8Array, label: number, extras: ImageExtras = {}): Promise<void> {
    this.pending.push({ pixels, label, ...extras });
    this.count++;
    if (this.pending.length === CHUNK_SIZE) await this.flush();
  }

  /** Writes the pending images as the current chunk and starts a new one. */
  async flush(record?: DatasetRecord): Promise<void> {
    if (this.pending.length === 0) {
      if (record) await this.db.put(STORES.datasets, record);
      return;
    }
    await this.write(record);
    this.pending = [];
    this.nextChunk++;
    this.onChunkWritten(this.count);
  }

  /** Writes the pending images and `record` in one transaction; the chunk stays open for more images. */
  async checkpoint(record: DatasetRecord): Promise<void> {
    if (this.pending.length === CHUNK_SIZE) return this.flush(record);
    if (this.pending.length === 0) {
      await this.db.put(STORES.datasets, record);
      return;
    }
    await this.write(record);
  }

  private async write(record?: DatasetRecord): Promise<void> {
    const { chunk, thumbs } = this.records();
    const stores = [STORES.images, STORES.thumbs, STORES.datasets] as const;
    const tx = this.db.transaction([...stores], 'readwrite');
    const puts: Promise<unknown>[] = [tx.objectStore(STORES.images).put(chunk)];
    if (thumbs) puts.push(tx.objectStore(STORES.thumbs).put(thumbs));
    if (record) puts.push(tx.objectStore(STORES.datasets).put(record));
    if (ingestQuotaFault(this.datasetId)) {
      tx.abort(); // as a full disk would: nothing of this transaction is stored
      await Promise.allSettled([...puts, tx.done]);
      throw quotaError(`writing image ${this.count} of dataset ${this.datasetId}`);
    }
    await Promise.all([...puts, tx.done]);
  }

  private records(): { chunk: ImageChunkRecord; thumbs: ThumbChunkRecord | null } {
    const items = this.pending;
    const n = items.length;
    const chunk: ImageChunkRecord = {
      datasetId: this.datasetId,
      chunk: this.nextChunk,
      count: n,
      pixels: new Uint8Array(n * PIXELS_PER_IMAGE),
      labels: Uint8Array.from(items, (it) => it.label),
    };
    items.forEach((it, k) => chunk.pixels.set(it.pixels, k * PIXELS_PER_IMAGE));
    if (items.every((it) => it.mask)) {
      chunk.masks = new Uint8Array(n * MASK_PER_IMAGE);
      items.forEach((it, k) => chunk.masks!.set(it.mask!, k * MASK_PER_IMAGE));
    }
    if (items.some((it) => it.source !== undefined)) chunk.sources = items.map((it) => it.source ?? '');
    if (items.some((it) => it.score !== undefined)) chunk.scores = Float32Array.from(items, (it) => it.score ?? NaN);
    if (items.some((it) => it.box)) {
      chunk.boxes = new Float32Array(n * 4);
      items.forEach((it, k) => it.box && chunk.boxes!.set(it.box, k * 4));
    }
    if (items.some((it) => it.keypoints)) {
      chunk.keypoints = new Float32Array(n * 12).fill(NaN);
      items.forEach((it, k) => it.keypoints && chunk.keypoints!.set(Array.from(it.keypoints).slice(0, 12), k * 12));
    }
    let thumbs: ThumbChunkRecord | null = null;
    if (items.some((it) => it.thumb)) {
      thumbs = {
        datasetId: this.datasetId,
        chunk: this.nextChunk,
        count: n,
        pixels: new Uint8Array(n * PIXELS_PER_THUMB),
      };
      items.forEach((it, k) => it.thumb && thumbs!.pixels.set(it.thumb, k * PIXELS_PER_THUMB));
    }
    return { chunk, thumbs };
  }
}

/** Image k of a stored chunk as a pending item (for resuming a partial chunk). */
function itemOf(chunk: ImageChunkRecord, thumbs: ThumbChunkRecord | undefined, k: number): Pending {
  const item: Pending = {
    pixels: chunk.pixels.slice(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE),
    label: chunk.labels[k],
  };
  if (chunk.masks) item.mask = chunk.masks.slice(k * MASK_PER_IMAGE, (k + 1) * MASK_PER_IMAGE);
  if (chunk.sources) item.source = chunk.sources[k];
  if (chunk.scores) item.score = chunk.scores[k];
  if (chunk.boxes)
    item.box = [chunk.boxes[k * 4], chunk.boxes[k * 4 + 1], chunk.boxes[k * 4 + 2], chunk.boxes[k * 4 + 3]];
  if (chunk.keypoints) item.keypoints = chunk.keypoints.slice(k * 12, (k + 1) * 12);
  if (thumbs && k < thumbs.count) item.thumb = thumbs.pixels.slice(k * PIXELS_PER_THUMB, (k + 1) * PIXELS_PER_THUMB);
  return item;
}
