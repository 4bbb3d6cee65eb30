/**
 * Our WebGPU kernel replacements (src/ml/webgpuKernels.ts: the Conv2D / FusedConv2D and Conv2DBackpropFilter shaders
 * and the binary ops whose 1-D operand is reshaped to [1, …, 1, n]) against tfjs' cpu backend. The lab worker computes
 * conv2d, tf.fused.conv2d with a bias and 'linear' / 'relu', the gradients of sum(conv2d(x, w) * dy) w.r.t. x and w,
 * and x ∘ scale for a per-channel scale (LabApi
 * `debugConvGradients`, `?fault=debug` only) on forced WebGPU (SwiftShader here) and on wasm (src/ml/wasmKernels.ts);
 * this Node process computes the same with @tensorflow/tfjs on cpu. Each output must agree within
 * 1e-3 × max(1, max |ref|). Cases: compact's convolutions at batch 2, stride 2 'same', stride [2, 1] 'valid', a
 * 5×5 kernel, Cin 3 and 5 (the shader's scalar x loads), Cout 6 (not a multiple of 4: tfjs' own kernel), and
 * batches 1 and 5 (no batch split; an uneven one with an empty last part), output widths that are not a multiple of
 * the forward shader's 4 pixels, a 1×1 kernel and a kernel as large as the input ('valid': tfjs' matmul paths).
 */
import * as tf from '@tensorflow/tfjs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  xShape: Shape4;
  wShape: Shape4;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: 'compact conv1 (Cin 3)', xShape: [2, 64, 64, 3], wShape: [3, 3, 3, 16], strides: [1, 1], pad: 'same' },
  { name: 'compact conv2', xShape: [2, 32, 32, 16], wShape: [3, 3, 16, 32], strides: [1, 1], pad: 'same' },
  { name: 'stride 2 same', xShape: [2, 32, 32, 16], wShape: [3, 3, 16, 32], strides: [2, 2], pad: 'same' },
  { name: 'stride [2,1] valid', xShape: [2, 17, 19, 8], wShape: [3, 3, 8, 12], strides: [2, 1], pad: 'valid' },
  { name: '5x5 kernel', xShape: [2, 20, 20, 4], wShape: [5, 5, 4, 8], strides: [1, 1], pad: 'same' },
  { name: '5x5 stride 2 valid, Cin 5', xShape: [2, 21, 18, 5], wShape: [5, 5, 5, 8], strides: [2, 2], pad: 'valid' },
  { name: 'Cout 6 (fallback)', xShape: [2, 16, 16, 8], wShape: [3, 3, 8, 6], strides: [1, 1], pad: 'same' },
  { name: 'batch 1', xShape: [1, 16, 16, 16], wShape: [3, 3, 16, 32], strides: [1, 1], pad: 'same' },
  { name: 'batch 5 (uneven split)', xShape: [5, 12, 12, 16], wShape: [3, 3, 16, 32], strides: [1, 1], pad: 'same' },
  { name: '1x1 kernel', xShape: [2, 9, 7, 16], wShape: [1, 1, 16, 8], strides: [1, 1], pad: 'same' },
  { name: 'kernel = input, valid', xShape: [3, 5, 5, 4], wShape: [5, 5, 4, 8], strides: [1, 1], pad: 'valid' },
  { name: 'width 2, Cin 3, stride 2 same', xShape: [2, 6, 3, 3], wShape: [3, 3, 3, 4], strides: [2, 2], pad: 'same' },
];

const OUTPUTS = ['y', 'fusedLinear', 'fusedRelu', 'dx', 'dw', 'mul', 'sub', 'add', 'div', 'subRev'] as const;
type Outputs = Record<(typeof OUTPUTS)[number], number[]>;

/** mulberry32: deterministic values in [lo, hi). */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number, lo = -1, hi = 1): number[] =>
    Array.from({ length: n }, () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
    });
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function inputs(c: Case, seed: number) {
  const rand = random(seed);
  const outShape = tf.backend_util.computeConv2DInfo(c.xShape, c.wShape, c.strides, 1, c.pad).outShape;
  return {
    x: rand(size(c.xShape)),
    w: rand(size(c.wShape)),
    dy: rand(size(outShape)),
    // Away from 0: x / scale is among the outputs.
    scale: rand(c.xShape[3], 0.5, 1.5),
    bias: rand(c.wShape[3]),
  };
}

/** The same formulas as src/ml/diagnostics/debugConvGradients.ts, on tfjs' cpu backend in this process. */
async function reference(c: Case, inp: ReturnType<typeof inputs>): Promise<Outputs> {
  const outs = tf.tidy(() => {
    const x = tf.tensor4d(inp.x, c.xShape);
    const w = tf.tensor4d(inp.w, c.wShape);
    const scale = tf.tensor1d(inp.scale);
    const y = tf.conv2d(x, w, c.strides, c.pad);
    const fusedLinear = tf.add(y, tf.tensor1d(inp.bias));
    const dy = tf.tensor4d(inp.dy, y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy)),
    )([x, w]);
    return {
      y,
      fusedLinear,
      fusedRelu: tf.relu(fusedLinear),
      dx,
      dw,
      mul: tf.mul(x, scale),
      sub: tf.sub(x, scale),
      add: tf.add(x, scale),
      div: tf.div(x, scale),
      subRev: tf.sub(scale, x),
    };
  });
  const r = {} as Outputs;
  for (const k of OUTPUTS) {
    r[k] = Array.from(await outs[k].data());
    outs[k].dispose();
  }
  return r;
}

async function inWorker(page: Page, c: Case, inp: ReturnType<typeof inputs>): Promise<Outputs> {
  return page.evaluate(
    async ({ c, inp }) => {
      const bridge = (
        window as unknown as {
          __labBridge: () => { call(m: string, a: unknown): Promise<Record<string, Float32Array>> };
        }
      ).__labBridge();
      const r = await bridge.call('debugConvGradients', {
        x: new Float32Array(inp.x),
        xShape: c.xShape,
        w: new Float32Array(inp.w),
        wShape: c.wShape,
        dy: new Float32Array(inp.dy),
        strides: c.strides,
        pad: c.pad,
        scale: new Float32Array(inp.scale),
        bias: new Float32Array(inp.bias),
      });
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)])) as Outputs;
    },
    { c, inp },
  );
}

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`conv2d gradients and broadcast ops on ${backend} match tfjs cpu`, async ({ page }) => {
    await tf.setBackend('cpu');
    await page.goto(`./?backend=${backend}&fault=debug#/data`);
    const status = page.getByRole('status', { name: 'Backend' });
    await expect(status).toContainText('Backend:', { timeout: 120_000 });
    const text = (await status.textContent()) ?? '';
    console.log(`[e2e] ${text}`);
    // wasm says its thread count before "(forced)" (issue 17): "Backend: wasm · 2 threads (forced)".
    expect(text).toMatch(new RegExp(`Backend: ${backend}( · \\d+ threads?)? \\(forced\\)`));
    if (backend === 'webgpu') expect(text.toLowerCase()).toContain('swiftshader');

    const failures: string[] = [];
    for (const [i, c] of CASES.entries()) {
      const inp = inputs(c, 1000 + i);
      const ref = await reference(c, inp);
      const got = await inWorker(page, c, inp);
      const report: string[] = [];
      for (const k of OUTPUTS) {
        expect(got[k].length, `${c.name} ${k} length`).toBe(ref[k].length);
        let maxRef = 0;
        let maxDiff = 0;
        for (let j = 0; j < ref[k].length; j++) {
          maxRef = Math.max(maxRef, Math.abs(ref[k][j]));
          const d = Math.abs(got[k][j] - ref[k][j]);
          // NaN counts as a failure.
          maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
        }
        const tol = 1e-3 * Math.max(1, maxRef);
        report.push(`${k} ${maxDiff.toExponential(1)}${maxDiff > tol ? ' FAIL' : ''}`);
        if (!(maxDiff <= tol))
          failures.push(`${backend} ${c.name}: ${k} max |diff| ${maxDiff} > ${tol} (max |ref| ${maxRef})`);
      }
      console.log(
        `[e2e] ${backend} ${c.name} x ${c.xShape} w ${c.wShape} s ${c.strides} ${c.pad}: ${report.join(', ')}`,
      );
    }
    expect(failures).toEqual([]);
  });
}
