/**
 * Streams batches of one split from IndexedDB without ever holding the whole dataset: chunks are read in a
 * seeded random order, a few at a time into a shuffle buffer (like tf.data's shuffle), and the next group is
 * read while the current one is being trained on. Yields plain typed arrays; the trainer makes tensors.
 */
import { getChunk, splitIndices } from '../../db/datasets';
import type { LabDatabase } from '../../db/open';
import { CHUNK_SIZE, PIXELS_PER_IMAGE, type ImageChunkRecord, type SplitRecord } from '../../db/schema';
import type { SplitName } from '../../shared/protocol';
import { shuffleInPlace } from '../../shared/shuffle';
import { Rng } from '../../shared/synthetic/rng';

export interface Batch {
  /** count × 64 × 64 × 3 RGB bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Dataset indices of the images, for reporting (e.g. misclassified examples). */
  indices: Uint32Array;
  count: number;
}

export interface StreamOptions {
  split: SplitName;
  batchSize: number;
  /** Shuffle chunk order and images within the buffer; off for evaluation (stable order). */
  shuffle: boolean;
  seed: number;
  /** Chunks held in the shuffle buffer at once. */
  chunksPerGroup?: number;
}

export function batchesPerEpoch(split: SplitRecord, name: SplitName, batchSize: number): number {
  return Math.ceil(splitIndices(split, name).length / batchSize);
}

export async function* streamBatches(
  db: LabDatabase,
  datasetId: string,
  split: SplitRecord,
  opts: StreamOptions,
): AsyncGenerator<Batch> {
  const wanted = splitIndices(split, opts.split);
  if (wanted.length === 0) return;
  const rng = new Rng(opts.seed);
  const chunkIds = [...new Set(Array.from(wanted, (i) => Math.floor(i / CHUNK_SIZE)))];
  if (opts.shuffle) shuffleInPlace(chunkIds, rng);
  const perGroup = opts.chunksPerGroup ?? 4;
  const groups: number[][] = [];
  for (let g = 0; g < chunkIds.length; g += perGroup) groups.push(chunkIds.slice(g, g + perGroup));

  const readGroup = (ids: number[]) => Promise.all(ids.map((c) => getChunk(db, datasetId, c)));
  // Membership comes from splitIndices alone (the one place that leaves out rejected and collapsed crops):
  // a chunk also holds images of other splits and excluded ones, which must never reach a batch.
  const isMember = new Uint8Array(split.codes.length);
  for (const i of wanted) isMember[i] = 1;
  let pending: Array<{ chunk: ImageChunkRecord; slot: number; index: number }> = [];
  let next = groups.length > 0 ? readGroup(groups[0]) : null;

  for (let g = 0; g < groups.length; g++) {
    const chunks = await next!;
    // Double buffering: start reading the next group before handing out this one's batches.
    next = g + 1 < groups.length ? readGroup(groups[g + 1]) : null;
    for (const chunk of chunks) {
      if (!chunk) throw new Error(`dataset ${datasetId} is missing an image chunk`);
      for (let slot = 0; slot < chunk.count; slot++) {
        const index = chunk.chunk * CHUNK_SIZE + slot;
        if (isMember[index]) pending.push({ chunk, slot, index });
      }
    }
    if (opts.shuffle) shuffleInPlace(pending, rng);
    const isLast = g === groups.length - 1;
    while (pending.length >= opts.batchSize || (isLast && pending.length > 0)) {
      const take = pending.slice(0, opts.batchSize);
      pending = pending.slice(take.length);
      yield toBatch(take);
    }
  }
}

function toBatch(items: Array<{ chunk: ImageChunkRecord; slot: number; index: number }>): Batch {
  const pixels = new Uint8Array(items.length * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(items.length);
  const indices = new Uint32Array(items.length);
  items.forEach(({ chunk, slot, index }, k) => {
    pixels.set(chunk.pixels.subarray(slot * PIXELS_PER_IMAGE, (slot + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    labels[k] = chunk.labels[slot];
    indices[k] = index;
  });
  return { pixels, labels, indices, count: items.length };
}
