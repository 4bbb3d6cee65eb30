/** The paper study's stored progress (schema v7, `studies`; shared/study/types.ts). DOM-free. */
import type { LabDatabase } from './open';
import { STORES } from './schema';
import type { StudyRecord } from '../features/share/shared/study/types';

export async function putStudy(db: LabDatabase, study: StudyRecord): Promise<void> {
  await db.put(STORES.studies, study);
}

/** Every stored study, newest first. */
export async function listStudies(db: LabDatabase): Promise<StudyRecord[]> {
  return (await db.getAll(STORES.studies)).sort((a, b) => b.createdAt - a.createdAt);
}

/** The newest study still unfinished (the one a reload resumes), if any. */
export async function unfinishedStudy(db: LabDatabase): Promise<StudyRecord | undefined> {
  return (await listStudies(db)).find((s) => !s.finished);
}
