/**
 * Review of a photo dataset's crops (Data page): what the grid needs to sort and show them, and the three
 * decisions a person makes — accept, reject, move to another class. Each decision is one transaction:
 * rejection lives in the split record (`excluded`, so every split reader leaves the image out and the
 * original split assignment comes back on restore); a class move rewrites the labels in the image chunks and
 * the dataset's class counts together.
 */
import { countSplit } from './datasets';
import type { LabDatabase } from './open';
import { CHUNK_SIZE, EXCLUDED, PIXELS_PER_THUMB, STORES, THUMB_SIZE, type SplitRecord } from './schema';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

export interface ReviewItems {
  labels: Uint8Array;
  /** Detection scores (NaN where unknown). */
  scores: Float32Array;
  sources: string[];
  split: SplitRecord;
}

export async function readReviewItems(db: LabDatabase, datasetId: string): Promise<ReviewItems> {
  const dataset = await db.get(STORES.datasets, datasetId);
  const split = await db.get(STORES.splits, datasetId);
  if (!dataset || !split) throw new Error('This dataset is not complete yet: finish its ingest first.');
  const n = dataset.count;
  const labels = new Uint8Array(n);
  const scores = new Float32Array(n).fill(NaN);
  const sources = new Array<string>(n).fill('');
  for (let c = 0; c * CHUNK_SIZE < n; c++) {
    const chunk = await db.get(STORES.images, [datasetId, c]);
    if (!chunk) throw new Error(`chunk ${c} is missing`);
    labels.set(chunk.labels.subarray(0, Math.min(chunk.count, n - c * CHUNK_SIZE)), c * CHUNK_SIZE);
    if (chunk.scores) scores.set(chunk.scores.subarray(0, Math.min(chunk.count, n - c * CHUNK_SIZE)), c * CHUNK_SIZE);
    chunk.sources?.forEach((s, k) => (sources[c * CHUNK_SIZE + k] = s));
  }
  return { labels, scores, sources, split: withReviewArrays(split, n) };
}

/** The split with its optional review arrays present (datasets ingested before review have none). */
function withReviewArrays(split: SplitRecord, n: number): SplitRecord {
  return {
    ...split,
    excluded: split.excluded ?? new Uint8Array(n),
    accepted: split.accepted ?? new Uint8Array(n),
    duplicateOf: split.duplicateOf ?? new Int32Array(n).fill(-1),
  };
}

export type ReviewDecision = 'accept' | 'reject' | 'restore';

/** Accept (keep, no longer doubtful), reject (leave out of every split) or restore (undo either). */
export async function decide(
  db: LabDatabase,
  datasetId: string,
  indices: number[],
  decision: ReviewDecision,
): Promise<SplitRecord> {
  const tx = db.transaction(STORES.splits, 'readwrite');
  const stored = await tx.store.get(datasetId);
  if (!stored) throw new Error('The dataset has no split.');
  const split = withReviewArrays(stored, stored.codes.length);
  for (const i of indices) {
    if (i < 0 || i >= split.codes.length) throw new Error(`no image ${i}`);
    split.excluded![i] = decision === 'reject' ? EXCLUDED.rejected : EXCLUDED.kept;
    split.accepted![i] = decision === 'accept' ? 1 : 0;
  }
  split.counts = countSplit(split.codes, split.excluded);
  await tx.store.put(split);
  await tx.done;
  return split;
}

/** Moves images to class `label` (the person is in the wrong folder): labels, class counts and acceptance at once. */
export async function moveToClass(db: LabDatabase, datasetId: string, indices: number[], label: number): Promise<void> {
  const tx = db.transaction([STORES.images, STORES.datasets, STORES.splits], 'readwrite');
  const dataset = await tx.objectStore(STORES.datasets).get(datasetId);
  const stored = await tx.objectStore(STORES.splits).get(datasetId);
  if (!dataset || !stored) throw new Error('The dataset is gone.');
  if (!Number.isInteger(label) || label < 0 || label >= dataset.classNames.length) throw new Error(`no class ${label}`);
  const split = withReviewArrays(stored, stored.codes.length);
  const byChunk = new Map<number, number[]>();
  for (const i of indices)
    byChunk.set(Math.floor(i / CHUNK_SIZE), [...(byChunk.get(Math.floor(i / CHUNK_SIZE)) ?? []), i]);
  const classCounts = [...dataset.classCounts];
  for (const [c, members] of byChunk) {
    const chunk = await tx.objectStore(STORES.images).get([datasetId, c]);
    if (!chunk) throw new Error(`chunk ${c} is missing`);
    for (const i of members) {
      const slot = i % CHUNK_SIZE;
      classCounts[chunk.labels[slot]]--;
      classCounts[label]++;
      chunk.labels[slot] = label;
      split.accepted![i] = 1;
      split.excluded![i] = EXCLUDED.kept;
    }
    await tx.objectStore(STORES.images).put(chunk);
  }
  split.counts = countSplit(split.codes, split.excluded);
  await tx.objectStore(STORES.datasets).put({ ...dataset, classCounts });
  await tx.objectStore(STORES.splits).put(split);
  await tx.done;
}

/**
 * Display pixels of some images: the 128×128 copy where the ingest stored one, else the 64×64 crop
 * (`size` says which). Chunks are cached by the caller's map so paging through the grid reads each once.
 */
export async function readDisplayImage(
  db: LabDatabase,
  datasetId: string,
  index: number,
  cache: Map<string, { pixels: Uint8Array; size: number } | null>,
): Promise<{ pixels: Uint8Array; size: number }> {
  const c = Math.floor(index / CHUNK_SIZE);
  const slot = index % CHUNK_SIZE;
  const thumbKey = `t${c}`;
  if (!cache.has(thumbKey)) {
    const t = await db.get(STORES.thumbs, [datasetId, c]);
    cache.set(thumbKey, t ? { pixels: t.pixels, size: THUMB_SIZE } : null);
  }
  const thumbs = cache.get(thumbKey);
  if (thumbs && (slot + 1) * PIXELS_PER_THUMB <= thumbs.pixels.length) {
    return { pixels: thumbs.pixels.slice(slot * PIXELS_PER_THUMB, (slot + 1) * PIXELS_PER_THUMB), size: THUMB_SIZE };
  }
  const key = `i${c}`;
  if (!cache.has(key)) {
    const chunk = await db.get(STORES.images, [datasetId, c]);
    cache.set(key, chunk ? { pixels: chunk.pixels, size: 64 } : null);
  }
  const images = cache.get(key);
  if (!images) throw new Error(`image ${index} is missing`);
  const n = PIXELS_PER_IMAGE;
  return { pixels: images.pixels.slice(slot * n, (slot + 1) * n), size: 64 };
}
