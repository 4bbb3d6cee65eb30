/** Stored hyperparameter sweeps (schema v6, `sweeps`; planned by shared/sweep.ts, run by store/sweep.ts). DOM-free. */
import type { LabDatabase } from './open';
import { STORES, type SweepRecord } from './schema';

export async function putSweep(db: LabDatabase, record: SweepRecord): Promise<void> {
  await db.put(STORES.sweeps, record);
}

export async function getSweep(db: LabDatabase, id: string): Promise<SweepRecord | undefined> {
  return db.get(STORES.sweeps, id);
}

/** The most recently started sweep, the one the Train page shows and can resume. */
export async function latestSweep(db: LabDatabase): Promise<SweepRecord | undefined> {
  const all = await db.getAll(STORES.sweeps);
  return all.reduce<SweepRecord | undefined>((a, b) => (!a || b.createdAt > a.createdAt ? b : a), undefined);
}
