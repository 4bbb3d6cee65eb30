/**
 * Keeps the last run's model loaded in the worker so See (and later Fool) calls do not rebuild a 64 M-param
 * model on every click. One model at a time: loading another disposes the previous one.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LabDatabase } from '../db/open';
import { getCheckpoint } from '../db/runs';
import type { TrainingConfig } from '../shared/trainingConfig';
import { loadRunModel } from './evaluate';

interface Cached {
  runId: string;
  checkpointAt: number;
  model: tf.LayersModel;
  config: TrainingConfig;
  datasetId: string;
}

let cached: Cached | null = null;

export async function runModel(db: LabDatabase, runId: string): Promise<Omit<Cached, 'checkpointAt'>> {
  const cp = await getCheckpoint(db, runId);
  if (!cp) throw new Error('This run has no checkpoint yet: train at least one epoch.');
  if (cached && cached.runId === runId && cached.checkpointAt === cp.createdAt) return cached;
  const loaded = await loadRunModel(db, runId);
  cached?.model.dispose();
  cached = { runId, checkpointAt: cp.createdAt, ...loaded };
  return cached;
}
