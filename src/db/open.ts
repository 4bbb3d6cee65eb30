/** Opens the database, running every migration step the stored version has not seen yet. */
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, MIGRATIONS, type LabDB } from './schema';

export type LabDatabase = IDBPDatabase<LabDB>;

const cache = new Map<string, Promise<LabDatabase>>();

export function openLabDb(name: string = DB_NAME): Promise<LabDatabase> {
  let db = cache.get(name);
  if (!db) {
    db = openDB<LabDB>(name, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v](database, tx);
      },
      blocking() {
        // A newer version of the app wants to upgrade: let it, and make the next call reopen.
        cache.delete(name);
        void db?.then((d) => d.close());
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
