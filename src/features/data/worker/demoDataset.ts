/**
 * Writes the built-in synthetic lookalikes into IndexedDB as a dataset: `count` images split 80/20 into
 * train/test, plus a separate validation set of count/5 images drawn from other seeds (as the paper took its
 * validation set from newer films). Pure TypeScript: runs in a worker or in Node tests.
 */
import { ChunkWriter } from '../../../db/chunkWriter';
import { putDataset, putSplit } from '../../../db/datasets';
import type { LabDatabase } from '../../../db/open';
import type { DatasetRecord } from '../../../db/schema';
import { CLASS_NAMES, iterateLookalikes } from '../../../shared/synthetic/lookalikes';
import { stratifiedSplit } from '../../../ml/data/splits';
import { newId } from '../../../shared/newId';

export interface DemoProgress {
  done: number;
  total: number;
}

export async function generateDemoDataset(
  db: LabDatabase,
  opts: { count: number; seed: number; name: string },
  onProgress: (p: DemoProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<{ datasetId: string; count: number }> {
  const mainCount = opts.count;
  const validationCount = Math.max(2, Math.round(mainCount / 5));
  const total = mainCount + validationCount;
  const id = newId('demo');
  const labels = new Uint8Array(total);
  const classCounts = [0, 0];
  const record: DatasetRecord = {
    id,
    name: opts.name,
    kind: 'synthetic',
    classNames: [...CLASS_NAMES],
    createdAt: Date.now(),
    count: total,
    classCounts,
    seed: opts.seed,
    complete: false,
  };
  await putDataset(db, record);

  // Main set from (seed, 0..count-1); validation from a different seed so no image repeats.
  const sources = [iterateLookalikes(mainCount, opts.seed), iterateLookalikes(validationCount, opts.seed + 0x5eed)];
  const writer = new ChunkWriter(db, id, (written) => onProgress({ done: written, total }));
  let index = 0;
  for (const iter of sources) {
    for (const face of iter) {
      if (signal?.aborted) throw new DOMException('Generation cancelled', 'AbortError');
      await writer.add(face.pixels, face.label, { mask: face.mask });
      labels[index++] = face.label;
      classCounts[face.label]++;
    }
  }
  await writer.flush();
  await putSplit(
    db,
    stratifiedSplit(id, labels, (i) => i >= mainCount, opts.seed),
  );
  // Marked complete only once every chunk and the split are stored.
  await putDataset(db, { ...record, classCounts, complete: true });
  return { datasetId: id, count: total };
}
