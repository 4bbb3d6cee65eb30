/**
 * Multithreaded wasm in the lab worker, in the production build (issue 17 item 2). `vite preview` sends COOP/COEP,
 * so the page and its workers are cross-origin isolated and the lab worker runs tfjs' threaded-SIMD build with a
 * thread per logical processor (src/ml/backend.ts, src/ml/wasmThreadedFactory.ts): the minified build's pthread
 * workers load our self-hosted scripts, not a stringified (minified, broken) factory.
 *
 * Asserted: the header says how many threads run and it is > 1 (the count is tfjs' own `getThreadsCount()`, i.e.
 * XNNPACK's pthreadpool); training works on it — the seeded compact model's loss on a fixed batch falls over
 * Adam steps — and matches the single-threaded build (`?threads=1`) step for step within float noise, as do the
 * convolution gradients of our wasm kernels (src/ml/wasmKernels.ts) on shapes big enough for XNNPACK to split.
 */
import type { Page } from '@playwright/test';
import { expect, guardPage, openLab, test } from './fixtures/lab';

interface LabWindow {
  __labBridge(): { call(method: string, args: unknown): Promise<unknown> };
  __lab: { getState(): { backend: { info: { name: string; threads?: number } | null } } };
}

/** Three Adam steps of the seeded compact model on one fixed batch, no dropout (deterministic), on the lab worker. */
function trainSteps(page: Page) {
  return page.evaluate(
    () =>
      (window as unknown as LabWindow).__labBridge().call('benchTraining', {
        preset: 'compact',
        batchSize: 16,
        steps: 4,
        warmup: 0,
        inferenceRuns: 0,
        dropout: 0,
      }) as Promise<{ fits: boolean; error?: string; losses: number[]; stepMs: number[] }>,
  );
}

/**
 * A seeded convolution's output and both gradients through the lab worker (LabApi `debugConvGradients`): on wasm
 * these are tfjs' XNNPACK Conv2D and our Conv2DBackpropFilter / Conv2DBackpropInput (src/ml/wasmKernels.ts).
 */
function convGradients(page: Page, strides: [number, number]) {
  return page.evaluate(async (strides) => {
    let s = 7;
    const rand = (n: number) =>
      Float32Array.from({ length: n }, () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648 - 0.5;
      });
    const [b, h, w, cin, cout] = [4, 32, 32, 16, 32];
    const r = (await (window as unknown as LabWindow).__labBridge().call('debugConvGradients', {
      x: rand(b * h * w * cin),
      xShape: [b, h, w, cin],
      w: rand(3 * 3 * cin * cout),
      wShape: [3, 3, cin, cout],
      dy: rand(b * Math.ceil(h / strides[0]) * Math.ceil(w / strides[1]) * cout),
      strides,
      pad: 'same',
      scale: rand(cin),
    })) as Record<string, Float32Array>;
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)]));
  }, strides);
}

/** max |a − b| / max(1e-6, max |a|). */
function maxRelDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

test('the lab worker runs wasm on all cores, trains there, and matches the single-threaded build', async ({
  page,
  browser,
  guard,
}) => {
  test.setTimeout(240_000);
  const text = await openLab(page, 'wasm', '&fault=debug#/data');
  const isolated = await page.evaluate(() => crossOriginIsolated);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`[e2e] crossOriginIsolated ${isolated}, hardwareConcurrency ${cores}`);
  expect(isolated).toBe(true);
  expect(cores, 'this test needs a machine with at least 2 logical processors').toBeGreaterThanOrEqual(2);
  const threads = await page.evaluate(() => (window as unknown as LabWindow).__lab.getState().backend.info?.threads);
  expect(threads).toBe(Math.min(cores, 8));
  expect(threads).toBeGreaterThan(1);
  expect(text).toMatch(new RegExp(`^Backend: wasm · ${threads} threads \\(forced\\)`));

  const threaded = await trainSteps(page);
  expect(threaded.fits, threaded.error).toBe(true);
  console.log(
    `[e2e] ${threads} threads: losses ${threaded.losses.map((l) => l.toFixed(6)).join(', ')}; steps ${threaded.stepMs.map((m) => m.toFixed(0)).join(', ')} ms`,
  );
  expect(threaded.losses).toHaveLength(4);
  expect(threaded.losses.every(Number.isFinite)).toBe(true);
  expect(threaded.losses[3]).toBeLessThan(threaded.losses[0]);
  const threadedGrads = [await convGradients(page, [1, 1]), await convGradients(page, [2, 2])];

  // The single-threaded build (what a page without cross-origin isolation runs), in a fresh context.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const single = await context.newPage();
    guardPage(single, guard);
    const singleText = await openLab(single, 'wasm', '&threads=1&fault=debug#/data');
    expect(singleText).toMatch(/^Backend: wasm · 1 thread \(forced\)/);
    const one = await trainSteps(single);
    expect(one.fits, one.error).toBe(true);
    console.log(
      `[e2e] 1 thread: losses ${one.losses.map((l) => l.toFixed(6)).join(', ')}; steps ${one.stepMs.map((m) => m.toFixed(0)).join(', ')} ms`,
    );
    const lossDiff = maxRelDiff(one.losses, threaded.losses);
    const oneGrads = [await convGradients(single, [1, 1]), await convGradients(single, [2, 2])];
    const gradDiffs = Object.fromEntries(
      oneGrads.flatMap((g, i) =>
        Object.keys(g).map((k) => [`${k}${i ? ' stride 2' : ''}`, maxRelDiff(g[k], threadedGrads[i][k])]),
      ),
    );
    console.log(
      `[e2e] threaded vs single-threaded: losses max rel diff ${lossDiff.toExponential(2)}; conv ${JSON.stringify(gradDiffs)}`,
    );
    expect(lossDiff).toBeLessThan(1e-5);
    for (const [k, d] of Object.entries(gradDiffs)) expect(d, k).toBeLessThan(1e-5);
  } finally {
    await context.close();
  }
});
