/**
 * Keras model files ⇄ a layer chain and its weights. Read: a Keras 3 `.keras` zip (config.json +
 * model.weights.h5, variables at `layers/<key>/vars/0, 1, …`) or a legacy `.h5` (attribute `model_config`,
 * weights in `model_weights/<layer>` listed by `weight_names`, in the order of `layer_names`). Write: the same
 * two layouts, as keras/src/saving/saving_lib.py and keras/src/legacy/saving/legacy_h5_format.py write them.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Group } from 'h5wasm';
import { checkJsonDepth, checkSize } from '../../shared/jsonLimits';
import { MAX_JSON_DEPTH, MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES } from '../../shared/modelFile';
import { errorMessage } from '../../shared/errorMessage';
import {
  type KerasChain,
  kerasVarKeys,
  keras3Config,
  legacyConfig,
  legacyWeightNames,
  parseKerasConfig,
  weightShapes,
} from './kerasConfig';
import { datasetAt, groupAt, makeGroups, readHdf5, stringListAttr, textOf, writeHdf5 } from './hdf5';

export type KerasFormat = 'keras' | 'h5';

/** Each layer's weights in Keras order, as float32 values (row-major, Keras' own shapes). */
export type LayerWeights = Float32Array[][];

export interface KerasModelFile {
  format: KerasFormat;
  chain: KerasChain;
  weights: LayerWeights;
}

/** The version whose file layout we write (and that Keras reads to decide on conversions of older files). */
export const KERAS3_VERSION = '3.5.0';
export const LEGACY_KERAS_VERSION = '2.15.0';

function parseJson(text: string, what: string): unknown {
  checkSize(text.length, MAX_MODEL_JSON_BYTES, what, "it lists layers, not weights: the paper model's is a few kB");
  checkJsonDepth(text, MAX_JSON_DEPTH, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON (${errorMessage(err)}).`);
  }
}

/** Reads a `.keras` or `.h5` file; the format is told by its first bytes, not its name. */
export async function readKerasFile(bytes: Uint8Array, fileName: string): Promise<KerasModelFile> {
  checkSize(
    bytes.length,
    MAX_WEIGHT_BYTES + MAX_MODEL_JSON_BYTES,
    fileName,
    "the paper model's float32 weights are 259 MB",
  );
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readKeras3(bytes, fileName);
  return readLegacyH5(bytes, fileName);
}

async function readKeras3(bytes: Uint8Array, fileName: string): Promise<KerasModelFile> {
  const caps: Record<string, number> = { 'config.json': MAX_MODEL_JSON_BYTES, 'model.weights.h5': MAX_WEIGHT_BYTES };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        // Refused from the zip's own declared sizes, before inflating anything (a zip bomb never expands).
        if (f.name in caps && f.originalSize > caps[f.name])
          throw new Error(
            `${f.name} in ${fileName} is ${f.originalSize} bytes; the most we accept is ${caps[f.name]}.`,
          );
        return f.name in caps;
      },
    });
  } catch (err) {
    throw new Error(`${fileName} is not a readable .keras (zip) file: ${errorMessage(err)}`);
  }
  const configBytes = files['config.json'];
  const weightsBytes = files['model.weights.h5'];
  if (!configBytes) throw new Error(`${fileName} has no config.json: it is not a Keras 3 .keras file.`);
  if (!weightsBytes)
    throw new Error(`${fileName} has no model.weights.h5 (a sharded or npz weights file is not supported).`);
  const config = parseJson(strFromU8(configBytes), 'config.json');
  const chain = parseKerasConfig(config);
  const functional = (config as { class_name?: unknown }).class_name !== 'Sequential';
  const keys = kerasVarKeys(chain, functional);
  const { shapes } = weightShapes(chain);
  const weights = await readHdf5(weightsBytes, 'model.weights.h5', (file) =>
    chain.layers.map((layer, i) => {
      const vars =
        groupAt(file, `layers/${keys[i]}/vars`) ?? groupAt(file, `_layer_checkpoint_dependencies/${keys[i]}/vars`);
      const names = vars ? vars.keys() : [];
      const where = `layer "${layer.name}" (layers/${keys[i]}/vars in model.weights.h5)`;
      if (names.length !== shapes[i].length)
        throw new Error(`${where} holds ${names.length} weights; the config implies ${shapes[i].length}.`);
      return shapes[i].map((shape, k) => readWeight(vars!, String(k), shape, where));
    }),
  );
  return { format: 'keras', chain, weights };
}

async function readLegacyH5(bytes: Uint8Array, fileName: string): Promise<KerasModelFile> {
  return readHdf5(bytes, fileName, (file) => {
    const configText = textOf(file.attrs.model_config?.value);
    if (configText === null)
      throw new Error(
        `${fileName} has no model_config attribute: it holds weights only, or it is not a Keras model file.`,
      );
    const chain = parseKerasConfig(parseJson(configText, 'The model_config attribute'));
    const { shapes } = weightShapes(chain);
    const root = groupAt(file, 'model_weights') ?? file;
    const layerNames = stringListAttr(root, 'layer_names');
    if (!layerNames) throw new Error(`${fileName} has no layer_names attribute in model_weights.`);
    // Keras loads by position among the layers that have weights (legacy_h5_format.load_weights_from_hdf5_group).
    const saved = layerNames
      .map((name) => ({ name, group: groupAt(root, name) }))
      .map(({ name, group }) => ({
        name,
        group,
        weightNames: group ? (stringListAttr(group, 'weight_names') ?? []) : [],
      }))
      .filter((s) => s.weightNames.length > 0);
    const withWeights = chain.layers.map((_, i) => i).filter((i) => shapes[i].length > 0);
    if (saved.length !== withWeights.length)
      throw new Error(
        `${fileName} holds weights for ${saved.length} layers; its model_config has ${withWeights.length} layers with weights.`,
      );
    const weights: LayerWeights = chain.layers.map(() => []);
    withWeights.forEach((i, k) => {
      const { name, group, weightNames } = saved[k];
      const where = `layer "${chain.layers[i].name}" (model_weights/${name})`;
      if (weightNames.length !== shapes[i].length)
        throw new Error(`${where} holds ${weightNames.length} weights; the config implies ${shapes[i].length}.`);
      weights[i] = shapes[i].map((shape, j) => readWeight(group!, weightNames[j], shape, where));
    });
    return { format: 'h5', chain, weights };
  });
}

function readWeight(group: Group, path: string, shape: number[], where: string): Float32Array {
  const d = datasetAt(group, path);
  if (!d) throw new Error(`${where}: the weight ${path} is missing.`);
  const got = d.shape ?? [];
  if (got.join('×') !== shape.join('×'))
    throw new Error(
      `${where}: the weight ${path} is ${got.join('×') || 'a scalar'}; the config implies ${shape.join('×')}.`,
    );
  const meta = d.metadata;
  // Float class (1) of 4 or 8 bytes: float32, or float64 converted. float16/bfloat16 are refused by name.
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8))
    throw new Error(
      `${where}: the weight ${path} is ${String(d.dtype)}; only float32 (or float64) weights can be loaded.`,
    );
  const value = d.value;
  if (!(value instanceof Float32Array || value instanceof Float64Array))
    throw new Error(`${where}: the weight ${path} could not be read as numbers.`);
  return value instanceof Float32Array ? value : Float32Array.from(value);
}

/** A fixed-length ASCII string type wide enough for every item, as h5py stores Python bytes. */
const fixedString = (items: string[]) => `A${Math.max(1, ...items.map((s) => strToU8(s).length))}`;

function stringAttr(group: Group, name: string, value: string): void {
  group.create_attribute(name, value, null, fixedString([value]));
}

function stringListAttrWrite(group: Group, name: string, items: string[]): void {
  // h5py stores an empty list as an empty float64 array; Keras reads either as "no weights".
  if (items.length === 0) group.create_attribute(name, new Float64Array(0), [0]);
  else group.create_attribute(name, items, [items.length], fixedString(items));
}

function checkWeights(chain: KerasChain, weights: LayerWeights): number[][][] {
  const { shapes } = weightShapes(chain);
  chain.layers.forEach((l, i) => {
    const ok =
      weights[i]?.length === shapes[i].length &&
      shapes[i].every((s, k) => weights[i][k].length === s.reduce((a, b) => a * b, 1));
    if (!ok) throw new Error(`Layer "${l.name}": its weights do not match its settings.`);
  });
  return shapes;
}

/** Writes a Keras 3 `.keras` zip: metadata.json, config.json, model.weights.h5 (stored uncompressed, as Keras does). */
export async function writeKeras3(chain: KerasChain, weights: LayerWeights, now = new Date()): Promise<Uint8Array> {
  const shapes = checkWeights(chain, weights);
  const keys = kerasVarKeys(chain, false);
  const h5 = await writeHdf5((file) => {
    file.create_group('layers');
    chain.layers.forEach((layer, i) => {
      const vars = makeGroups(file, `layers/${keys[i]}/vars`);
      stringAttr(vars, 'name', layer.name);
      shapes[i].forEach((shape, k) =>
        vars.create_dataset({ name: String(k), data: weights[i][k], shape, dtype: '<f4' }),
      );
    });
    stringAttr(file.create_group('vars'), 'name', chain.name);
  });
  const stamp = now.toISOString().slice(0, 19).replace('T', '@');
  return zipSync(
    {
      'metadata.json': strToU8(JSON.stringify({ keras_version: KERAS3_VERSION, date_saved: stamp })),
      'config.json': strToU8(JSON.stringify(keras3Config(chain))),
      'model.weights.h5': h5,
    },
    { level: 0 },
  );
}

/**
 * Writes a legacy `.h5` as tf.keras 2 saves a Sequential model: attributes `model_config`, `keras_version`,
 * `backend`; group `model_weights` with `layer_names` and, per layer (created in name order), `weight_names`
 * and the datasets `<layer>/<layer>/kernel:0`, ….
 */
export async function writeLegacyH5(chain: KerasChain, weights: LayerWeights): Promise<Uint8Array> {
  const shapes = checkWeights(chain, weights);
  return writeHdf5((file) => {
    stringAttr(file, 'keras_version', LEGACY_KERAS_VERSION);
    stringAttr(file, 'backend', 'tensorflow');
    stringAttr(file, 'model_config', JSON.stringify(legacyConfig(chain)));
    const root = file.create_group('model_weights');
    stringListAttrWrite(
      root,
      'layer_names',
      chain.layers.map((l) => l.name),
    );
    stringAttr(root, 'backend', 'tensorflow');
    stringAttr(root, 'keras_version', LEGACY_KERAS_VERSION);
    const order = chain.layers.map((_, i) => i).sort((a, b) => (chain.layers[a].name < chain.layers[b].name ? -1 : 1));
    for (const i of order) {
      const layer = chain.layers[i];
      const group = root.create_group(layer.name);
      const names = legacyWeightNames(layer).map((w) => `${layer.name}/${w}:0`);
      stringListAttrWrite(group, 'weight_names', names);
      if (names.length === 0) continue;
      const inner = group.create_group(layer.name);
      names.forEach((n, k) =>
        inner.create_dataset({ name: n.split('/')[1], data: weights[i][k], shape: shapes[i][k], dtype: '<f4' }),
      );
    }
  });
}
