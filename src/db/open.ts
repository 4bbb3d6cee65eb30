/** Opens the database, running every migration step the stored version has not seen yet. */
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, MIGRATIONS, type LabDB } from './schema';

export type LabDatabase = IDBPDatabase<LabDB>;

const cache = new Map<string, Promise<LabDatabase>>();
const outdatedListeners = new Set<(newVersion: number | null) => void>();

/**
 * Called when another tab opens the database at a newer schema version: this connection is closed so the
 * upgrade can run, and this tab's code no longer matches the stored schema — the page tells the user to
 * reload (two-tabs e2e). Returns an unsubscribe function.
 */
export function onDatabaseOutdated(listener: (newVersion: number | null) => void): () => void {
  outdatedListeners.add(listener);
  return () => outdatedListeners.delete(listener);
}

export function openLabDb(name: string = DB_NAME): Promise<LabDatabase> {
  let db = cache.get(name);
  if (!db) {
    db = openDB<LabDB>(name, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v](database, tx);
      },
      blocking(_current, newVersion) {
        // A newer version of the app wants to upgrade: let it, make the next call reopen, and say so.
        cache.delete(name);
        void db?.then((d) => d.close());
        if (newVersion !== null && newVersion > DB_VERSION) for (const l of outdatedListeners) l(newVersion);
      },
    });
    cache.set(name, db);
  }
  return db;
}

/** Test helper: forget cached connections (after deleting a database). */
export async function closeLabDb(name: string = DB_NAME): Promise<void> {
  const db = cache.get(name);
  cache.delete(name);
  if (db) (await db).close();
}
