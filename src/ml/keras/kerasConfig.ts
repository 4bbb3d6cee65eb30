/**
 * Keras model configs ⇄ a plain chain of layers (no TensorFlow.js here). Reads the config of a Keras 3 `.keras`
 * (config.json) and of a legacy `.h5` (the `model_config` attribute, Keras 2 style), Sequential or a Functional
 * model whose layers form one chain; writes both flavours back. Only the layers the lab can rebuild exactly are
 * accepted; anything else is refused with the layer's name and class. Shapes are followed from the input so the
 * weight shapes are known before any weight is read.
 */
import { MAX_ACTIVATION_VALUES } from '../../shared/modelFile';

export type KerasActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';
export type Padding = 'valid' | 'same';

export type ChainLayer =
  | {
      kind: 'conv';
      name: string;
      filters: number;
      kernel: [number, number];
      strides: [number, number];
      padding: Padding;
      dilation: [number, number];
      activation: KerasActivation;
      useBias: boolean;
    }
  | { kind: 'dense'; name: string; units: number; activation: KerasActivation; useBias: boolean }
  | {
      kind: 'batchNorm';
      name: string;
      axis: number;
      epsilon: number;
      momentum: number;
      center: boolean;
      scale: boolean;
    }
  | { kind: 'maxPool'; name: string; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { kind: 'dropout'; name: string; rate: number }
  | { kind: 'flatten'; name: string }
  | { kind: 'activation'; name: string; activation: KerasActivation }
  | { kind: 'relu'; name: string }
  | { kind: 'softmax'; name: string }
  | { kind: 'rescaling'; name: string; scale: number; offset: number };

/** A model as the lab keeps it: an input of [height, width, 3] and a chain of layers. */
export interface KerasChain {
  name: string;
  inputName: string;
  inputShape: [number, number, number];
  layers: ChainLayer[];
}

/** Input sides the lab accepts (it resizes its 64×64 crops to the model's input). */
export const MIN_INPUT_SIDE = 8;
export const MAX_INPUT_SIDE = 512;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh', 'softmax']);
/** TensorFlow's rule for names (a layer's name becomes its weights' names). */
const NAME = /^[A-Za-z0-9][-A-Za-z0-9._]*$/;

function layerError(name: unknown, className: unknown, what: string): never {
  throw new Error(`Layer "${String(name)}" (${String(className)}) ${what}`);
}

/** Parses a Keras model config (Keras 3 or 2 style). Throws an Error whose message says what is refused. */
export function parseKerasConfig(config: unknown): KerasChain {
  if (!isObject(config)) throw new Error('The model config is not a JSON object.');
  const className = config.class_name;
  if (className !== 'Sequential' && className !== 'Functional' && className !== 'Model') {
    throw new Error(
      `The model is a "${String(className)}"; only Sequential models and functional models whose layers form one chain can be loaded.`,
    );
  }
  const body = isObject(config.config) ? config.config : {};
  const entries = body.layers;
  if (!Array.isArray(entries) || entries.length === 0) throw new Error('The model config lists no layers.');
  if (entries.length > 1000)
    throw new Error(`The model config lists ${entries.length} layers; at most 1000 are accepted.`);
  const modelName = typeof body.name === 'string' && NAME.test(body.name) ? body.name : 'model';

  let inputShape: unknown = null;
  let inputName = 'input_layer';
  const layers: ChainLayer[] = [];
  let previous: string | null = null;
  const names = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    if (!isObject(entry)) throw new Error(`Layer ${i} of the config is not an object.`);
    const cls = String(entry.class_name);
    const c = isObject(entry.config) ? entry.config : {};
    const name = c.name ?? entry.name;
    if (typeof name !== 'string' || !NAME.test(name))
      layerError(name, cls, 'has a name TensorFlow.js cannot use (letters, digits, . _ - only).');
    if (names.has(name)) layerError(name, cls, 'has the same name as an earlier layer.');
    names.add(name);
    if (className !== 'Sequential') {
      const from = inboundLayer(entry.inbound_nodes);
      const ok = i === 0 ? cls === 'InputLayer' && from === null : from === previous;
      if (!ok)
        layerError(
          name,
          cls,
          'does not take its input from the layer before it: only models whose layers form one chain can be loaded.',
        );
    }
    previous = name;
    inputShape ??= c.batch_shape ?? c.batch_input_shape ?? null;
    if (cls === 'InputLayer') {
      if (i !== 0) layerError(name, cls, 'is not the first layer.');
      inputName = name;
      continue;
    }
    layers.push(chainLayer(cls, name, c));
  }
  inputShape ??= body.build_input_shape ?? (isObject(config.build_config) ? config.build_config.input_shape : null);
  if (className !== 'Sequential') checkEnds(body, entries[0] as Json, previous!);
  return foldSoftmax({ name: modelName, inputName, inputShape: checkInputShape(inputShape), layers });
}

/** The one layer a Functional layer entry takes its input from: Keras 2 `[[[name, 0, 0, {}]]]`, Keras 3 `[{args: [keras tensor]}]`. */
function inboundLayer(nodes: unknown): string | null | undefined {
  if (Array.isArray(nodes) && nodes.length === 0) return null;
  if (!Array.isArray(nodes) || nodes.length !== 1) return undefined;
  const node = nodes[0];
  if (Array.isArray(node)) {
    if (node.length !== 1 || !Array.isArray(node[0])) return undefined;
    const [layer, n, t] = node[0] as unknown[];
    return typeof layer === 'string' && n === 0 && t === 0 ? layer : undefined;
  }
  if (!isObject(node) || !Array.isArray(node.args) || node.args.length !== 1) return undefined;
  const tensor = node.args[0];
  const history = isObject(tensor) && isObject(tensor.config) ? tensor.config.keras_history : undefined;
  if (!Array.isArray(history)) return undefined;
  const [layer, n, t] = history as unknown[];
  return typeof layer === 'string' && n === 0 && t === 0 ? layer : undefined;
}

function checkEnds(body: Json, first: Json, last: string): void {
  const ref = (v: unknown): string | undefined => {
    // [[name, 0, 0]] (one input) or Keras 3's flattened [name, 0, 0].
    const r = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
    return Array.isArray(r) && typeof r[0] === 'string' && r[1] === 0 && r[2] === 0 && r.length === 3
      ? r[0]
      : undefined;
  };
  const firstName = (isObject(first.config) ? first.config.name : undefined) ?? first.name;
  if (ref(body.input_layers) !== firstName || ref(body.output_layers) !== last) {
    throw new Error('The model must take one input at its first layer and give one output at its last.');
  }
}

function checkInputShape(shape: unknown): [number, number, number] {
  const dims = Array.isArray(shape) ? shape : [];
  const [, h, w, c] = dims;
  const side = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= MIN_INPUT_SIDE && v <= MAX_INPUT_SIDE;
  if (dims.length !== 4 || !side(h) || !side(w) || c !== 3) {
    const said = dims.length
      ? dims
          .slice(1)
          .map((d) => (d === null ? 'any' : String(d)))
          .join('×')
      : 'not declared';
    throw new Error(
      `The model's input must be RGB images of ${MIN_INPUT_SIDE}–${MAX_INPUT_SIDE} pixels a side (height×width×3); it is ${said}.`,
    );
  }
  return [h as number, w as number, 3];
}

function pair(name: string, cls: string, v: unknown, what: string, fallback?: [number, number]): [number, number] {
  const p = v === undefined || v === null ? fallback : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1 && d <= 1024))
    layerError(name, cls, `has an invalid ${what} (${JSON.stringify(v)}).`);
  return [p[0] as number, p[1] as number];
}

function activationOf(name: string, cls: string, v: unknown): KerasActivation {
  // Keras 3 may write {"module": "keras.activations", "class_name": "function", "config": "relu"}.
  const a = v === undefined || v === null ? 'linear' : isObject(v) && typeof v.config === 'string' ? v.config : v;
  if (typeof a !== 'string' || !ACTIVATIONS.has(a))
    layerError(name, cls, `uses the activation ${JSON.stringify(a)}; supported: ${[...ACTIVATIONS].join(', ')}.`);
  return a as KerasActivation;
}

function paddingOf(name: string, cls: string, v: unknown): Padding {
  const p = v ?? 'valid';
  if (p !== 'valid' && p !== 'same')
    layerError(name, cls, `has padding ${JSON.stringify(v)} (only "valid" and "same").`);
  return p;
}

function numberOf(name: string, cls: string, v: unknown, what: string, fallback: number): number {
  const n = v ?? fallback;
  if (typeof n !== 'number' || !Number.isFinite(n))
    layerError(name, cls, `has an invalid ${what} (${JSON.stringify(v)}).`);
  return n;
}

const SUPPORTED =
  'Conv2D, Dense, BatchNormalization, Dropout, Flatten, MaxPooling2D, Activation, ReLU, Softmax, InputLayer, Rescaling';

function chainLayer(cls: string, name: string, c: Json): ChainLayer {
  const fmt = c.data_format;
  if (fmt !== undefined && fmt !== null && fmt !== 'channels_last')
    layerError(name, cls, `uses data format ${JSON.stringify(fmt)} (only channels_last).`);
  switch (cls) {
    case 'Conv2D': {
      if (c.groups !== undefined && c.groups !== 1) layerError(name, cls, 'is a grouped convolution (groups ≠ 1).');
      const filters = c.filters;
      if (typeof filters !== 'number' || !Number.isInteger(filters) || filters < 1 || filters > 8192)
        layerError(name, cls, `has an invalid number of filters (${JSON.stringify(filters)}).`);
      return {
        kind: 'conv',
        name,
        filters,
        kernel: pair(name, cls, c.kernel_size, 'kernel size'),
        strides: pair(name, cls, c.strides, 'stride', [1, 1]),
        padding: paddingOf(name, cls, c.padding),
        dilation: pair(name, cls, c.dilation_rate, 'dilation', [1, 1]),
        activation: activationOf(name, cls, c.activation),
        useBias: c.use_bias !== false,
      };
    }
    case 'Dense': {
      const units = c.units;
      if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > 1_000_000)
        layerError(name, cls, `has an invalid number of units (${JSON.stringify(units)}).`);
      return {
        kind: 'dense',
        name,
        units,
        activation: activationOf(name, cls, c.activation),
        useBias: c.use_bias !== false,
      };
    }
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1);
      // Only the last (channel) axis: weightShapes checks it against the layer's input.
      if (typeof axis !== 'number' || !Number.isInteger(axis))
        layerError(name, cls, `has an invalid axis (${JSON.stringify(c.axis)}).`);
      if (c.renorm === true) layerError(name, cls, 'uses batch renormalisation.');
      return {
        kind: 'batchNorm',
        name,
        axis,
        epsilon: numberOf(name, cls, c.epsilon, 'epsilon', 1e-3),
        momentum: numberOf(name, cls, c.momentum, 'momentum', 0.99),
        center: c.center !== false,
        scale: c.scale !== false,
      };
    }
    case 'MaxPooling2D': {
      const pool = pair(name, cls, c.pool_size, 'pool size', [2, 2]);
      return {
        kind: 'maxPool',
        name,
        pool,
        strides: pair(name, cls, c.strides, 'stride', pool),
        padding: paddingOf(name, cls, c.padding),
      };
    }
    case 'Dropout': {
      const rate = numberOf(name, cls, c.rate, 'rate', 0);
      if (rate < 0 || rate >= 1) layerError(name, cls, `has a rate of ${rate}.`);
      if (c.noise_shape !== undefined && c.noise_shape !== null) layerError(name, cls, 'has a noise shape.');
      return { kind: 'dropout', name, rate };
    }
    case 'Flatten':
      return { kind: 'flatten', name };
    case 'Activation':
      return { kind: 'activation', name, activation: activationOf(name, cls, c.activation) };
    case 'ReLU': {
      const plain = (c.max_value ?? null) === null && (c.negative_slope ?? 0) === 0 && (c.threshold ?? 0) === 0;
      if (!plain) layerError(name, cls, 'has a maximum, a negative slope or a threshold (only the plain ReLU).');
      return { kind: 'relu', name };
    }
    case 'Softmax':
      if (c.axis !== undefined && c.axis !== -1 && !(Array.isArray(c.axis) && c.axis.length === 1 && c.axis[0] === -1))
        layerError(name, cls, `works on axis ${JSON.stringify(c.axis)} (only the last).`);
      return { kind: 'softmax', name };
    case 'Rescaling':
      if (typeof c.scale !== 'number' || typeof (c.offset ?? 0) !== 'number')
        layerError(name, cls, 'has a scale or offset per channel (only single numbers).');
      return { kind: 'rescaling', name, scale: c.scale, offset: (c.offset ?? 0) as number };
    default:
      return layerError(name, cls, `is not supported. Supported layers: ${SUPPORTED}.`);
  }
}

/**
 * A final linear Dense followed by a softmax layer becomes one Dense with a softmax activation: the lab's
 * See and Fool read the class scores before the softmax from a softmax Dense head. Same function, one layer less.
 */
function foldSoftmax(chain: KerasChain): KerasChain {
  const n = chain.layers.length;
  const last = chain.layers[n - 1];
  const before = chain.layers[n - 2];
  const isSoftmax = last && (last.kind === 'softmax' || (last.kind === 'activation' && last.activation === 'softmax'));
  if (isSoftmax && before?.kind === 'dense' && before.activation === 'linear') {
    return { ...chain, layers: [...chain.layers.slice(0, n - 2), { ...before, activation: 'softmax' }] };
  }
  return chain;
}

/**
 * Each layer's weight shapes in Keras' order (kernel, bias; BN gamma, beta, moving_mean, moving_variance),
 * following the shapes from the input; refuses a layer whose window does not fit or whose output is too big.
 * Also returns the model's output shape.
 */
export function weightShapes(chain: KerasChain): { shapes: number[][][]; output: number[] } {
  let shape: number[] = [...chain.inputShape];
  const shapes: number[][][] = [];
  const spatial = (l: ChainLayer, size: number, k: number, s: number, d: number, padding: Padding) => {
    const out = padding === 'same' ? Math.ceil(size / s) : Math.ceil((size - (k - 1) * d) / s);
    if (out < 1) layerError(l.name, kerasClassName(l), 'has a window larger than its input.');
    return out;
  };
  for (const l of chain.layers) {
    const last = shape[shape.length - 1];
    let w: number[][] = [];
    switch (l.kind) {
      case 'conv':
      case 'maxPool': {
        if (shape.length !== 3) layerError(l.name, kerasClassName(l), 'gets an input that is not an image.');
        const k = l.kind === 'conv' ? l.kernel : l.pool;
        const d = l.kind === 'conv' ? l.dilation : [1, 1];
        const channels = l.kind === 'conv' ? l.filters : last;
        shape = [
          spatial(l, shape[0], k[0], l.strides[0], d[0], l.padding),
          spatial(l, shape[1], k[1], l.strides[1], d[1], l.padding),
          channels,
        ];
        if (l.kind === 'conv')
          w = l.useBias ? [[k[0], k[1], last, l.filters], [l.filters]] : [[k[0], k[1], last, l.filters]];
        break;
      }
      case 'dense':
        w = l.useBias ? [[last, l.units], [l.units]] : [[last, l.units]];
        shape = [...shape.slice(0, -1), l.units];
        break;
      case 'batchNorm':
        if ((l.axis < 0 ? l.axis + shape.length + 1 : l.axis) !== shape.length)
          layerError(l.name, kerasClassName(l), `normalises axis ${l.axis}, not the last (channel) axis.`);
        w = [...(l.scale ? [[last]] : []), ...(l.center ? [[last]] : []), [last], [last]];
        break;
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      default: // dropout, activations, rescaling: no weights, same shape
    }
    if (shape.reduce((a, b) => a * b, 1) > MAX_ACTIVATION_VALUES)
      layerError(
        l.name,
        kerasClassName(l),
        `gives ${shape.join('×')} values per image (the limit is ${MAX_ACTIVATION_VALUES}).`,
      );
    shapes.push(w);
  }
  return { shapes, output: shape };
}

/** The class names of the chain's layers as Keras writes them. */
export function kerasClassName(l: ChainLayer): string {
  return {
    conv: 'Conv2D',
    dense: 'Dense',
    batchNorm: 'BatchNormalization',
    maxPool: 'MaxPooling2D',
    dropout: 'Dropout',
    flatten: 'Flatten',
    activation: 'Activation',
    relu: 'ReLU',
    softmax: 'Softmax',
    rescaling: 'Rescaling',
  }[l.kind];
}

/** keras.src.utils.naming.to_snake_case: "MaxPooling2D" → "max_pooling2d", "ReLU" → "re_lu". */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Where a Keras 3 `.keras` file keeps each layer's variables: `layers/<key>/vars/0, 1, …`, the key being the
 * snake-cased class name made unique by a counter (saving_lib._save_container_state: `conv2d`, `conv2d_1`, …),
 * never the layer's own name. A Functional model's layers include its InputLayer; a Sequential's do not.
 */
export function kerasVarKeys(chain: KerasChain, functional: boolean): string[] {
  const used = new Map<string, number>();
  const unique = (base: string) => {
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  };
  if (functional) unique('input_layer');
  return chain.layers.map((l) => unique(toSnakeCase(kerasClassName(l))));
}

/** Keras 2's weight names per layer, in the order of weightShapes (the legacy `.h5` `weight_names`). */
export function legacyWeightNames(l: ChainLayer): string[] {
  if (l.kind === 'conv' || l.kind === 'dense') return l.useBias ? ['kernel', 'bias'] : ['kernel'];
  if (l.kind === 'batchNorm')
    return [...(l.scale ? ['gamma'] : []), ...(l.center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
  return [];
}

/** One layer's config fields, shared by both flavours (snake_case, as Keras writes them). */
function layerFields(l: ChainLayer): Json {
  const base = { name: l.name, trainable: true, dtype: 'float32' };
  switch (l.kind) {
    case 'conv':
      return {
        ...base,
        filters: l.filters,
        kernel_size: l.kernel,
        strides: l.strides,
        padding: l.padding,
        data_format: 'channels_last',
        dilation_rate: l.dilation,
        groups: 1,
        activation: l.activation,
        use_bias: l.useBias,
      };
    case 'dense':
      return { ...base, units: l.units, activation: l.activation, use_bias: l.useBias };
    case 'batchNorm':
      return { ...base, axis: -1, momentum: l.momentum, epsilon: l.epsilon, center: l.center, scale: l.scale };
    case 'maxPool':
      return { ...base, pool_size: l.pool, strides: l.strides, padding: l.padding, data_format: 'channels_last' };
    case 'dropout':
      return { ...base, rate: l.rate };
    case 'flatten':
      return { ...base, data_format: 'channels_last' };
    case 'activation':
      return { ...base, activation: l.activation };
    case 'relu':
      return { ...base, max_value: null, negative_slope: 0, threshold: 0 };
    case 'softmax':
      return { ...base, axis: -1 };
    case 'rescaling':
      return { ...base, scale: l.scale, offset: l.offset };
  }
}

/** config.json of a Keras 3 `.keras` file: a Sequential model (module / registered_name as Keras 3 writes them). */
export function keras3Config(chain: KerasChain): Json {
  const batchShape = [null, ...chain.inputShape];
  const entry = (cls: string, config: Json) => ({
    module: 'keras.layers',
    class_name: cls,
    config,
    registered_name: null,
  });
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: chain.name,
      trainable: true,
      dtype: 'float32',
      layers: [
        entry('InputLayer', { batch_shape: batchShape, dtype: 'float32', sparse: false, name: chain.inputName }),
        ...chain.layers.map((l) => entry(kerasClassName(l), layerFields(l))),
      ],
      build_input_shape: batchShape,
    },
    registered_name: null,
    build_config: { input_shape: batchShape },
    compile_config: null,
  };
}

/** The `model_config` attribute of a legacy `.h5` file: a Keras 2 style Sequential config. */
export function legacyConfig(chain: KerasChain): Json {
  return {
    class_name: 'Sequential',
    config: {
      name: chain.name,
      layers: [
        {
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [null, ...chain.inputShape],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: chain.inputName,
          },
        },
        ...chain.layers.map((l) => ({ class_name: kerasClassName(l), config: layerFields(l) })),
      ],
    },
  };
}
