/**
 * Models in and out in TensorFlow.js' layers format (model.json + weights.bin), the format
 * `tensorflowjs_converter` turns into a Keras .h5 and back. An imported model is stored as a run whose
 * checkpoint keeps the model's topology, so See and Fool rebuild it like any trained run.
 */
import * as tf from '@tensorflow/tfjs';
import { getDataset } from '../db/datasets';
import type { LabDatabase } from '../db/open';
import { writeCheckpoint } from '../db/runs';
import type { RunRecord } from '../db/schema';
import { checkModelFiles, type WeightSpec } from '../shared/modelFile';
import { DEFAULT_CONFIG, type TrainingConfig } from '../shared/trainingConfig';
import { readModelWeights } from './checkpoint';
import { loadRunModel } from './evaluate';
import { errorMessage } from '../shared/errorMessage';

export async function exportRunModel(db: LabDatabase, runId: string): Promise<{ modelJson: string; weights: Uint8Array }> {
  const { model } = await loadRunModel(db, runId);
  try {
    let out: { modelJson: string; weights: Uint8Array } | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const json = {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (Lookalike Lab)`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        };
        const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
        out = { modelJson: JSON.stringify(json), weights: new Uint8Array(data) };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!out) throw new Error('The model could not be serialised.');
    return out;
  } finally {
    model.dispose();
  }
}

const buildError = (err: unknown) => new Error(`TensorFlow.js could not build the model: ${errorMessage(err)}`);

/**
 * Builds the model from its topology and loads its weights, disposing everything it created when either step
 * fails. tf.loadLayersModel does not: a topology that fails half-way through, or weights whose shapes do not
 * match the layers, left the built layers' variables and the decoded weight tensors behind — up to the whole
 * model's size per refused file (found by modelFile.fuzz.test.ts). modelFromJSON deserialises synchronously
 * when given no weightsManifest, so the tensors and variables created during that call are exactly this
 * model's, even while other work runs in the same worker.
 */
async function buildWithWeights(topology: Record<string, unknown>, specs: WeightSpec[], weightData: ArrayBuffer): Promise<tf.LayersModel> {
  const registered = () => tf.engine().state.registeredVariables;
  const before = new Set(Object.keys(registered()));
  // The tidy frees the temporary tensors a failing layer leaves (e.g. an initial value whose variable name is
  // refused); it cannot touch variables, which are counted below.
  let building!: Promise<tf.LayersModel>;
  tf.tidy(() => {
    building = tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  });
  const created = Object.entries(registered()).filter(([name]) => !before.has(name)).map(([, v]) => v);
  let model: tf.LayersModel;
  try {
    model = await building;
  } catch (err) {
    tf.dispose(created);
    throw buildError(err);
  }
  try {
    const values = tf.io.decodeWeights(weightData, specs as tf.io.WeightsManifestEntry[]);
    try {
      model.loadWeights(values, true);
    } finally {
      tf.dispose(Object.values(values));
    }
  } catch (err) {
    model.dispose();
    throw buildError(err);
  }
  return model;
}

/** Validates, loads and stores a model as a new run on `datasetId`. Nothing is written unless all checks pass. */
export async function importModelFiles(
  db: LabDatabase,
  args: { datasetId: string; name: string; modelJson: string; weights: Uint8Array },
): Promise<{ runId: string; layers: number; params: number }> {
  const checked = checkModelFiles(args.modelJson, args.weights.byteLength);
  const dataset = await getDataset(db, args.datasetId);
  if (!dataset) throw new Error('Choose a dataset to attach the model to.');
  if (dataset.classNames.length !== checked.classes) {
    throw new Error(`The model has ${checked.classes} classes; the dataset “${dataset.name}” has ${dataset.classNames.length}.`);
  }
  const weightData = args.weights.buffer.slice(args.weights.byteOffset, args.weights.byteOffset + args.weights.byteLength) as ArrayBuffer;
  const model = await buildWithWeights(checked.modelTopology, checked.weightSpecs, weightData);
  try {
    const probe = tf.tidy(() => model.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor);
    const p = Array.from(await probe.data());
    probe.dispose();
    const sum = p.reduce((a, b) => a + b, 0);
    if (p.some((v) => !Number.isFinite(v)) || Math.abs(sum - 1) > 1e-3) throw new Error('The model does not output class probabilities (a softmax): its outputs do not sum to 1.');
    const weights = await readModelWeights(model);
    const topology = model.toJSON(null, false);
    const now = Date.now();
    const config: TrainingConfig = { ...DEFAULT_CONFIG, numClasses: checked.classes, epochs: 0 };
    const run: RunRecord = {
      id: `imported-${now.toString(36)}`,
      datasetId: args.datasetId,
      createdAt: now,
      updatedAt: now,
      config,
      status: 'completed',
      epochsDone: 0,
      epochs: [],
      batchLog: [],
      backend: 'imported',
      checkpointEpoch: 0,
      importedFrom: args.name,
    };
    await writeCheckpoint(db, run, { runId: run.id, epoch: 0, createdAt: now, config, weights, optimizer: [], topology });
    return { runId: run.id, layers: checked.layerCount, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
