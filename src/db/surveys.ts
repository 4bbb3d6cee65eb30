/** Surveys (kits) and participants' results in IndexedDB (schema v2). DOM-free. */
import type { ParticipantResult, SurveyKit } from '../features/survey/shared/types';
import type { LabDatabase } from './open';
import { STORES } from './schema';

export async function putSurvey(db: LabDatabase, kit: SurveyKit): Promise<void> {
  await db.put(STORES.surveys, kit);
}

export async function listSurveys(db: LabDatabase): Promise<SurveyKit[]> {
  const all = await db.getAll(STORES.surveys);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function getSurvey(db: LabDatabase, id: string): Promise<SurveyKit | undefined> {
  return db.get(STORES.surveys, id);
}

export async function putResult(db: LabDatabase, result: ParticipantResult): Promise<void> {
  await db.put(STORES.surveyResults, result);
}

/** Stores several results in one transaction (an import of returned result files). */
export async function putResults(db: LabDatabase, results: ParticipantResult[]): Promise<void> {
  const tx = db.transaction(STORES.surveyResults, 'readwrite');
  await Promise.all([...results.map((r) => tx.store.put(r)), tx.done]);
}

export async function resultsOfSurvey(db: LabDatabase, kitId: string): Promise<ParticipantResult[]> {
  return db.getAllFromIndex(STORES.surveyResults, 'byKit', kitId);
}

/** Replaces a stored kit by another with the same id, deleting the old kit's results (they answer other pairs), in one transaction. */
export async function replaceSurvey(db: LabDatabase, kit: SurveyKit): Promise<number> {
  const tx = db.transaction([STORES.surveys, STORES.surveyResults], 'readwrite');
  const results = tx.objectStore(STORES.surveyResults);
  const keys = await results.index('byKit').getAllKeys(kit.id);
  await Promise.all([...keys.map((k) => results.delete(k)), tx.objectStore(STORES.surveys).put(kit), tx.done]);
  return keys.length;
}
