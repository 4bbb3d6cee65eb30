/**
 * Cancel mid-way on the long jobs cancel-jobs.spec.ts does not cover, in one page session on the `?demo` data
 * (wasm): the Fool page's one-face attack, faces in one photo and transfer to another model; See's activation
 * maximisation of one layer and of every layer; the Data page's dataset zip export and import. Each job is seen
 * part-way by its worker's own progress (0 < done < total), then cancelled: no result is shown and every
 * IndexedDB store hashes as before (fixtures/cancelJob.ts). Two jobs keep something by design and are held to
 * exactly that: the every-layer grid keeps the layers it finished (and not the one under way); the hyperparameter
 * sweep (a second test, on a small generated set) keeps its finished trial as a normal run and stops the trial under
 * way at its last checkpoint, with nothing of the cut-off epoch stored. The export downloads nothing.
 */
import { configure, expect, generateDemo, openLab, test } from './fixtures/lab';
import { readStore } from './fixtures/labDb';
import { cancelMidway, snapshotDb } from './fixtures/cancelJob';
import { facePhoto } from './fixtures/faces';
import { datasetZip } from '../bench/bombZip.mjs';

test('Cancel mid-way stores nothing: one-face attack, faces in a photo, transfer, activation maximisation, dataset zip export and import', async ({
  page,
}, testInfo) => {
  test.setTimeout(10 * 60_000);
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto('./?demo&backend=wasm');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  const face = page.locator('button[data-correct="true"]').first();
  await expect(face).toBeVisible({ timeout: 120_000 });
  // What IndexedDB holds, hashed: each cancelled job must leave it so (only the model import changes it, on purpose).
  const t0 = Date.now();
  let stored = await snapshotDb(page);
  console.log(`[e2e] stores hashed in ${Date.now() - t0} ms: ${JSON.stringify(stored)}`);
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();

  await test.step('Fool one face: cancelled part-way through its steps, no fooled face shown, nothing stored', async () => {
    // A bound too small to reach a 100 % target: the attack runs its whole step limit unless cancelled.
    await page.getByRole('spinbutton', { name: 'Max change (%)' }).fill('0.5');
    await page.getByRole('spinbutton', { name: 'Stop at target confidence (%)' }).fill('100');
    await page.getByRole('spinbutton', { name: 'Step limit' }).fill('3000');
    const index = /#(\d+)/.exec((await face.getAttribute('aria-label')) ?? '')![1];
    await face.click();
    await cancelMidway(page, `Fooling face #${index}`);
    await expect(page.getByRole('region', { name: 'Fooled face' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(stored);
  });

  await test.step('faces in one photo: cancelled between the worker stages, no face offered, nothing stored', async () => {
    // The detector's first load in this page (≈ 1 s) is the stage the bar is seen in.
    const photo = { name: 'astronaut.png', mimeType: 'image/png', buffer: facePhoto('astronaut.png') };
    await page.getByLabel('Photo to fool').setInputFiles(photo);
    await cancelMidway(page, 'Finding faces in astronaut.png');
    await expect(page.getByRole('button', { name: /^Fool face \d+ of astronaut/ })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(stored);
  });

  await test.step('transfer to a second model: cancelled part-way through the attack steps, no report, nothing stored', async () => {
    // The second model: the demo model exported on the Share page and imported again (a run of the same dataset).
    await nav('Share');
    const saved = ['model.json', 'weights.bin'].map(async (name) => {
      const file = testInfo.outputPath(name);
      await (await page.waitForEvent('download', { predicate: (d) => d.suggestedFilename() === name })).saveAs(file);
      return file;
    });
    await page.getByRole('region', { name: 'Export a model' }).getByRole('button', { name: 'Export model' }).click();
    const files = await Promise.all(saved);
    downloads.length = 0;
    const importer = page.getByRole('region', { name: 'Import a model' });
    await importer.getByLabel('Model files').setInputFiles(files);
    await importer.getByRole('button', { name: 'Import model' }).click();
    await expect(page.getByRole('status').filter({ hasText: /It is now a model on See and Fool/ })).toBeVisible({
      timeout: 60_000,
    });
    stored = await snapshotDb(page);
    await nav('Fool');
    await expect(page.getByRole('combobox', { name: 'Target model' })).toBeVisible({ timeout: 60_000 });
    await page.getByLabel('Images per class').fill('8');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await cancelMidway(page, 'Transfer');
    await expect(page.getByTestId('transfer-report')).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(stored);
  });

  await test.step('See: one layer maximised, cancelled after some of its 8 filters: no grid, nothing stored', async () => {
    await nav('See');
    await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
    await page.getByRole('tab', { name: 'Activation maximisation' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('button', { name: "Load the model's layers" }).click();
    await panel.getByLabel('Steps', { exact: true }).fill('64');
    await panel.getByRole('button', { name: 'Maximise 8 filters' }).click();
    await cancelMidway(page, 'Maximising filters', panel);
    await expect(panel.getByRole('region', { name: 'Activation maximisation', exact: true })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(stored);
  });

  await test.step('See: every layer maximised, cancelled after its first layer: the finished layers kept, the one under way dropped, nothing stored', async () => {
    const grid = page.getByRole('region', { name: 'Every conv layer maximised' });
    const perLayer = 2;
    await grid.getByLabel('Filters per layer').fill(String(perLayer));
    await grid.getByLabel('Iterations per filter').fill('48');
    await grid.getByRole('button', { name: 'Maximise every layer' }).click();
    const progress = grid.getByTestId('all-layers-progress');
    const counts = async () =>
      /^(\d+) of (\d+) layers done · (\d+) of (\d+) filters/
        .exec((await progress.textContent()) ?? '')
        ?.slice(1)
        .map(Number) ?? [0, 0, 0, 0];
    await expect.poll(async () => (await counts())[0], { timeout: 120_000, intervals: [100] }).toBeGreaterThan(0);
    const [layersDone, layersTotal, filtersDone, filtersTotal] = await counts();
    console.log(
      `[e2e] every layer: cancelled at ${layersDone} of ${layersTotal} layers, ${filtersDone} of ${filtersTotal} filters`,
    );
    expect(layersDone).toBeLessThan(layersTotal);
    await grid.getByRole('button', { name: 'Cancel' }).click();
    await expect(progress).toContainText(/^Cancelled: \d+ of \d+ layers/, { timeout: 60_000 });
    const kept = Number(/^Cancelled: (\d+) of (\d+)/.exec((await progress.textContent()) ?? '')![1]);
    expect(kept).toBeGreaterThanOrEqual(layersDone);
    expect(kept).toBeLessThan(layersTotal);
    // Exactly the finished layers, each whole: no row (or image) of the layer that was under way.
    const rows = grid.getByRole('figure', { name: /^Maximised filters of / });
    await expect(rows).toHaveCount(kept);
    for (const row of await rows.all()) await expect(row.getByRole('img')).toHaveCount(perLayer);
    expect(await snapshotDb(page)).toEqual(stored);
  });

  await test.step('Data: zip export cancelled part-way: nothing downloaded, nothing stored', async () => {
    await nav('Data');
    const zip = page.getByRole('region', { name: 'Dataset zip' });
    await zip.getByRole('button', { name: 'Export dataset zip' }).click();
    await cancelMidway(page, 'Exporting', zip);
    await expect(zip.getByRole('status', { name: 'Dataset zip result' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(stored);
    expect(downloads).toEqual([]);
  });

  await test.step('Data: zip import cancelled part-way: no new dataset, no image of it stored', async () => {
    const zip = page.getByRole('region', { name: 'Dataset zip' });
    const datasets = (await readStore<{ id: string }>(page, 'datasets')).map((d) => d.id);
    // A dataset zip in the app's format (bench/bombZip.mjs, no bombs): 768 crops, three chunks of 256 to write.
    const file = {
      name: 'crops.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(datasetZip({ crops: 768, name: 'cancelled import' }).zip),
    };
    await zip.getByLabel('Import dataset zip').setInputFiles(file);
    await cancelMidway(page, 'Importing', zip);
    await expect(zip.getByRole('status', { name: 'Dataset zip result' })).toHaveCount(0);
    expect((await readStore<{ id: string }>(page, 'datasets')).map((d) => d.id)).toEqual(datasets);
    expect(await snapshotDb(page)).toEqual(stored);
  });
});

/**
 * The sweep's Cancel keeps by design what a finished trial made (a normal run) and stops the trial under way at its
 * last checkpoint (its run resumable, as Train's Stop leaves one): checked exactly, with no epoch of the cut-off part
 * stored and no later trial started. 256 synthetic lookalikes, compact × 0.25, 2 epochs a trial.
 */
test('Cancel sweep mid-trial: the finished trial kept whole, the trial under way stopped at its epoch-1 checkpoint, no later trial', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  interface StoredRun {
    id: string;
    status: string;
    epochsDone: number;
    checkpointEpoch: number | null;
    config: { epochs: number };
    epochs: Array<{ epoch: number }>;
  }
  interface StoredSweep {
    createdAt: number;
    status: string;
    trials: Array<{ runId: string | null; status: string }>;
  }
  const sweep = async () => (await readStore<StoredSweep>(page, 'sweeps')).sort((a, b) => b.createdAt - a.createdAt)[0];
  const runs = () => readStore<StoredRun>(page, 'runs');
  await openLab(page, 'wasm');
  await generateDemo(page, 256);
  await configure(page, { architecture: 'Compact', epochs: 2, batchSize: 16, learningRate: 0.001, width: 0.25 });
  const panel = page.getByRole('region', { name: 'Hyperparameter sweep' });
  await panel.getByLabel('Dropout values').fill('0.1, 0.2, 0.3');
  await panel.getByLabel('Batch sizes').fill('16');
  await panel.getByLabel('Learning rates').fill('0.001');
  await panel.getByLabel('Trial budget').fill('3');
  await panel.getByRole('button', { name: 'Start sweep' }).click();

  // Part-way: trial 2's run has its epoch-1 checkpoint and is still training its second epoch.
  let cutRunId = '';
  await expect
    .poll(
      async () => {
        const id = (await sweep())?.trials[1].runId;
        const run = id ? (await runs()).find((r) => r.id === id) : undefined;
        cutRunId = id ?? '';
        return run?.status === 'running' && run.checkpointEpoch === 1 && run.epochsDone === 1;
      },
      { timeout: 180_000, intervals: [100] },
    )
    .toBe(true);
  await panel.getByRole('button', { name: 'Cancel sweep' }).click();
  await expect(panel.getByRole('status', { name: 'Sweep status' })).toContainText('Cancelled · 1 of 3 trials done', {
    timeout: 60_000,
  });

  const record = await sweep();
  expect(record.status).toBe('cancelled');
  expect(record.trials.map((t) => t.status)).toEqual(['done', 'stopped', 'waiting']);
  expect(record.trials[1].runId).toBe(cutRunId);
  expect(record.trials[2].runId).toBeNull();
  const stored = await runs();
  expect(stored.map((r) => r.id).sort()).toEqual([record.trials[0].runId, cutRunId].sort());
  const done = stored.find((r) => r.id === record.trials[0].runId)!;
  const cut = stored.find((r) => r.id === cutRunId)!;
  console.log(
    `[e2e] sweep cancelled: trial 1 ${done.status} ${done.epochsDone}/${done.config.epochs}, trial 2 ${cut.status} ${cut.epochsDone}/${cut.config.epochs}`,
  );
  expect({
    status: done.status,
    epochsDone: done.epochsDone,
    checkpointEpoch: done.checkpointEpoch,
    epochs: done.epochs.map((m) => m.epoch),
  }).toEqual({
    status: 'completed',
    epochsDone: 2,
    checkpointEpoch: 2,
    epochs: [1, 2],
  });
  // Nothing of the cut-off second epoch: no metrics, no checkpoint; Resume continues from epoch 1.
  expect({
    status: cut.status,
    epochsDone: cut.epochsDone,
    checkpointEpoch: cut.checkpointEpoch,
    epochs: cut.epochs.map((m) => m.epoch),
  }).toEqual({
    status: 'stopped',
    epochsDone: 1,
    checkpointEpoch: 1,
    epochs: [1],
  });
  await expect(panel.getByRole('button', { name: 'Resume sweep' })).toBeEnabled();
});
