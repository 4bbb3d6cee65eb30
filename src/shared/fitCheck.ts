/**
 * checkFit: a preset's memory estimate (src/shared/presetFit.ts) against the limits the lab worker read from
 * its backend (src/ml/deviceLimits.ts), with the sentences the Train page shows. A verdict is only as definite as
 * the limit behind it: a device limit that a tensor exceeds is 'will-not-fit'; where the browser does not expose
 * the limit that matters (total GPU memory, the JavaScript heap) the check says so instead of inventing one.
 */
import { estimateFit, type FitConfig, type FitEstimate, type SizedTensor } from './presetFit';
import { physicalTextureSize, type WebglTextureFlags } from './webglTextureShape';

/** What the lab worker reads from its backend; one shape per backend. */
export type BackendLimits =
  | {
      backend: 'wasm';
      /** Emscripten's getHeapMax() of the tfjs wasm build: 4 GiB − 64 KiB, the wasm32 address space. */
      heapMaxBytes: number;
      /** The heap's size now (it grows on demand and never shrinks). */
      heapBytes: number | null;
    }
  | {
      backend: 'webgpu';
      /** Of the device tfjs created (it requests the adapter's maxima). */
      maxStorageBufferBindingSize: number;
      maxBufferSize: number;
      adapter: string;
      /** Set when a test lowered a limit (`?fault=webgpu-max-binding:BYTES`, src/db/faults.ts). */
      injected?: string;
    }
  | ({
      backend: 'webgl';
      webglVersion: number;
      packed: boolean;
      convIm2col: boolean;
      float32: boolean;
    } & WebglTextureFlags)
  | { backend: 'cpu' };

export type FitVerdict = 'fits' | 'will-not-fit' | 'unknown';

export interface FitCheck {
  verdict: FitVerdict;
  /** The first is the headline the page shows; the rest explain it. */
  reasons: string[];
}

/**
 * Share of the wasm heap maximum the estimate may use and still count as fitting: the estimate leaves out
 * malloc's fragmentation (a 252 MB block needs 252 MB of contiguous free heap) and small tensors. Checked with the
 * paper model (lean Adam, two steps, wasm in Node, a fresh heap each): batch 14 (estimated 3.40 GB) grew the heap
 * to 3.82 GB, batch 18 (3.93 GB, inside the margin) to 4.17 GB, batch 20 (4.20 GB) to the 4.29 GB maximum and
 * still trained; batch 21 (4.33 GB, over the maximum) aborted in its second step.
 */
export const WASM_HEAP_MARGIN = 0.1;

const MiB = 2 ** 20;

/** Decimal units, as the README writes sizes ("252 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 2)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

/** Device limits are powers of two more often than not: 128 MiB reads better than 134 MB. */
export function formatLimit(bytes: number): string {
  if (bytes % MiB !== 0) return formatBytes(bytes);
  return bytes % (1024 * MiB) === 0 ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`;
}

const shapeText = (shape: number[]) => shape.map((d) => d.toLocaleString('en-US')).join(' × ');
const describe = (t: SizedTensor) => `${formatBytes(t.bytes)} ${t.label} (${shapeText(t.shape)})`;
const modelName = (e: FitEstimate) => `The ${e.architecture} model`;

function breakdown(e: FitEstimate, extra = ''): string {
  const slots = e.optimizerSlotBytes ? `, ${e.optimizer} state ${formatBytes(e.optimizerSlotBytes)}` : '';
  return (
    `Estimated: weights ${formatBytes(e.weightBytes)}, gradients ${formatBytes(e.gradientBytes)}${slots}, ` +
    `activations ${formatBytes(e.activationBytes)} at batch ${e.batchSize}${extra}; the peak is in the ` +
    `${e.backwardPhaseBytes >= e.updatePhaseBytes ? 'backward pass' : 'optimizer update'}.`
  );
}

function checkWasm(e: FitEstimate, l: Extract<BackendLimits, { backend: 'wasm' }>): FitCheck {
  const peak = e.peakBytes + e.wasmXnnpackBytes;
  const heapMax = `the ${formatBytes(l.heapMaxBytes)} wasm heap maximum`;
  const of = `${formatBytes(peak)} at its peak, of ${heapMax}`;
  const detail = [
    breakdown(e, `, XNNPACK's packed kernels ${formatBytes(e.wasmXnnpackBytes)}`),
    ...(l.heapBytes !== null
      ? [`The heap was ${formatBytes(l.heapBytes)} when the limits were read; it grows on demand up to its maximum.`]
      : []),
  ];
  if (peak > l.heapMaxBytes) {
    return {
      verdict: 'will-not-fit',
      reasons: [
        `${modelName(e)} will not fit on wasm at batch ${e.batchSize}: training needs ≈ ${formatBytes(peak)} at its peak, more than ${heapMax} — lower the batch size or choose a smaller preset.`,
        ...detail,
      ],
    };
  }
  if (peak > (1 - WASM_HEAP_MARGIN) * l.heapMaxBytes) {
    return {
      verdict: 'unknown',
      reasons: [`Too close to call on wasm: ≈ ${of}, within ${WASM_HEAP_MARGIN * 100} % of it.`, ...detail],
    };
  }
  return { verdict: 'fits', reasons: [`Fits on wasm: ≈ ${of}.`, ...detail] };
}

function checkWebgpu(e: FitEstimate, l: Extract<BackendLimits, { backend: 'webgpu' }>): FitCheck {
  // tfjs-backend-webgpu gives every tensor one buffer of exactly 4 bytes per element (no padding), binds it whole
  // as a storage buffer, and reads it back through a staging buffer of the same size: both limits apply.
  const binding = l.maxStorageBufferBindingSize <= l.maxBufferSize;
  const limit = Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize);
  const limitText =
    `this GPU's ${formatLimit(limit)} ` +
    (binding ? 'storage-buffer binding limit (maxStorageBufferBindingSize)' : 'buffer size limit (maxBufferSize)') +
    (l.injected ? `, lowered by ${l.injected}` : '');
  const gpu = `GPU: ${l.adapter || 'unknown adapter'}.`;
  // A weight that is too big is too big at any batch size, so it is named first.
  if (e.largestWeight.bytes > limit) {
    return {
      verdict: 'will-not-fit',
      reasons: [
        `${modelName(e)} will not fit on WebGPU here: its ${describe(e.largestWeight)} exceeds ${limitText} — choose wasm or a smaller preset.`,
        gpu,
      ],
    };
  }
  if (e.largestActivation.bytes > limit) {
    return {
      verdict: 'will-not-fit',
      reasons: [
        `${modelName(e)} will not fit on WebGPU here at batch ${e.batchSize}: its ${describe(e.largestActivation)} exceeds ${limitText} — lower the batch size or choose wasm.`,
        gpu,
      ],
    };
  }
  return {
    verdict: 'fits',
    reasons: [
      `Fits on WebGPU: the largest tensor, the ${describe(e.largestTensor)}, is within ${limitText}.`,
      `GPU memory is not exposed to web pages, so the ≈ ${formatBytes(e.peakBytes)} a training step needs at its peak is not checked.`,
      gpu,
    ],
  };
}

function checkWebgl(e: FitEstimate, l: Extract<BackendLimits, { backend: 'webgl' }>): FitCheck {
  // Weights are uploaded unpacked and most ops write packed textures; either may hold a weight or an activation.
  // The im2col matrix exists only when tfjs convolves by im2col (WEBGL_CONV_IM2COL) and is always packed.
  const candidates = e.tensors.flatMap((t) => {
    if (t.role === 'im2col') return l.convIm2col ? [{ t, packed: true }] : [];
    return l.packed
      ? [
          { t, packed: false },
          { t, packed: true },
        ]
      : [{ t, packed: false }];
  });
  const sized = candidates.map(({ t, packed }) => ({ t, packed, size: physicalTextureSize(t.shape, packed, l) }));
  const area = (x: (typeof sized)[number]) => x.size[0] * x.size[1];
  const biggest = (xs: typeof sized) => xs.reduce((a, b) => (area(b) > area(a) ? b : a));
  // Any side over the maximum fails; of several offenders the biggest is named, else the biggest texture.
  const over = sized.filter((x) => Math.max(...x.size) > l.maxTextureSize);
  const worst = biggest(over.length ? over : sized);
  const tex = `${worst.size[0].toLocaleString('en-US')} × ${worst.size[1].toLocaleString('en-US')}`;
  const what = describe(worst.t);
  const notes = [
    `GPU memory is not exposed to web pages, so the ≈ ${formatBytes(e.peakBytes)} a training step needs at its peak is not checked.`,
    ...(l.float32 ? [] : ['This GPU cannot render to 32-bit float textures: tfjs computes in 16-bit floats here.']),
  ];
  if (over.length) {
    return {
      verdict: 'will-not-fit',
      reasons: [
        `${modelName(e)} will not fit on WebGL here at batch ${e.batchSize}: its ${what} needs a ${tex} texture, over this GPU's MAX_TEXTURE_SIZE of ${l.maxTextureSize.toLocaleString('en-US')} — choose wasm, a smaller batch or a smaller preset.`,
        ...notes,
      ],
    };
  }
  return {
    verdict: 'fits',
    reasons: [
      `Fits on WebGL: the largest texture, ${tex} for the ${what}, is within this GPU's MAX_TEXTURE_SIZE of ${l.maxTextureSize.toLocaleString('en-US')}.`,
      ...notes,
    ],
  };
}

export function checkFit(e: FitEstimate, limits: BackendLimits): FitCheck {
  switch (limits.backend) {
    case 'wasm':
      return checkWasm(e, limits);
    case 'webgpu':
      return checkWebgpu(e, limits);
    case 'webgl':
      return checkWebgl(e, limits);
    case 'cpu':
      return {
        verdict: 'unknown',
        reasons: [
          `Not checked on cpu: its tensors are JavaScript typed arrays, whose limit a page cannot read; training needs ≈ ${formatBytes(e.peakBytes)} at its peak.`,
        ],
      };
  }
}

/** The largest batch size below `config.batchSize` that fits, or null when none does. */
export function largestFittingBatch(config: FitConfig, limits: BackendLimits): number | null {
  const fits = (batchSize: number) => checkFit(estimateFit({ ...config, batchSize }), limits).verdict === 'fits';
  if (config.batchSize <= 1 || !fits(1)) return null;
  // Memory grows with the batch on every backend, so the verdict flips once: bisect for the flip.
  let [lo, hi] = [1, Math.floor(config.batchSize) - 1];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
