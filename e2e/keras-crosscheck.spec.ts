/**
 * Keras files checked by an independent implementation (scripts/keras_crosscheck.py: h5py + PyTorch, no
 * TensorFlow): (a) the demo model saved from the Share page as `.keras` and `.h5` is rebuilt layer for layer in
 * PyTorch from each file's own config and weights, and its probabilities on 8 test faces equal the app's
 * (max |Δp| < 1e-4); (b) a legacy `.h5` (Sequential, 64×64) and a Keras 3 `.keras` (Functional, 32×32, so the app
 * resizes its faces) written by h5py in Keras' layouts load on the Share page and give PyTorch's probabilities;
 * a targeted PGD attack on the 32×32 model (gradients through the app's resize) reaches its target class.
 * Needs Python 3 with h5py and PyTorch (.ci/run installs Debian's python3-h5py and python3-torch): without them
 * this spec fails and says so, it never skips.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEFAULT_ATTACK } from '../src/features/fool/shared/attackSettings';
import { test, expect } from './fixtures/lab';

const PYTHON = process.env.KERAS_CROSSCHECK_PYTHON ?? '/usr/bin/python3';
const FACES = 8;

type LabWindow = {
  __lab: {
    getState(): {
      runs: Array<{ id: string; importedFrom?: string; datasetId: string }>;
      datasets: Array<{ id: string; classNames: string[] }>;
    };
  };
  __labBridge: () => { call(method: string, args: unknown): Promise<unknown> };
};

function crosscheck(args: string[]): string {
  try {
    return execFileSync(PYTHON, ['scripts/keras_crosscheck.py', ...args], {
      encoding: 'utf8',
      timeout: 180_000,
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/keras_crosscheck.py ${args[0]} failed:\n${e.stdout ?? ''}${e.stderr || e.message}`);
  }
}

/** The app's class probabilities of the given faces under a run (the worker's classify). */
function classify(page: Page, runId: string, faces: Uint8Array): Promise<number[][]> {
  return page.evaluate(
    async ({ runId, faces }) => {
      const bridge = (window as unknown as LabWindow).__labBridge();
      const out: number[][] = [];
      for (let i = 0; i < faces.length / 12288; i++) {
        const pixels = new Uint8Array(faces.slice(i * 12288, (i + 1) * 12288));
        out.push(((await bridge.call('classify', { runId, pixels })) as { probs: number[] }).probs);
      }
      return out;
    },
    { runId, faces: Array.from(faces) },
  );
}

const state = (page: Page) => page.evaluate(() => (window as unknown as LabWindow).__lab.getState());
const maxDelta = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

test.beforeAll(() => {
  try {
    execFileSync(PYTHON, ['-c', 'import h5py, numpy, torch'], { stdio: 'pipe', timeout: 60_000 });
  } catch (err) {
    throw new Error(
      `The Keras cross-check needs ${PYTHON} with h5py and PyTorch (Debian: apt-get install python3-h5py python3-torch; .ci/run installs them; KERAS_CROSSCHECK_PYTHON picks another Python): ${(err as Error).message}`,
    );
  }
});

test("Keras files from the app match PyTorch, and files h5py writes load with PyTorch's predictions", async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'lookalike-keras-'));
  await page.goto('./?demo&backend=wasm#/share');
  const exportSection = page.getByRole('region', { name: 'Export a model' });
  await expect(exportSection.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  for (const format of ['keras', 'h5']) {
    const download = page.waitForEvent('download');
    await exportSection.getByRole('button', { name: `Save as .${format}` }).click();
    await (await download).saveAs(join(dir, `app.${format}`));
    await expect(page.getByText(`Saved model.${format}`)).toBeVisible();
  }
  const { runs, datasets } = await state(page);
  const demo = runs[0];
  const faces = new Uint8Array(
    await page.evaluate(
      async ({ runId, n }) => {
        const g = (await (window as unknown as LabWindow)
          .__labBridge()
          .call('gallery', { runId, split: 'test', limit: n })) as { pixels: Uint8Array };
        return Array.from(g.pixels.subarray(0, n * 12288));
      },
      { runId: demo.id, n: FACES },
    ),
  );
  expect(faces.length).toBe(FACES * 12288);
  writeFileSync(join(dir, 'faces.bin'), faces);
  const appProbs = await classify(page, demo.id, faces);
  writeFileSync(join(dir, 'app_probs.json'), JSON.stringify(appProbs));

  // (a) PyTorch, from each file alone, against the app.
  const checked = crosscheck([
    'check',
    join(dir, 'faces.bin'),
    join(dir, 'app_probs.json'),
    join(dir, 'app.keras'),
    join(dir, 'app.h5'),
  ]);
  console.log(`[e2e] ${checked.trim().replaceAll('\n', '\n[e2e] ')}`);
  expect(checked).toContain('keras_crosscheck: OK');

  // (b) Files written by h5py in Keras' layouts, loaded by the app.
  const classes = datasets.find((d) => d.id === demo.datasetId)!.classNames.length;
  console.log(`[e2e] ${crosscheck(['write', dir, join(dir, 'faces.bin'), String(classes)]).trim()}`);
  const torch = JSON.parse(readFileSync(join(dir, 'torch_probs.json'), 'utf8')) as Record<string, number[][]>;
  for (const [name, input] of [
    ['py_model.h5', 'input 64×64×3'],
    ['py_model.keras', 'input 32×32×3 (the 64×64 faces are resized to it)'],
  ]) {
    await page.getByLabel('Model files').setInputFiles(join(dir, name));
    await page.getByRole('button', { name: 'Import model' }).click();
    await expect(
      page.getByText(
        new RegExp(
          `^Imported ${name.replace('.', '\\.')}: \\d+ layers, \\d+ parameters, ${input.replace(/[()]/g, '\\$&')}\\.`,
        ),
      ),
    ).toBeVisible();
    const run = (await state(page)).runs.find((r) => r.importedFrom === name)!;
    const got = await classify(page, run.id, faces);
    const delta = maxDelta(got, torch[name]);
    console.log(
      `[e2e] ${name}: app vs PyTorch max |Δp| = ${delta.toExponential(2)} over ${FACES * classes} probabilities`,
    );
    expect(delta).toBeLessThan(1e-4);
    // Not a degenerate model: its answers differ from face to face.
    expect(maxDelta(got.slice(1), got.slice(0, -1))).toBeGreaterThan(1e-3);
  }

  // Fool through the resize: a targeted PGD attack on the 32×32 model's first face must reach the target class.
  const small = (await state(page)).runs.find((r) => r.importedFrom === 'py_model.keras')!;
  const settings = { ...DEFAULT_ATTACK, attack: 'pgd', epsilon: 24, stepSize: 3, maxSteps: 40, targeted: true };
  const fooled = await page.evaluate(
    async ({ runId, pixels, settings }) => {
      const r = (await (window as unknown as LabWindow)
        .__labBridge()
        .call('foolImage', { runId, imageIndex: 0, pixels: new Uint8Array(pixels), settings })) as {
        success: boolean;
        target: number;
        probsBefore: number[];
        probsAfter: number[];
        steps: number;
      };
      return {
        success: r.success,
        target: r.target,
        before: r.probsBefore[r.target],
        after: r.probsAfter[r.target],
        steps: r.steps,
      };
    },
    { runId: small.id, pixels: Array.from(faces.subarray(0, 12288)), settings },
  );
  console.log(
    `[e2e] PGD (ε 24 levels) on py_model.keras: target class ${fooled.target} ${(100 * fooled.before).toFixed(1)} % → ${(100 * fooled.after).toFixed(1)} % in ${fooled.steps} steps`,
  );
  expect(fooled.after).toBeGreaterThan(0.5);
  expect(fooled.after).toBeGreaterThan(fooled.before);
});
