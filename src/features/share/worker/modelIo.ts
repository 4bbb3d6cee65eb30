/**
 * Models in and out in TensorFlow.js' layers format (model.json + weights.bin), the format
 * `tensorflowjs_converter` turns into a Keras .h5 and back. An imported model is stored as a run whose
 * checkpoint keeps the model's topology, so See and Fool rebuild it like any trained run.
 */
import * as tf from '@tensorflow/tfjs';
import { getDataset } from '../../../db/datasets';
import type { LabDatabase } from '../../../db/open';
import { writeCheckpoint } from '../../../db/runs';
import type { RunRecord } from '../../../db/schema';
import { checkModelFiles, type WeightSpec } from '../../../shared/modelFile';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../../shared/trainingConfig';
import { readModelWeights } from '../../../ml/checkpoint';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { errorMessage } from '../../../shared/errorMessage';
import { INPUT_SHAPE } from '../../../shared/imageGeometry';
import { weightShapes } from '../../../ml/keras/kerasConfig';
import { type KerasFormat, readKerasFile, writeKeras3, writeLegacyH5 } from '../../../ml/keras/kerasFiles';
import { buildChainModel, chainOfModel } from '../../../ml/keras/kerasTfjs';
import { INPUT_RESIZE_CLASS, type InputResize } from '../../../ml/keras/inputResize';

export async function exportRunModel(
  db: LabDatabase,
  runId: string,
): Promise<{ modelJson: string; weights: Uint8Array }> {
  const { model } = await loadRunModel(db, runId);
  try {
    const resize = model.layers.find((l) => l.getClassName() === INPUT_RESIZE_CLASS) as InputResize | undefined;
    if (resize) {
      // Its topology holds the lab's own resize layer, which no other TensorFlow.js app (nor our import) knows.
      throw new Error(
        `This model takes ${resize.height}×${resize.width} images (the faces are resized for it): save it as .keras or .h5; the TensorFlow.js files here are for 64×64 models.`,
      );
    }
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
async function buildWithWeights(
  topology: Record<string, unknown>,
  specs: WeightSpec[],
  weightData: ArrayBuffer,
): Promise<tf.LayersModel> {
  const registered = () => tf.engine().state.registeredVariables;
  const before = new Set(Object.keys(registered()));
  // The tidy frees the temporary tensors a failing layer leaves (e.g. an initial value whose variable name is
  // refused); it cannot touch variables, which are counted below.
  let building!: Promise<tf.LayersModel>;
  tf.tidy(() => {
    building = tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  });
  const created = Object.entries(registered())
    .filter(([name]) => !before.has(name))
    .map(([, v]) => v);
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

/**
 * Stores a built model as a completed run of `datasetId` (its topology kept in the checkpoint, so See and Fool
 * rebuild it), after checking that it gives class probabilities for the lab's 64×64 faces.
 */
async function storeModelAsRun(
  db: LabDatabase,
  model: tf.LayersModel,
  args: { datasetId: string; name: string; classes: number },
): Promise<string> {
  const probe = tf.tidy(() => model.predict(tf.zeros([1, ...INPUT_SHAPE])) as tf.Tensor);
  const p = Array.from(await probe.data());
  probe.dispose();
  const sum = p.reduce((a, b) => a + b, 0);
  if (p.some((v) => !Number.isFinite(v)) || Math.abs(sum - 1) > 1e-3)
    throw new Error('The model does not output class probabilities (a softmax): its outputs do not sum to 1.');
  const weights = await readModelWeights(model);
  const topology = model.toJSON(null, false);
  const now = Date.now();
  const config: TrainingConfig = { ...DEFAULT_CONFIG, numClasses: args.classes, epochs: 0 };
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
  return run.id;
}

async function datasetWithClasses(db: LabDatabase, datasetId: string, classes: number): Promise<void> {
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw new Error('Choose a dataset to attach the model to.');
  if (dataset.classNames.length !== classes) {
    throw new Error(
      `The model has ${classes} classes; the dataset “${dataset.name}” has ${dataset.classNames.length}.`,
    );
  }
}

/** Validates, loads and stores a model as a new run on `datasetId`. Nothing is written unless all checks pass. */
export async function importModelFiles(
  db: LabDatabase,
  args: { datasetId: string; name: string; modelJson: string; weights: Uint8Array },
): Promise<{ runId: string; layers: number; params: number }> {
  const checked = checkModelFiles(args.modelJson, args.weights.byteLength);
  await datasetWithClasses(db, args.datasetId, checked.classes);
  const weightData = args.weights.buffer.slice(
    args.weights.byteOffset,
    args.weights.byteOffset + args.weights.byteLength,
  ) as ArrayBuffer;
  const model = await buildWithWeights(checked.modelTopology, checked.weightSpecs, weightData);
  try {
    const runId = await storeModelAsRun(db, model, {
      datasetId: args.datasetId,
      name: args.name,
      classes: checked.classes,
    });
    return { runId, layers: checked.layerCount, params: model.countParams() };
  } finally {
    model.dispose();
  }
}

/**
 * Loads a Keras `.keras` or legacy `.h5` file (read with h5wasm, its config mapped layer by layer) and stores it
 * as a new run on `datasetId`. A model for another input size is fed the lab's faces resized to its input.
 */
export async function importKerasModel(
  db: LabDatabase,
  args: { datasetId: string; name: string; bytes: Uint8Array },
): Promise<{
  runId: string;
  layers: number;
  params: number;
  format: KerasFormat;
  inputShape: [number, number, number];
}> {
  const file = await readKerasFile(args.bytes, args.name);
  const { output } = weightShapes(file.chain);
  const last = file.chain.layers[file.chain.layers.length - 1];
  if (output.length !== 1 || last.kind !== 'dense' || last.activation !== 'softmax' || last.units < 2) {
    throw new Error('The model must end in a Dense layer with a softmax over 2 or more classes (one per person).');
  }
  await datasetWithClasses(db, args.datasetId, last.units);
  const model = buildChainModel(file.chain, file.weights);
  try {
    const runId = await storeModelAsRun(db, model, { datasetId: args.datasetId, name: args.name, classes: last.units });
    return {
      runId,
      layers: file.chain.layers.length,
      params: model.countParams(),
      format: file.format,
      inputShape: file.chain.inputShape,
    };
  } finally {
    model.dispose();
  }
}

/** A run's model as a Keras 3 `.keras` or a legacy `.h5` file (same layer names; weights in Keras' order). */
export async function exportKerasModel(db: LabDatabase, runId: string, format: KerasFormat): Promise<Uint8Array> {
  const { model } = await loadRunModel(db, runId);
  try {
    const { chain, weights } = await chainOfModel(model);
    return format === 'keras' ? await writeKeras3(chain, weights) : await writeLegacyH5(chain, weights);
  } finally {
    model.dispose();
  }
}
