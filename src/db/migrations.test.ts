/** A version-1 database with a dataset and a run upgrades to the current version (v2 surveys, v3 thumbs) without losing them. */
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openLabDb } from './open';
import { DB_VERSION, MIGRATIONS, STORES } from './schema';

describe('schema migrations', () => {
  it('upgrades a v1 database in place: old records kept, survey stores added', async () => {
    const name = 'migration-v1-v2';
    const v1 = await openDB(name, 1, {
      upgrade(db, _old, _new, tx) {
        MIGRATIONS[0](db as never, tx as never);
      },
    });
    await v1.put(STORES.datasets, { id: 'd1', name: 'old dataset' });
    await v1.put(STORES.runs, { id: 'r1', datasetId: 'd1' });
    v1.close();

    const db = await openLabDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toEqual(
      expect.arrayContaining([
        STORES.surveys,
        STORES.surveyResults,
        STORES.runs,
        STORES.thumbs,
        STORES.checkpointParts,
        STORES.noiseBins,
        STORES.sweeps,
        STORES.studies,
      ]),
    );
    expect(await db.get(STORES.datasets, 'd1')).toMatchObject({ name: 'old dataset' });
    expect(await db.get(STORES.runs, 'r1')).toMatchObject({ datasetId: 'd1' });
    await db.put(STORES.surveyResults, { kitId: 'k', participantId: 'p1' } as never);
    expect(await db.getAllFromIndex(STORES.surveyResults, 'byKit', 'k')).toHaveLength(1);
  });
});
