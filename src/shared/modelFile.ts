/**
 * Checks a TensorFlow.js layers-format model (model.json + one weights file, as written by tfjs' save() or
 * by `tensorflowjs_converter --input_format keras`) BEFORE any of it is deserialised: sizes, format, the layer
 * classes (an allowlist: a model file can name any registered class, including ones that run code paths we
 * never test), the 64×64×3 input, 2+ output classes, float32 weights, and that the weight bytes are exactly
 * what the manifest lists. Every failure is an Error whose message says what is wrong, for the UI.
 */
export const MAX_MODEL_JSON_BYTES = 5 * 1024 * 1024;
/** The paper model's float32 weights are 259 MB; leave room, refuse anything absurd. */
export const MAX_WEIGHT_BYTES = 400 * 1024 * 1024;

export const ALLOWED_LAYERS = new Set([
  'InputLayer',
  'Conv2D',
  'Dense',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'Dropout',
  'Flatten',
  'Activation',
  'ReLU',
  'Rescaling',
]);

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

export interface CheckedModel {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  classes: number;
  layerCount: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras writes snake_case; tfjs accepts both. */
const field = (o: Json, snake: string, camel: string): unknown => o[snake] ?? o[camel];

export function checkModelFiles(modelJsonText: string, weightBytes: number): CheckedModel {
  if (modelJsonText.length > MAX_MODEL_JSON_BYTES) throw new Error(`model.json is ${modelJsonText.length} bytes; the limit is ${MAX_MODEL_JSON_BYTES}.`);
  if (weightBytes > MAX_WEIGHT_BYTES) throw new Error(`The weights file is ${weightBytes} bytes; the limit is ${MAX_WEIGHT_BYTES}.`);
  let json: unknown;
  try {
    json = JSON.parse(modelJsonText);
  } catch (err) {
    throw new Error(`model.json is not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!isObject(json)) throw new Error('model.json must be a JSON object.');
  if (json.format !== undefined && json.format !== 'layers-model') throw new Error(`model.json has format "${String(json.format)}"; only TensorFlow.js "layers-model" files can be imported.`);
  const topology = json.modelTopology;
  if (!isObject(topology)) throw new Error('model.json has no modelTopology.');
  // Keras-converter files wrap the model in {keras_version, backend, model_config: {...}}.
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const className = model.class_name;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') throw new Error(`The model is a "${String(className)}"; expected Sequential or a functional Model.`);
  const config = model.config;
  const layers = isObject(config) ? config.layers : Array.isArray(config) ? config : undefined;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error('The model has no layers.');
  let inputShape: unknown = null;
  for (const layer of layers) {
    if (!isObject(layer)) throw new Error('A layer entry is not an object.');
    const name = String(layer.class_name);
    if (!ALLOWED_LAYERS.has(name)) throw new Error(`Layer class "${name}" is not allowed (allowed: ${[...ALLOWED_LAYERS].join(', ')}).`);
    const lc = isObject(layer.config) ? layer.config : {};
    inputShape ??= field(lc, 'batch_input_shape', 'batchInputShape') ?? field(lc, 'batch_shape', 'batchShape') ?? null;
  }
  if (!Array.isArray(inputShape) || inputShape.slice(1).join('×') !== '64×64×3') {
    throw new Error(`The model's input must be 64×64×3 images; it is ${Array.isArray(inputShape) ? inputShape.slice(1).join('×') : 'not declared'}.`);
  }
  const last = layers[layers.length - 1] as Json;
  const lastConfig = isObject(last.config) ? last.config : {};
  const classes = Number(lastConfig.units);
  if (last.class_name !== 'Dense' || !Number.isInteger(classes) || classes < 2) throw new Error('The model must end in a Dense layer with 2 or more classes.');

  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new Error('model.json has no weightsManifest.');
  const weightSpecs: WeightSpec[] = [];
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights)) throw new Error('A weightsManifest group has no weights list.');
    for (const w of group.weights) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) throw new Error('A weight entry lacks its name or shape.');
      if (w.dtype !== 'float32') throw new Error(`Weight ${w.name} is ${String(w.dtype)}; only float32 weights can be imported.`);
      if (w.quantization !== undefined) throw new Error(`Weight ${w.name} is quantised; export it unquantised.`);
      const shape = w.shape.map(Number);
      if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`Weight ${w.name} has an invalid shape.`);
      weightSpecs.push({ name: w.name, shape, dtype: 'float32' });
    }
  }
  const expected = weightSpecs.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (expected !== weightBytes) throw new Error(`The weights file has ${weightBytes} bytes but model.json lists ${expected} (truncated or the wrong file?).`);
  return { modelTopology: topology, weightSpecs, classes, layerCount: layers.length };
}

/** The weight-file paths model.json's manifest lists, in order; null when the text is not JSON (the validator says why). */
export function manifestPaths(modelJsonText: string): string[] | null {
  try {
    const manifest = (JSON.parse(modelJsonText) as { weightsManifest?: Array<{ paths?: string[] }> }).weightsManifest ?? [];
    return manifest.flatMap((g) => g.paths ?? []);
  } catch {
    return null;
  }
}
