/**
 * The group-aware split of a photo dataset (issue 16): crops that are near copies of each other (the dedupe's
 * pHash neighbourhood, confirmed or not, mirror-aware) or come from the same source photo form one group, and
 * a group lies wholly in train or wholly in test. Used by the ingest (new crops) and by "Re-split" on the Data
 * page (an existing dataset, on request only: runs trained before keep the numbers they measured). Worker-side;
 * reads and writes IndexedDB through the db/ layer.
 */
import { countSplit, getChunk, getSplit } from '../../../../db/datasets';
import type { LabDatabase } from '../../../../db/open';
import { CHUNK_SIZE, EXCLUDED, PIXELS_PER_IMAGE, SPLIT_CODES, STORES, type SplitRecord } from '../../../../db/schema';
import { groupedStratifiedSplit } from '../../../../ml/data/splits';
import { exactKey } from '../../shared/dedupe';
import { labelPath } from '../../shared/photoFolder';
import {
  cropHash,
  leakCheck,
  nearCopyGroups,
  splitMember,
  type CropHash,
  type LeakCheck,
} from '../../shared/nearCopies';

/** What the split needs to know of every crop, read once from the chunks. */
export interface CropFacts {
  labels: Uint8Array;
  sources: string[];
  exact: string[];
  hashes: CropHash[];
}

export async function readCropFacts(db: LabDatabase, id: string, count: number): Promise<CropFacts> {
  const labels = new Uint8Array(count);
  const sources = new Array<string>(count);
  const exact = new Array<string>(count);
  const hashes = new Array<CropHash>(count);
  for (let c = 0; c * CHUNK_SIZE < count; c++) {
    const chunk = await getChunk(db, id, c);
    if (!chunk) throw new Error(`chunk ${c} of the dataset is missing`);
    for (let k = 0; k < chunk.count && c * CHUNK_SIZE + k < count; k++) {
      const i = c * CHUNK_SIZE + k;
      const rgb = chunk.pixels.subarray(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE);
      labels[i] = chunk.labels[k];
      sources[i] = chunk.sources?.[k] ?? '';
      exact[i] = exactKey(rgb);
      hashes[i] = cropHash(rgb);
    }
  }
  return { labels, sources, exact, hashes };
}

/** Whether a stored source path lies in the folder's `validation/` (or `val/`) sub-folder (shared/photoFolder.ts rules). */
export function isValidationSource(path: string): boolean {
  const l = labelPath(path);
  return l.ok && l.isValidation;
}

/**
 * The split code each crop's source folder fixes, or -1 where the app splits: `validation/` always fixes
 * validation; `train/` and `test/` fix their split when the layout has a test folder at all (a layout of
 * `train/` and `validation/` only has its `train/` split 80/20 like plain class folders, so there is a test set).
 */
export function layoutSplitCodes(sources: readonly string[]): Int8Array {
  const splits = sources.map((s) => {
    const l = labelPath(s);
    return l.ok ? l.split : null;
  });
  const keepTrainTest = splits.includes('test');
  return Int8Array.from(splits, (split) =>
    split === 'validation' || (keepTrainTest && split !== null) ? SPLIT_CODES[split!] : -1,
  );
}

/**
 * Split codes for every crop. Crops below `keep` keep their `oldCodes`; crops whose source folder fixes a split
 * (layoutSplitCodes: a Keras layout's train/ test/ validation/) get it; a newer crop whose group already has a
 * kept train or test crop follows it (so a resumed ingest never splits a group); the remaining groups are split
 * 80/20 per class with `seed`. Validation is never moved. `rejected(i)` crops connect no group.
 */
export function groupAwareCodes(
  facts: CropFacts,
  seed: number,
  rejected: (i: number) => boolean,
  oldCodes?: Uint8Array,
  keep = 0,
): Uint8Array {
  const n = facts.labels.length;
  const group = nearCopyGroups(facts.hashes, facts.sources, rejected);
  const fixed = layoutSplitCodes(facts.sources);
  const codes = new Uint8Array(n);
  const codeOfGroup = new Map<number, number>();
  for (let i = 0; i < keep; i++) {
    codes[i] = oldCodes![i];
    if (codes[i] !== SPLIT_CODES.validation && !codeOfGroup.has(group[i])) codeOfGroup.set(group[i], codes[i]);
  }
  const fresh: number[] = [];
  for (let i = keep; i < n; i++) {
    const joined = codeOfGroup.get(group[i]);
    if (fixed[i] >= 0) codes[i] = fixed[i];
    else if (joined !== undefined) codes[i] = joined;
    else fresh.push(i);
  }
  const split = groupedStratifiedSplit(
    '',
    fresh.map((i) => facts.labels[i]),
    fresh.map((i) => String(group[i])),
    () => false,
    seed,
  );
  fresh.forEach((i, k) => (codes[i] = split.codes[k]));
  return codes;
}

/** The leak check of a stored split: each test/validation crop's distance to its nearest training crop. */
export function leakCheckOf(facts: CropFacts, split: SplitRecord): LeakCheck {
  return leakCheck(facts.hashes, splitMember(split.codes, split.excluded));
}

/**
 * Re-splits an existing dataset group-aware, with its own seed; review decisions (rejections, acceptances,
 * collapsed duplicates) are kept. Returns the new split and its leak check.
 */
export async function resplitByGroups(
  db: LabDatabase,
  datasetId: string,
): Promise<{ split: SplitRecord; leaks: LeakCheck }> {
  const old = await getSplit(db, datasetId);
  if (!old) throw new Error('The dataset has no split.');
  const facts = await readCropFacts(db, datasetId, old.codes.length);
  const codes = groupAwareCodes(facts, old.seed, (i) => old.excluded?.[i] === EXCLUDED.rejected);
  // Hashing happened outside any transaction; the write re-reads the split so a review decision made meanwhile is kept.
  const tx = db.transaction(STORES.splits, 'readwrite');
  const now = await tx.store.get(datasetId);
  if (!now) throw new Error('The dataset is gone.');
  const split: SplitRecord = { ...now, codes, counts: countSplit(codes, now.excluded) };
  await tx.store.put(split);
  await tx.done;
  return { split, leaks: leakCheckOf(facts, split) };
}
