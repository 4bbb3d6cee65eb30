/** The stored noise sorting of a dataset (schema v5, `noiseBins`; written by ml/noiseSort.ts). DOM-free. */
import type { LabDatabase } from './open';
import { STORES, type NoiseBinsRecord } from './schema';

export async function getNoiseBins(db: LabDatabase, datasetId: string): Promise<NoiseBinsRecord | undefined> {
  return db.get(STORES.noiseBins, datasetId);
}

export async function putNoiseBins(db: LabDatabase, record: NoiseBinsRecord): Promise<void> {
  await db.put(STORES.noiseBins, record);
}

/** How many crops' labels changed (a class move in review) since the sorting scored them. */
export function labelsChangedSince(record: NoiseBinsRecord, labels: ArrayLike<number>): number {
  let changed = 0;
  for (let i = 0; i < labels.length; i++) if (record.labels[i] !== labels[i]) changed++;
  return changed;
}
