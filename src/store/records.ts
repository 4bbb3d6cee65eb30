/**
 * The pages' door to IndexedDB: each function opens the lab database itself and calls a repository of db/,
 * so page code (src/features) never imports db/ (an ESLint rule holds that). The record types pages show are
 * re-exported here for the same reason. Survey kits and results: store/surveyRecords.ts.
 */
import * as datasets from '../db/datasets';
import { getNoiseBins } from '../db/noiseBins';
import { openLabDb } from '../db/open';
import * as review from '../db/review';
import { listRuns } from '../db/runs';
import type { SplitRecord } from '../db/schema';
import type { SplitName } from '../shared/protocol';
import type { ReportInput } from '../features/share/shared/study/reportHtml';
import type { StudyRecord } from '../features/share/shared/study/types';

export type { DatasetRecord, NoiseBinsRecord, RunRecord, SplitRecord, SweepRecord } from '../db/schema';
export { EXCLUDED } from '../db/schema';
export type { ReviewDecision, ReviewItems } from '../db/review';
export { labelsChangedSince } from '../db/noiseBins';

export const noiseBinsOf = async (datasetId: string) => getNoiseBins(await openLabDb(), datasetId);
export const splitOf = async (datasetId: string) => datasets.getSplit(await openLabDb(), datasetId);
export const splitClassCounts = async (datasetId: string, split: SplitRecord, name: SplitName, numClasses: number) =>
  datasets.splitClassCounts(await openLabDb(), datasetId, split, name, numClasses);
export const readImages = async (datasetId: string, indices: ArrayLike<number>) =>
  datasets.readImages(await openLabDb(), datasetId, indices);

export const readReviewItems = async (datasetId: string) => review.readReviewItems(await openLabDb(), datasetId);
export const readDisplayImage = async (
  datasetId: string,
  index: number,
  cache: Parameters<typeof review.readDisplayImage>[3],
) => review.readDisplayImage(await openLabDb(), datasetId, index, cache);
export const decide = async (datasetId: string, indices: number[], decision: review.ReviewDecision) =>
  review.decide(await openLabDb(), datasetId, indices, decision);
export const moveToClass = async (datasetId: string, indices: number[], label: number) =>
  review.moveToClass(await openLabDb(), datasetId, indices, label);

/** Everything the study report shows, read from IndexedDB at the moment of download (never from the page's state). */
export async function reportInput(study: StudyRecord): Promise<ReportInput> {
  const db = await openLabDb();
  const [dataset, runs, bins] = await Promise.all([
    db.get('datasets', study.datasetId),
    listRuns(db),
    getNoiseBins(db, study.datasetId),
  ]);
  return {
    study: (await db.get('studies', study.id)) ?? study,
    dataset: dataset ?? null,
    runs,
    noiseBins: bins
      ? { counts: bins.counts, folds: bins.folds, epochs: bins.epochs, ms: bins.ms, createdAt: bins.createdAt }
      : null,
    generatedAt: Date.now(),
  };
}
