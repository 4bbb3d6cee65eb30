/**
 * Checks a TensorFlow.js layers-format model (model.json + one weights file, as written by tfjs' save() or
 * by `tensorflowjs_converter --input_format keras`) BEFORE any of it is deserialised: sizes, format, the layer
 * classes (an allowlist: a model file can name any registered class, including ones that run code paths we
 * never test), the 64×64×3 input, 2+ output classes, float32 weights, and that the weight bytes are exactly
 * what the manifest lists. Every failure is an Error whose message says what is wrong, for the UI.
 */
import { checkJsonDepth, checkSize, jsonDepth } from './jsonLimits';
import { errorMessage } from './errorMessage';

export const MAX_MODEL_JSON_BYTES = 5 * 1024 * 1024;
/** Nesting a layers model.json needs is under 20; anything past this is refused before parsing. */
export const MAX_JSON_DEPTH = 64;
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
  checkSize(
    modelJsonText.length,
    MAX_MODEL_JSON_BYTES,
    'model.json',
    "it lists layers, not weights: the paper model's is a few kB",
  );
  checkSize(weightBytes, MAX_WEIGHT_BYTES, 'The weights file', "the paper model's float32 weights are 259 MB");
  checkJsonDepth(modelJsonText, MAX_JSON_DEPTH, 'model.json');
  let json: unknown;
  try {
    json = JSON.parse(modelJsonText);
  } catch (err) {
    throw new Error(`model.json is not valid JSON (${errorMessage(err)}).`);
  }
  if (!isObject(json)) throw new Error('model.json must be a JSON object.');
  if (json.format !== undefined && json.format !== 'layers-model')
    throw new Error(
      `model.json has format "${String(json.format)}"; only TensorFlow.js "layers-model" files can be imported.`,
    );
  const topology = json.modelTopology;
  if (!isObject(topology)) throw new Error('model.json has no modelTopology.');
  // Keras-converter files wrap the model in {keras_version, backend, model_config: {...}}.
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const className = model.class_name;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional')
    throw new Error(`The model is a "${String(className)}"; expected Sequential or a functional Model.`);
  const config = model.config;
  const layers = isObject(config) ? config.layers : Array.isArray(config) ? config : undefined;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error('The model has no layers.');
  let inputShape: unknown = null;
  for (const layer of layers) {
    if (!isObject(layer)) throw new Error('A layer entry is not an object.');
    const name = String(layer.class_name);
    if (!ALLOWED_LAYERS.has(name))
      throw new Error(`Layer class "${name}" is not allowed (allowed: ${[...ALLOWED_LAYERS].join(', ')}).`);
    const lc = isObject(layer.config) ? layer.config : {};
    inputShape ??= field(lc, 'batch_input_shape', 'batchInputShape') ?? field(lc, 'batch_shape', 'batchShape') ?? null;
  }
  // Numbers, exactly: [null, "64", [64], 3] printed as 64×64×3 too, and TensorFlow.js would build from it.
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== 4 ||
    inputShape[1] !== 64 ||
    inputShape[2] !== 64 ||
    inputShape[3] !== 3
  ) {
    throw new Error(
      `The model's input must be 64×64×3 images; it is ${Array.isArray(inputShape) ? inputShape.slice(1).join('×') : 'not declared'}.`,
    );
  }
  const last = layers[layers.length - 1] as Json;
  const lastConfig = isObject(last.config) ? last.config : {};
  const classes = Number(lastConfig.units);
  if (last.class_name !== 'Dense' || !Number.isInteger(classes) || classes < 2)
    throw new Error('The model must end in a Dense layer with 2 or more classes.');

  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new Error('model.json has no weightsManifest.');
  const weightSpecs: WeightSpec[] = [];
  const names = new Set<string>();
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.weights))
      throw new Error('A weightsManifest group has no weights list.');
    for (const w of group.weights) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape))
        throw new Error('A weight entry lacks its name or shape.');
      if (w.dtype !== 'float32')
        throw new Error(`Weight ${w.name} is ${String(w.dtype)}; only float32 weights can be imported.`);
      if (w.quantization !== undefined) throw new Error(`Weight ${w.name} is quantised; export it unquantised.`);
      const shape = w.shape.map(Number);
      if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`Weight ${w.name} has an invalid shape.`);
      // TensorFlow's own rule for names. "__proto__" in particular: decoding put that tensor on the result
      // map's prototype, where nothing disposed it (found by the fuzzer).
      if (!/^[A-Za-z0-9][-A-Za-z0-9._/]*$/.test(w.name))
        throw new Error(`Weight name ${JSON.stringify(w.name).slice(0, 80)} is not a valid tensor name.`);
      // Decoding keeps one tensor per name: a second entry of the same name would be decoded and lost.
      if (names.has(w.name)) throw new Error(`Weight ${w.name} is listed twice.`);
      names.add(w.name);
      weightSpecs.push({ name: w.name, shape, dtype: 'float32' });
    }
  }
  const expected = weightSpecs.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (expected !== weightBytes)
    throw new Error(
      `The weights file has ${weightBytes} bytes but model.json lists ${expected} (truncated or the wrong file?).`,
    );
  const implied = impliedWeightCount(className, isObject(config) ? config : {}, layers as Json[]);
  if (4 * implied !== weightBytes) {
    throw new Error(
      `The layers of model.json need ${implied} weights but its weights file holds ${weightBytes / 4} (the layer settings and the weights do not belong together).`,
    );
  }
  return { modelTopology: topology, weightSpecs, classes, layerCount: layers.length };
}

/** Largest layer output per image (values) accepted: 64×64×1024; the paper model's largest is 64×64×128. */
export const MAX_ACTIVATION_VALUES = 64 * 64 * 1024;

/**
 * How many weights the layers will create, from their settings alone, following the shapes from the 64×64×3
 * input (channels last). TensorFlow.js allocates every layer's weights from these settings BEFORE it compares
 * them with the weights file, so a model.json whose settings disagree with its manifest (a negative dilation,
 * 10⁶ filters) made it allocate and initialise gigabytes or spin for minutes (found by modelFile.fuzz.test.ts).
 * With only single-input layers allowed, a usable functional model is a chain; anything else is refused.
 */
function impliedWeightCount(className: unknown, config: Json, layers: Json[]): number {
  const bad = (layer: Json, what: string): never => {
    throw new Error(
      `Layer "${String(isObject(layer.config) ? layer.config.name : layer.class_name)}" (${String(layer.class_name)}) has ${what}.`,
    );
  };
  const positive = (layer: Json, value: unknown, what: string, fallback?: number): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_000_000)
      bad(layer, `an invalid ${what} (${JSON.stringify(value) ?? 'missing'})`);
    return v as number;
  };
  const pair = (layer: Json, value: unknown, what: string, fallback: number): [number, number] => {
    const v = Array.isArray(value) ? value : [value ?? fallback, value ?? fallback];
    if (v.length !== 2) bad(layer, `an invalid ${what} (${JSON.stringify(value)})`);
    return [positive(layer, v[0], what), positive(layer, v[1], what)];
  };
  const spatial = (
    layer: Json,
    size: number,
    kernel: number,
    stride: number,
    dilation: number,
    padding: unknown,
  ): number => {
    const out = padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - (kernel - 1) * dilation) / stride);
    if (padding !== 'same' && padding !== 'valid') bad(layer, `padding ${JSON.stringify(padding)}`);
    if (out < 1) bad(layer, 'a window larger than its input');
    return out;
  };
  let shape = [64, 64, 3];
  let count = 0;
  let previous: string | null = null;
  const names = new Set<string>();
  /** [[[name, 0, 0, {kwargs}?]]]: one call on output 0 of node 0 of `name`. */
  const isCall = (nodes: unknown, name: string | null): boolean =>
    Array.isArray(nodes) &&
    nodes.length === 1 &&
    Array.isArray(nodes[0]) &&
    nodes[0].length === 1 &&
    isRef(nodes[0][0], name, true);
  const isRef = (ref: unknown, name: string | null, kwargs: boolean): boolean =>
    Array.isArray(ref) &&
    ref[0] === name &&
    ref[1] === 0 &&
    ref[2] === 0 &&
    (ref.length === 3 || (kwargs && ref.length === 4 && (ref[3] === null || isObject(ref[3]))));
  for (const [i, layer] of layers.entries()) {
    const c = isObject(layer.config) ? layer.config : {};
    if (className !== 'Sequential') {
      // Functional: the first layer is the input, every other one takes the previous one's output, by name.
      // Strictly: TensorFlow.js re-queues a layer whose input is not built yet and loops forever when it
      // never will be (a missing or misspelt name, node index 1) — a hang found by the fuzzer.
      const name = layer.name;
      const inbound = layer.inbound_nodes ?? layer.inboundNodes;
      const ok =
        typeof name === 'string' &&
        !names.has(name) &&
        (i === 0
          ? layer.class_name === 'InputLayer' && Array.isArray(inbound) && inbound.length === 0
          : isCall(inbound, previous));
      if (!ok) throw new Error('Only models whose layers form a single chain from the input can be imported.');
      names.add(name as string);
      previous = name as string;
    }
    const fmt = field(c, 'data_format', 'dataFormat');
    if (fmt !== undefined && fmt !== null && fmt !== 'channels_last')
      bad(layer, `data format ${JSON.stringify(fmt)} (only channels_last)`);
    const last = shape[shape.length - 1];
    switch (layer.class_name) {
      case 'Conv2D':
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        if (shape.length !== 3) bad(layer, 'an input that is not an image');
        const conv = layer.class_name === 'Conv2D';
        const kernel = conv
          ? pair(layer, field(c, 'kernel_size', 'kernelSize'), 'kernel size', NaN)
          : pair(layer, field(c, 'pool_size', 'poolSize'), 'pool size', 2);
        const strides = pair(layer, c.strides, 'stride', conv ? 1 : kernel[0]);
        const dilation = conv ? pair(layer, field(c, 'dilation_rate', 'dilationRate'), 'dilation', 1) : [1, 1];
        const padding = c.padding ?? 'valid';
        const channels = conv ? positive(layer, c.filters, 'number of filters') : last;
        shape = [
          spatial(layer, shape[0], kernel[0], strides[0], dilation[0], padding),
          spatial(layer, shape[1], kernel[1], strides[1], dilation[1], padding),
          channels,
        ];
        if (conv)
          count += kernel[0] * kernel[1] * last * channels + (field(c, 'use_bias', 'useBias') === false ? 0 : channels);
        break;
      }
      case 'Dense': {
        const units = positive(layer, c.units, 'number of units');
        count += last * units + (field(c, 'use_bias', 'useBias') === false ? 0 : units);
        shape = [...shape.slice(0, -1), units];
        break;
      }
      case 'BatchNormalization': {
        const axis = c.axis ?? -1;
        const full = shape.length + 1; // with the batch axis
        const a = typeof axis === 'number' && Number.isInteger(axis) ? (axis < 0 ? axis + full : axis) : NaN;
        if (!(a >= 1 && a < full)) bad(layer, `an invalid axis (${JSON.stringify(axis)})`);
        const n = shape[a - 1];
        count += n * (2 + (c.scale === false ? 0 : 1) + (c.center === false ? 0 : 1));
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D':
        if (shape.length !== 3) bad(layer, 'an input that is not an image');
        shape = [last];
        break;
      case 'Flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      default: // InputLayer, Dropout, Activation, ReLU, Rescaling: no weights, same shape
    }
    if (shape.reduce((a, b) => a * b, 1) > MAX_ACTIVATION_VALUES)
      bad(layer, `an output of ${shape.join('×')} values per image (the limit is ${MAX_ACTIVATION_VALUES})`);
  }
  if (className !== 'Sequential') {
    const first = layers[0].name as string;
    const inputs = field(config, 'input_layers', 'inputLayers');
    const outputs = field(config, 'output_layers', 'outputLayers');
    const single = (v: unknown, name: string) => Array.isArray(v) && v.length === 1 && isRef(v[0], name, false);
    if (!single(inputs, first) || !single(outputs, previous!))
      throw new Error('The model must take its input at its first layer and give its output at its last.');
  }
  return count;
}

/** The weight-file paths model.json's manifest lists, in order; null when the text is not JSON (the validator says why). */
export function manifestPaths(modelJsonText: string): string[] | null {
  if (jsonDepth(modelJsonText, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return null;
  try {
    const manifest: unknown = (JSON.parse(modelJsonText) as { weightsManifest?: unknown }).weightsManifest ?? [];
    // Only strings: a hostile file's `paths: -1` or `[5]` made the callers' path.split() throw a TypeError.
    if (!Array.isArray(manifest)) return [];
    return manifest.flatMap((g) =>
      isObject(g) && Array.isArray(g.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : [],
    );
  } catch {
    return null;
  }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint8: 1, bool: 1 };

/**
 * The weight bytes model.json's manifest declares (shapes × dtype sizes), or null when it cannot say: the
 * hosted-model reader stops at this (plus a margin) instead of downloading up to MAX_WEIGHT_BYTES first.
 */
export function declaredWeightBytes(modelJsonText: string): number | null {
  if (jsonDepth(modelJsonText, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return null;
  try {
    const manifest: unknown = (JSON.parse(modelJsonText) as { weightsManifest?: unknown }).weightsManifest;
    if (!Array.isArray(manifest)) return null;
    let total = 0;
    for (const group of manifest) {
      if (!isObject(group) || !Array.isArray(group.weights)) return null;
      for (const w of group.weights) {
        if (!isObject(w) || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0))
          return null;
        const size = DTYPE_BYTES[String(w.dtype ?? 'float32')];
        if (!size) return null;
        total += (w.shape as number[]).reduce((a, d) => a * d, 1) * size;
      }
    }
    return total;
  } catch {
    return null;
  }
}
