/** Rebuilding a run's model from its last checkpoint: the one way every capability gets a stored model. */
import * as tf from '@tensorflow/tfjs';
import type { LabDatabase } from '../../db/open';
import { getCheckpoint, getRun } from '../../db/runs';
import type { TrainingConfig } from '../../shared/trainingConfig';
import { writeModelWeights } from '../checkpoint';
import { buildModel } from '../models';
// Registers the layer that resizes the lab's faces for a Keras model of another input size (stored topologies name it).
import '../keras/inputResize';

/** Rebuilds a run's model from its last checkpoint. The caller disposes it. */
export async function loadRunModel(
  db: LabDatabase,
  runId: string,
): Promise<{ model: tf.LayersModel; config: TrainingConfig; datasetId: string }> {
  const run = await getRun(db, runId);
  const cp = await getCheckpoint(db, runId);
  if (!run || !cp) throw new Error('This run has no checkpoint yet: train at least one epoch.');
  const model = cp.topology
    ? await tf.models.modelFromJSON({ modelTopology: cp.topology as tf.io.ModelJSON['modelTopology'] })
    : buildModel(cp.config);
  writeModelWeights(model, cp.weights);
  return { model, config: cp.config, datasetId: run.datasetId };
}
