/**
 * Models in and out (issue #7 item 4): the demo model exported (model.json + weights.bin) and imported in a
 * fresh browser context gives identical predictions on 20 images; malformed, truncated, oversized and
 * unknown-layer files each give a clear error and change nothing; a hand-written Keras-converter model.json
 * is imported and used by See, and one of known answers is fooled on Fool under the default literal rule.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import {
  bestWithinLiteralRule,
  brightnessKerasFiles,
  brightnessModelFor,
  brightnessProbabilities,
} from '../src/test/brightnessKerasModel';
import { kerasModelFiles } from '../src/test/kerasFixture';
import { test, expect, generateDemo } from './fixtures/lab';

type LabWindow = {
  __lab: { getState(): { runs: Array<{ id: string; importedFrom?: string }> } };
  __labBridge: () => { call(method: string, args: unknown): Promise<unknown> };
};

/** Class probabilities of the 20 given images under a run, computed by the page's worker. */
function classify(page: Page, runId: string, images: number[][]): Promise<number[][]> {
  return page.evaluate(
    async ({ runId, images }) => {
      const bridge = (window as unknown as LabWindow).__labBridge();
      const out: number[][] = [];
      for (const pixels of images)
        out.push(
          ((await bridge.call('classify', { runId, pixels: new Uint8Array(pixels) })) as { probs: number[] }).probs,
        );
      return out;
    },
    { runId, images },
  );
}

const runIds = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as LabWindow).__lab.getState().runs.map((r) => ({ id: r.id, importedFrom: r.importedFrom })),
  );

async function importFiles(page: Page, files: Array<{ name: string; buffer: Buffer }>) {
  await page.getByLabel('Model files').setInputFiles(
    files.map((f) => ({
      ...f,
      mimeType: f.name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    })),
  );
  await page.getByRole('button', { name: 'Import model' }).click();
}

test('export the demo model, import it in a fresh context: identical predictions; bad files change nothing', async ({
  page,
  browser,
}) => {
  await page.goto('./?demo&backend=wasm#/share');
  const exportSection = page.getByRole('region', { name: 'Export a model' });
  await expect(exportSection.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await exportSection.getByRole('button', { name: 'Export model' }).click();
  await expect(page.getByText(/Exported model.json and weights.bin/)).toBeVisible();
  await expect.poll(() => downloads.length).toBe(2);
  const byName = Object.fromEntries(
    await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await readFile((await d.path())!)] as const)),
  );
  const demoRun = (await runIds(page))[0].id;
  const images = await page.evaluate(async (runId) => {
    const g = (await (window as unknown as LabWindow)
      .__labBridge()
      .call('gallery', { runId, split: 'test', limit: 20 })) as { pixels: Uint8Array };
    return Array.from({ length: 20 }, (_, i) => Array.from(g.pixels.subarray(i * 12288, (i + 1) * 12288)));
  }, demoRun);
  const expected = await classify(page, demoRun, images);

  const other = await browser.newContext();
  const device = await other.newPage();
  await device.goto('./?backend=wasm#/data');
  await expect(device.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(device, 64);
  await device.getByRole('link', { name: 'Share' }).click();
  await importFiles(device, [
    { name: 'model.json', buffer: byName['model.json'] },
    { name: 'weights.bin', buffer: byName['weights.bin'] },
  ]);
  await expect(device.getByText(/Imported model.json: \d+ layers, \d+ parameters/)).toBeVisible();
  const imported = (await runIds(device)).find((r) => r.importedFrom === 'model.json')!;
  const got = await classify(device, imported.id, images);
  expect(got).toEqual(expected);
  console.log(
    `[e2e] exported ${byName['weights.bin'].length} bytes of weights; 20 predictions identical after import in a fresh context`,
  );

  // Bad files: a clear message each, and the runs (and the imported model's answers) unchanged.
  const json = JSON.parse(byName['model.json'].toString('utf8'));
  const unknown = structuredClone(json);
  unknown.modelTopology.config.layers.splice(2, 0, { class_name: 'Lambda', config: { name: 'lambda' } });
  const bad: Array<[string, Array<{ name: string; buffer: Buffer }>, RegExp]> = [
    [
      'malformed',
      [
        { name: 'model.json', buffer: byName['model.json'].subarray(0, 300) },
        { name: 'weights.bin', buffer: byName['weights.bin'] },
      ],
      /not valid JSON/,
    ],
    [
      'truncated',
      [
        { name: 'model.json', buffer: byName['model.json'] },
        { name: 'weights.bin', buffer: byName['weights.bin'].subarray(0, 1000) },
      ],
      /truncated or the wrong file/,
    ],
    [
      'oversized',
      [
        { name: 'model.json', buffer: Buffer.concat([byName['model.json'], Buffer.alloc(6 * 1024 * 1024, 32)]) },
        { name: 'weights.bin', buffer: byName['weights.bin'] },
      ],
      /^model.json is 6.3 MB; the largest we accept is 5.2 MB \(/,
    ],
    [
      'unknown layer',
      [
        { name: 'model.json', buffer: Buffer.from(JSON.stringify(unknown)) },
        { name: 'weights.bin', buffer: byName['weights.bin'] },
      ],
      /Layer class "Lambda" is not allowed/,
    ],
  ];
  const before = await runIds(device);
  for (const [what, files, msg] of bad) {
    await importFiles(device, files);
    await expect(device.getByRole('alert')).toContainText(msg);
    console.log(`[e2e] ${what}: ${await device.getByRole('alert').textContent()}`);
  }
  expect(await runIds(device)).toEqual(before);
  expect(await classify(device, imported.id, images.slice(0, 3))).toEqual(expected.slice(0, 3));
  await other.close();
});

test('a hand-written Keras-converter model.json is imported; See shows its filters; Fool fools a model of known answers', async ({
  page,
}) => {
  await page.goto('./?backend=wasm#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(page, 64);
  await page.getByRole('link', { name: 'Share' }).click();
  const keras = kerasModelFiles();
  await importFiles(page, [
    { name: 'model.json', buffer: Buffer.from(keras.modelJson) },
    { name: 'group1-shard1of1.bin', buffer: Buffer.from(keras.weights) },
  ]);
  await expect(page.getByText('Imported model.json: 5 layers, 7802 parameters.')).toBeVisible();
  await page.getByRole('link', { name: 'See' }).click();
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('imported: model.json');
  await page.getByRole('button', { name: 'Show filters' }).click();
  await expect(page.getByRole('region', { name: 'Filters' })).toContainText('1 conv layers, 4 filters');

  // Fool must be able to fail (issue 21: "(fooled|not fooled)" could not): a Keras model of the same layout whose
  // answer is a steep, known function of the image (src/test/brightnessKerasModel.ts), set to give the first
  // test face 80 % for its own person, is attacked under the default literal rule and must end fooled (≥ 90 %).
  const runs = await runIds(page);
  const face = await page.evaluate(async (runId) => {
    const g = (await (window as unknown as LabWindow)
      .__labBridge()
      .call('gallery', { runId, split: 'test', limit: 1 })) as {
      indices: number[];
      labels: number[];
      classNames: string[];
      pixels: Uint8Array;
    };
    return {
      index: g.indices[0],
      label: g.labels[0],
      names: g.classNames,
      pixels: Array.from(g.pixels.subarray(0, 12288)),
    };
  }, runs[0].id);
  const label = face.label as 0 | 1;
  const target = (1 - label) as 0 | 1;
  const known = brightnessModelFor(face.pixels, label, 0.8, 1000);
  // The bound lets an attack get there (the formula's extreme: every pixel at its limit); whether this one does is the test.
  expect(bestWithinLiteralRule(face.pixels, target, known)).toBeGreaterThan(0.999);
  await page.getByRole('link', { name: 'Share' }).click();
  const files = brightnessKerasFiles(known);
  await importFiles(page, [
    { name: 'known-model.json', buffer: Buffer.from(files.modelJson) },
    { name: 'group1-shard1of1.bin', buffer: Buffer.from(files.weights) },
  ]);
  await expect(page.getByText('Imported known-model.json: 5 layers, 7802 parameters.')).toBeVisible();
  const knownRun = (await runIds(page)).find((r) => r.importedFrom === 'known-model.json')!;
  const [before] = await classify(page, knownRun.id, [face.pixels]);
  expect(before[label]).toBeCloseTo(0.8, 4);
  expect(before[target]).toBeCloseTo(brightnessProbabilities(face.pixels, known)[target], 4);

  await page.getByRole('link', { name: 'Fool' }).click();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption(knownRun.id);
  const first = page.getByRole('button', { name: /^Fool face #/ }).first();
  await expect(first).toHaveAccessibleName(
    `Fool face #${face.index}: ${face.names[label]}, predicted ${face.names[label]} 80 %`,
  );
  await first.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  const fooled = new RegExp(
    `^Face #${face.index} \\(${face.names[label]}\\) → fooled: ${face.names[target]} (9\\d|100)\\.\\d %$`,
  );
  await expect(panel.getByRole('heading')).toHaveText(fooled, { timeout: 60_000 });
  await expect(panel).toContainText('Rule: each pixel within ±2.5 % of its own value');
  const shown = [0, 1].map((c) => `${face.names[c]} ${((c === label ? 0.8 : 0.2) * 100).toFixed(1)} %`).join(' · ');
  await expect(panel).toContainText(`Original · ${shown}`);
  await expect(panel).toContainText('the saved file still fools the model');
  for (const word of ['Original', 'Noise', 'Modified']) await expect(panel).toContainText(word);
  console.log(`[e2e] Keras-format model of known answers: ${await panel.getByRole('heading').textContent()}`);
});

test('?model=<url> loads a model from this site only after confirmation; another origin is refused', async ({
  page,
}) => {
  const keras = kerasModelFiles(11);
  await page.route('**/hosted/model.json', (route) =>
    route.fulfill({ body: keras.modelJson, contentType: 'application/json' }),
  );
  await page.route('**/hosted/group1-shard1of1.bin', (route) =>
    route.fulfill({ body: Buffer.from(keras.weights), contentType: 'application/octet-stream' }),
  );
  await page.goto('./?backend=wasm#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(page, 64);
  let fetched = 0;
  page.on('request', (r) => {
    if (r.url().includes('/hosted/')) fetched++;
  });
  await page.goto('./?backend=wasm&model=hosted/model.json#/share');
  const confirm = page.getByRole('region', { name: 'Hosted model' });
  await expect(confirm).toContainText('hosted/model.json');
  expect(fetched).toBe(0); // nothing is fetched before the user says so
  await confirm.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByText('Loaded hosted/model.json: 5 layers, 7802 parameters.')).toBeVisible();
  expect(fetched).toBe(2);

  await page.goto('./?backend=wasm&model=https://elsewhere.example/model.json#/share');
  await page.getByRole('region', { name: 'Hosted model' }).getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByRole('alert')).toContainText('only loads models from its own site');
});
