/**
 * The fit estimate and check on the presets' real numbers (docs/data-and-training.md's Models table; the layer shapes are
 * checked against tfjs in src/ml/presetLayers.test.ts, the memory figures against tf.profile in
 * src/ml/presetFit.measured.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  checkFit,
  formatBytes,
  formatLimit,
  largestFittingBatch,
  WASM_HEAP_MARGIN,
  type BackendLimits,
} from './fitCheck';
import { estimateFit, OPTIMIZER_SLOTS, UPDATE_TRANSIENT_FACTOR, type FitConfig } from './presetFit';
import { DEFAULT_CONFIG, PAPER_CONFIG } from './trainingConfig';
import { physicalTextureSize } from './webglTextureShape';

const MiB = 2 ** 20;
const WASM_HEAP_MAX = 4_294_901_760;
const wasm: BackendLimits = { backend: 'wasm', heapMaxBytes: WASM_HEAP_MAX, heapBytes: null };
const webgpu = (binding: number, buffer = binding): BackendLimits => ({
  backend: 'webgpu',
  maxStorageBufferBindingSize: binding,
  maxBufferSize: buffer,
  adapter: 'test adapter',
});
const webgl = (maxTextureSize: number, convIm2col = true): BackendLimits => ({
  backend: 'webgl',
  maxTextureSize,
  maxSizeForNarrowTexture: Infinity,
  autoSquarifyNarrowTexture: false,
  webglVersion: 2,
  packed: true,
  convIm2col,
  float32: true,
});
const vgg16: FitConfig = { ...DEFAULT_CONFIG, architecture: 'vgg16' };
const paperTable: FitConfig = { ...PAPER_CONFIG, batchNormLayers: 1, dropout: 0 };

describe('estimateFit', () => {
  it('parameter counts are the Models table', () => {
    expect(estimateFit(PAPER_CONFIG).params).toBe(64_638_274);
    expect(estimateFit(paperTable).params).toBe(64_637_762);
    expect(estimateFit(vgg16).params).toBe(15_764_802);
    expect(estimateFit({ ...DEFAULT_CONFIG, architecture: 'vgg19' }).params).toBe(21_074_498);
    // Also docs/data-and-training.md's Models table (it said 127,210 until 2026-12-06: 8 too many; presetLayers.test.ts compares with the real model).
    expect(estimateFit(DEFAULT_CONFIG).params).toBe(127_202);
  });

  it("the paper model's largest weight is the 492,032 × 128 dense kernel, ≈ 252 MB", () => {
    const e = estimateFit(PAPER_CONFIG);
    expect(e.largestWeight).toMatchObject({ label: 'dense128 kernel', shape: [492_032, 128], bytes: 251_920_384 });
    // At batch 128 a conv output (128 × 64 × 64 × 128 floats) is bigger still.
    expect(e.largestActivation).toMatchObject({ label: 'conv3 output', shape: [128, 64, 64, 128], bytes: 268_435_456 });
    expect(e.largestTensor.label).toBe('conv3 output');
    expect(estimateFit({ ...PAPER_CONFIG, batchSize: 16 }).largestTensor.label).toBe('dense128 kernel');
  });

  it('training state: weights, gradients of the trainable ones, and the optimizer slots', () => {
    const e = estimateFit(PAPER_CONFIG);
    // The two batch norms' moving mean and variance (128 + 512 channels × 2) are weights without gradients.
    expect(e.trainableParams).toBe(64_638_274 - 2 * (128 + 512));
    expect(e.weightBytes).toBe(64_638_274 * 4);
    expect(e.gradientBytes).toBe(e.trainableParams * 4);
    expect(e.optimizerSlotBytes).toBe(2 * e.gradientBytes);
    expect(e.stateBytes).toBe(e.weightBytes + e.gradientBytes + e.optimizerSlotBytes);
    expect(estimateFit({ ...PAPER_CONFIG, optimizer: 'rmsprop' }).optimizerSlotBytes).toBe(2 * e.gradientBytes);
    expect(estimateFit({ ...PAPER_CONFIG, optimizer: 'sgd' }).optimizerSlotBytes).toBe(0);
    expect(OPTIMIZER_SLOTS).toEqual({ adam: 2, rmsprop: 2, sgd: 0 });
  });

  it('the update transient is a multiple of the largest variable; the activations grow with the batch', () => {
    const e = estimateFit(PAPER_CONFIG);
    expect(e.updateTransientBytes).toBe(UPDATE_TRANSIENT_FACTOR.adam * 251_920_384);
    expect(e.batchBytes).toBe(128 * (64 * 64 * 3 + 1) * 4);
    expect(e.updatePhaseBytes).toBe(
      e.weightBytes + e.optimizerSlotBytes + e.gradientBytes + e.updateTransientBytes + e.batchBytes,
    );
    const one = estimateFit({ ...vgg16, batchSize: 1 });
    const two = estimateFit({ ...vgg16, batchSize: 2 });
    expect(two.activationBytes).toBe(2 * one.activationBytes);
    expect(two.stateBytes).toBe(one.stateBytes);
    expect(two.peakBytes).toBe(Math.max(two.backwardPhaseBytes, two.updatePhaseBytes));
  });
});

describe('checkFit on WebGPU', () => {
  it('a 128 MiB binding limit: the paper model will not fit (its dense kernel), vgg16 fits', () => {
    const paper = checkFit(estimateFit(PAPER_CONFIG), webgpu(128 * MiB));
    expect(paper.verdict).toBe('will-not-fit');
    expect(paper.reasons[0]).toBe(
      "The paper model will not fit on WebGPU here: its 252 MB dense128 kernel (492,032 × 128) exceeds this GPU's 128 MiB " +
        'storage-buffer binding limit (maxStorageBufferBindingSize) — choose wasm or a smaller preset.',
    );
    // The kernel does not shrink with the batch: no batch size helps.
    expect(largestFittingBatch(PAPER_CONFIG, webgpu(128 * MiB))).toBeNull();
    const v = checkFit(estimateFit(vgg16), webgpu(128 * MiB));
    expect(v.verdict).toBe('fits');
    expect(v.reasons[0]).toContain('17 MB block1_conv1 output (16 × 64 × 64 × 64)');
    expect(v.reasons.join(' ')).toContain('GPU memory is not exposed');
  });

  it("SwiftShader's 1 GiB limits: the paper settings fit", () => {
    const c = checkFit(estimateFit(PAPER_CONFIG), webgpu(2 ** 30));
    expect(c.verdict).toBe('fits');
    expect(c.reasons[0]).toContain("within this GPU's 1 GiB storage-buffer binding limit");
  });

  it('an activation over the limit is named with its batch, and a smaller batch fits', () => {
    const limits = webgpu(255 * MiB); // above the 252 MB kernel, below the 268 MB conv output at batch 128
    const c = checkFit(estimateFit(PAPER_CONFIG), limits);
    expect(c.verdict).toBe('will-not-fit');
    expect(c.reasons[0]).toContain('at batch 128: its 268 MB conv3 output (128 × 64 × 64 × 128) exceeds');
    // 127 × 64 × 64 × 128 × 4 bytes = 266,338,304 ≤ 255 MiB = 267,386,880.
    expect(largestFittingBatch(PAPER_CONFIG, limits)).toBe(127);
  });

  it('a smaller maxBufferSize is the limit named', () => {
    const c = checkFit(estimateFit(PAPER_CONFIG), webgpu(2 ** 30, 200 * MiB));
    expect(c.verdict).toBe('will-not-fit');
    expect(c.reasons[0]).toContain("this GPU's 200 MiB buffer size limit (maxBufferSize)");
  });
});

describe('checkFit on wasm', () => {
  it('compact fits with room; the paper settings (batch 128) do not', () => {
    const compact = checkFit(estimateFit(DEFAULT_CONFIG), wasm);
    expect(compact.verdict).toBe('fits');
    expect(compact.reasons[0]).toMatch(/^Fits on wasm: ≈ \d+ MB at its peak, of the 4\.29 GB wasm heap maximum\.$/);
    const paper = checkFit(estimateFit(PAPER_CONFIG), wasm);
    expect(paper.verdict).toBe('will-not-fit');
    expect(paper.reasons[0]).toMatch(
      /^The paper model will not fit on wasm at batch 128: training needs ≈ [\d.]+ GB at its peak/,
    );
  });

  it('the largest fitting batch is the verdict flip', () => {
    const n = largestFittingBatch(PAPER_CONFIG, wasm)!;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(PAPER_CONFIG.batchSize);
    expect(checkFit(estimateFit({ ...PAPER_CONFIG, batchSize: n }), wasm).verdict).toBe('fits');
    expect(checkFit(estimateFit({ ...PAPER_CONFIG, batchSize: n + 1 }), wasm).verdict).not.toBe('fits');
  });

  it('within the margin of the heap maximum it is too close to call', () => {
    const e = estimateFit(vgg16);
    const peak = e.peakBytes + e.wasmXnnpackBytes;
    const at = (heapMaxBytes: number) => checkFit(e, { backend: 'wasm', heapMaxBytes, heapBytes: 64 * MiB }).verdict;
    expect(at(peak / (1 - WASM_HEAP_MARGIN / 2))).toBe('unknown');
    expect(at(peak / (1 - 2 * WASM_HEAP_MARGIN))).toBe('fits');
    expect(at(peak - 1)).toBe('will-not-fit');
  });
});

describe('checkFit on WebGL', () => {
  it("the paper dense kernel's texture: 7,936 × 7,936 unpacked, within 8,192", () => {
    const flags = { maxTextureSize: 8192, maxSizeForNarrowTexture: Infinity, autoSquarifyNarrowTexture: false };
    expect(physicalTextureSize([492_032, 128], false, flags)).toEqual([7936, 7936]);
    expect(checkFit(estimateFit({ ...PAPER_CONFIG, batchSize: 16 }), webgl(8192)).verdict).toBe('fits');
  });

  it("at batch 128 the convolutions' im2col matrices outgrow 8,192, not 16,384", () => {
    const c = checkFit(estimateFit(PAPER_CONFIG), webgl(8192));
    expect(c.verdict).toBe('will-not-fit');
    expect(c.reasons[0]).toContain('conv4 im2col matrix (128 × 1,152 × 4,096) needs a 12,288 × 12,288 texture');
    expect(checkFit(estimateFit(PAPER_CONFIG), webgl(16384)).verdict).toBe('fits');
    // Without im2col (WEBGL_CONV_IM2COL off) the biggest texture is a conv output: 8,192 × 8,192, just in.
    expect(checkFit(estimateFit(PAPER_CONFIG), webgl(8192, false)).verdict).toBe('fits');
    expect(checkFit(estimateFit({ ...vgg16, batchSize: 128 }), webgl(8192)).verdict).toBe('will-not-fit');
  });
});

describe('checkFit on cpu, and the units', () => {
  it('cpu: unknown, with the estimate', () => {
    const c = checkFit(estimateFit(DEFAULT_CONFIG), { backend: 'cpu' });
    expect(c.verdict).toBe('unknown');
    expect(c.reasons[0]).toContain('a page cannot read');
  });

  it('formats bytes in decimal units and power-of-two limits in binary ones', () => {
    expect(formatBytes(251_920_384)).toBe('252 MB');
    expect(formatBytes(WASM_HEAP_MAX)).toBe('4.29 GB');
    expect(formatLimit(128 * MiB)).toBe('128 MiB');
    expect(formatLimit(2 ** 30)).toBe('1 GiB');
    expect(formatLimit(WASM_HEAP_MAX)).toBe('4.29 GB');
  });
});
