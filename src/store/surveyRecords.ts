/**
 * Survey kits and participants' results in IndexedDB, for the Survey page (which never imports db/): each
 * function opens the lab database itself and calls db/surveys.ts.
 */
import { openLabDb } from '../db/open';
import * as surveys from '../db/surveys';
import type { ParticipantResult, SurveyKit } from '../features/survey/shared/types';

export const listSurveys = async () => surveys.listSurveys(await openLabDb());
export const getSurvey = async (id: string) => surveys.getSurvey(await openLabDb(), id);
export const putSurvey = async (kit: SurveyKit) => surveys.putSurvey(await openLabDb(), kit);
/** Replaces a stored kit of the same id and deletes its results; resolves to how many were deleted. */
export const replaceSurvey = async (kit: SurveyKit) => surveys.replaceSurvey(await openLabDb(), kit);
export const putResult = async (result: ParticipantResult) => surveys.putResult(await openLabDb(), result);
export const putResults = async (results: ParticipantResult[]) => surveys.putResults(await openLabDb(), results);
export const resultsOfSurvey = async (kitId: string) => surveys.resultsOfSurvey(await openLabDb(), kitId);
/** The results of several kits together (the condition comparison). */
export const resultsOfSurveys = async (kitIds: string[]) => (await Promise.all(kitIds.map(resultsOfSurvey))).flat();
