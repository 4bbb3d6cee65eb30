/**
 * Dataset storage: metadata, chunked pixels and the train/test/validation split. Each chunk is written in
 * its own transaction so a long import never holds one open; the dataset record's `complete` flag is set
 * last, so a dataset cut short by a reload is recognisable.
 */
import {
  CHUNK_SIZE,
  SPLIT_CODES,
  STORES,
  type DatasetRecord,
  type ImageChunkRecord,
  type SplitRecord,
  type ThumbChunkRecord,
} from './schema';
import type { LabDatabase } from './open';
import type { SplitName } from '../shared/protocol';
import { MASK_PER_IMAGE, PIXELS_PER_IMAGE } from '../shared/imageGeometry';

export async function putDataset(db: LabDatabase, record: DatasetRecord): Promise<void> {
  await db.put(STORES.datasets, record);
}

export async function putChunk(db: LabDatabase, chunk: ImageChunkRecord): Promise<void> {
  await db.put(STORES.images, chunk);
}

export async function putSplit(db: LabDatabase, split: SplitRecord): Promise<void> {
  await db.put(STORES.splits, split);
}

export async function getDataset(db: LabDatabase, id: string): Promise<DatasetRecord | undefined> {
  return db.get(STORES.datasets, id);
}

export async function listDatasets(db: LabDatabase): Promise<DatasetRecord[]> {
  const all = await db.getAll(STORES.datasets);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function getSplit(db: LabDatabase, datasetId: string): Promise<SplitRecord | undefined> {
  return db.get(STORES.splits, datasetId);
}

export async function getChunk(
  db: LabDatabase,
  datasetId: string,
  chunk: number,
): Promise<ImageChunkRecord | undefined> {
  return db.get(STORES.images, [datasetId, chunk]);
}

export function chunkCount(imageCount: number): number {
  return Math.ceil(imageCount / CHUNK_SIZE);
}

/**
 * The members of one split, in storage order: THE source of truth for every consumer (training, evaluation,
 * See, Fool, Survey, zip export, counts). Images excluded in review or collapsed as duplicates are left out.
 * Counted here rather than trusted from `split.counts`, so a stale count can never let an excluded image in.
 */
export function splitIndices(split: SplitRecord, name: SplitName): Uint32Array {
  const code = SPLIT_CODES[name];
  const out: number[] = [];
  for (let i = 0; i < split.codes.length; i++) {
    if (split.codes[i] === code && !split.excluded?.[i]) out.push(i);
  }
  return Uint32Array.from(out);
}

/** Split sizes counting only images that are not excluded (call after changing `codes` or `excluded`). */
export function countSplit(codes: Uint8Array, excluded?: Uint8Array): SplitRecord['counts'] {
  const counts = { train: 0, test: 0, validation: 0 };
  for (let i = 0; i < codes.length; i++) {
    if (excluded?.[i]) continue;
    if (codes[i] === SPLIT_CODES.train) counts.train++;
    else if (codes[i] === SPLIT_CODES.test) counts.test++;
    else if (codes[i] === SPLIT_CODES.validation) counts.validation++;
  }
  return counts;
}

/**
 * Images per class in one split (excluded ones left out), from the labels in the chunks: the counts class
 * weights are computed from. Reads every chunk of the dataset once.
 */
export async function splitClassCounts(
  db: LabDatabase,
  datasetId: string,
  split: SplitRecord,
  name: SplitName,
  numClasses: number,
): Promise<number[]> {
  const counts = new Array<number>(numClasses).fill(0);
  const code = SPLIT_CODES[name];
  for (let c = 0; c * CHUNK_SIZE < split.codes.length; c++) {
    const chunk = await getChunk(db, datasetId, c);
    if (!chunk) throw new Error(`chunk ${c} of dataset ${datasetId} is missing`);
    for (let slot = 0; slot < chunk.count; slot++) {
      const i = c * CHUNK_SIZE + slot;
      if (i >= split.codes.length || split.codes[i] !== code || split.excluded?.[i]) continue;
      const label = chunk.labels[slot];
      if (label < numClasses) counts[label]++;
    }
  }
  return counts;
}

/** Reads a few images by index (e.g. thumbnails, misclassified examples). */
export async function readImages(
  db: LabDatabase,
  datasetId: string,
  indices: ArrayLike<number>,
): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  const n = PIXELS_PER_IMAGE;
  const pixels = new Uint8Array(indices.length * n);
  const labels = new Uint8Array(indices.length);
  const chunks = new Map<number, ImageChunkRecord | undefined>();
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const c = Math.floor(i / CHUNK_SIZE);
    if (!chunks.has(c)) chunks.set(c, await getChunk(db, datasetId, c));
    const chunk = chunks.get(c);
    if (!chunk) throw new Error(`image ${i} of dataset ${datasetId} is missing`);
    const slot = i % CHUNK_SIZE;
    pixels.set(chunk.pixels.subarray(slot * n, (slot + 1) * n), k * n);
    labels[k] = chunk.labels[slot];
  }
  return { pixels, labels };
}

/** Ground-truth region masks (64×64 region ids each) of some images; null when the dataset has none (photos). */
export async function readMasks(
  db: LabDatabase,
  datasetId: string,
  indices: ArrayLike<number>,
): Promise<Uint8Array[] | null> {
  const n = MASK_PER_IMAGE;
  const out: Uint8Array[] = [];
  const chunks = new Map<number, ImageChunkRecord | undefined>();
  for (let k = 0; k < indices.length; k++) {
    const c = Math.floor(indices[k] / CHUNK_SIZE);
    if (!chunks.has(c)) chunks.set(c, await getChunk(db, datasetId, c));
    const masks = chunks.get(c)?.masks;
    if (!masks) return null;
    const slot = indices[k] % CHUNK_SIZE;
    out.push(masks.slice(slot * n, (slot + 1) * n));
  }
  return out;
}

/**
 * The face detector's box ([x, y, width, height]) and six keypoints (12 numbers) stored with some crops, in
 * source-photo pixels; an entry has neither when its crop was stored without them (synthetic data, a dataset
 * zip without keypoints). Keypoints of a crop stored without them read as NaN (chunkWriter fills them so).
 */
export async function readDetections(
  db: LabDatabase,
  datasetId: string,
  indices: ArrayLike<number>,
): Promise<Array<{ box?: Float32Array; keypoints?: Float32Array }>> {
  const out: Array<{ box?: Float32Array; keypoints?: Float32Array }> = [];
  const chunks = new Map<number, ImageChunkRecord | undefined>();
  for (let k = 0; k < indices.length; k++) {
    const c = Math.floor(indices[k] / CHUNK_SIZE);
    if (!chunks.has(c)) chunks.set(c, await getChunk(db, datasetId, c));
    const chunk = chunks.get(c);
    const slot = indices[k] % CHUNK_SIZE;
    out.push({
      box: chunk?.boxes?.slice(slot * 4, slot * 4 + 4),
      keypoints: chunk?.keypoints?.slice(slot * 12, slot * 12 + 12),
    });
  }
  return out;
}

/** The 128×128 display copies of one chunk's crops (photo datasets written since schema v3), if any. */
export async function getThumbChunk(
  db: LabDatabase,
  datasetId: string,
  chunk: number,
): Promise<ThumbChunkRecord | undefined> {
  return db.get(STORES.thumbs, [datasetId, chunk]);
}

/** Deletes a dataset with its chunks, split and runs' checkpoints, in one transaction. */
export async function deleteDataset(db: LabDatabase, id: string): Promise<void> {
  const tx = db.transaction(
    [
      STORES.datasets,
      STORES.images,
      STORES.thumbs,
      STORES.splits,
      STORES.runs,
      STORES.checkpoints,
      STORES.checkpointParts,
      STORES.noiseBins,
    ],
    'readwrite',
  );
  const runIds = await tx.objectStore(STORES.runs).index('byDataset').getAllKeys(id);
  await Promise.all([
    tx.objectStore(STORES.datasets).delete(id),
    tx.objectStore(STORES.images).delete(IDBKeyRange.bound([id, 0], [id, Infinity])),
    tx.objectStore(STORES.thumbs).delete(IDBKeyRange.bound([id, 0], [id, Infinity])),
    tx.objectStore(STORES.splits).delete(id),
    tx.objectStore(STORES.noiseBins).delete(id),
    ...runIds.map((r) => tx.objectStore(STORES.runs).delete(r)),
    ...runIds.map((r) => tx.objectStore(STORES.checkpoints).delete(r)),
    ...runIds.map((r) => tx.objectStore(STORES.checkpointParts).delete(IDBKeyRange.bound([r, 0], [r, Infinity]))),
  ]);
  await tx.done;
}
