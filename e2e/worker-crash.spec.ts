/**
 * Worker crash (issue #9 item 5). The test hooks (`?fault=debug` only) throw an uncaught, asynchronous error
 * inside the lab worker (LabApi `debugFault`) or the ingest worker (`window.__faults.crashIngestWorker()`).
 * The page must replace the dead worker, tell the user what was lost, and stay usable without a reload:
 * training mid-epoch stops at its last checkpoint and Resume completes it; an ingest keeps what it saved
 * and picking the same folder again finishes it. A replacement lab worker that never answers `init`
 * (`?fault=init-hang:1`, its timeout cut to 5 s by `?fault=init-timeout-ms:5000`) is replaced once more. The
 * page handles the workers' error events, so the crash leaves no console error (the shared fixture fails the
 * test on any).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { writeManyFaces } from './fixtures/astronautVariants';
import { ensureFacePhotos } from './fixtures/faces';
import { configure, expect, generateDemo, test } from './fixtures/lab';
import { readLabDb } from './fixtures/labDb';

const PHOTOS = 120;
const EPOCHS = 6;
let base = '';

test.beforeAll(() => {
  ensureFacePhotos();
  base = mkdtempSync(join(tmpdir(), 'lookalike-crash-'));
  writeManyFaces(join(base, 'faces'), PHOTOS);
});

test.afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

/** The one stored run, or the one stored dataset named `name`, straight from IndexedDB. */
async function stored(page: Page, name?: string) {
  const { runs, datasets } = await readLabDb(page);
  const ds = datasets.find((d) => d.name === name);
  return {
    run: runs[0],
    dataset: ds && { count: ds.count, complete: ds.complete, processed: ds.processed, stored: ds.stored },
  };
}

test('a crash of the lab worker mid-training: told what was lost, the run resumes without a reload', async ({
  page,
}) => {
  await page.goto('./?backend=wasm&fault=debug#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(page, 256);
  await configure(page, { architecture: 'Compact', epochs: EPOCHS, batchSize: 16, width: 0.5 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const training = page.getByRole('status', { name: 'Training status' });
  await expect(training).toContainText('checkpoint saved: epoch 1', { timeout: 120_000 });

  const at = (await training.textContent()) ?? '';
  await page.evaluate(() =>
    (window as unknown as { __labBridge: () => { call(m: string, a: unknown): Promise<unknown> } })
      .__labBridge()
      .call('debugFault', { fault: 'crash' }),
  );
  const alert = page.getByRole('alert', { name: 'Lab worker' });
  await expect(alert).toContainText('The lab worker crashed (', { timeout: 30_000 });
  await expect(alert).toContainText('injected crash (test hook)');
  await expect(alert).toContainText('The lab restarted on wasm.', { timeout: 90_000 });
  console.log(`[e2e] crash → new worker ready: ${await alert.getAttribute('data-ms')} ms`);
  await expect(alert).toContainText(
    /The run stopped at its checkpoint of epoch \d+ \(only the epoch in progress is lost; everything stored is kept\)/,
  );
  console.log(`[e2e] crashed at "${at}": ${await alert.textContent()}`);

  // What was lost, measured: the stored run ends at its checkpoint, and the killed worker writes nothing more.
  const { run } = await stored(page);
  console.log(`[e2e] stored run after the crash: ${JSON.stringify(run)}`);
  expect(run!.status).toBe('stopped');
  expect(run!.checkpointEpoch).toBeGreaterThanOrEqual(1);
  expect(run!.checkpointEpoch).toBeLessThan(EPOCHS);
  expect(run!.epochs).toEqual(Array.from({ length: run!.checkpointEpoch! }, (_, i) => i + 1));
  await expect(alert).toContainText(`checkpoint of epoch ${run!.checkpointEpoch}`);
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await expect(row).toContainText(`checkpoint: epoch ${run!.checkpointEpoch}`);
  await page.waitForTimeout(2000);
  expect((await stored(page)).run).toEqual(run);

  // Usable without a reload: Resume on the new worker completes the run from its checkpoint.
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(training).toContainText(`checkpoint saved: epoch ${EPOCHS}`, { timeout: 120_000 });
  await expect(row).toHaveAttribute('data-status', 'completed');
  expect((await stored(page)).run).toMatchObject({
    status: 'completed',
    epochsDone: EPOCHS,
    epochs: Array.from({ length: EPOCHS }, (_, i) => i + 1),
  });
});

test('a replacement lab worker that never starts is replaced once more; the run resumes without a reload', async ({
  page,
}) => {
  // `init-hang:1`: the first replacement never answers `init`; `init-timeout-ms:5000` stands for the 45 s.
  const labWorkers: Array<{ url: string; closed: boolean }> = [];
  page.on('worker', (worker) => {
    if (!/lab/.test(worker.url())) return;
    const entry = { url: worker.url(), closed: false };
    labWorkers.push(entry);
    worker.on('close', () => (entry.closed = true));
  });
  await page.goto('./?backend=wasm&fault=debug&fault=init-hang:1&fault=init-timeout-ms:5000#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(page, 256);
  await configure(page, { architecture: 'Compact', epochs: 3, batchSize: 16, width: 0.5 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const training = page.getByRole('status', { name: 'Training status' });
  await expect(training).toContainText('checkpoint saved: epoch 1', { timeout: 120_000 });
  expect(labWorkers.map((w) => w.closed)).toEqual([false]);

  await page.evaluate(() =>
    (window as unknown as { __labBridge: () => { call(m: string, a: unknown): Promise<unknown> } })
      .__labBridge()
      .call('debugFault', { fault: 'crash' }),
  );
  const alert = page.getByRole('alert', { name: 'Lab worker' });
  await expect(alert).toContainText('The lab worker crashed (', { timeout: 30_000 });
  // The first replacement hangs: the backend stays "loading", the alert says the lab is restarting.
  await expect(alert).toContainText('Restarting the lab');
  await expect(alert).toContainText(
    'The lab restarted on wasm. The first new worker was replaced once more (the new lab worker did not start within 5 s).',
    {
      timeout: 60_000,
    },
  );
  const ms = Number(await alert.getAttribute('data-ms'));
  console.log(`[e2e] crash → hung replacement → second replacement ready: ${ms} ms; ${await alert.textContent()}`);
  expect(ms).toBeGreaterThanOrEqual(5000);
  await expect(alert).toContainText(/The run stopped at its checkpoint of epoch \d+/);
  // Three lab workers: the crashed one and the hung one terminated, the third running.
  await expect.poll(() => labWorkers.map((w) => w.closed)).toEqual([true, true, false]);
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm');

  const { run } = await stored(page);
  expect(run!.status).toBe('stopped');
  const row = page.getByTestId('run-row').first();
  await expect(row).toContainText(`checkpoint: epoch ${run!.checkpointEpoch}`);
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(training).toContainText('checkpoint saved: epoch 3', { timeout: 120_000 });
  await expect(row).toHaveAttribute('data-status', 'completed');
  expect((await stored(page)).run).toMatchObject({ status: 'completed', epochsDone: 3, epochs: [1, 2, 3] });
});

test('a crash of the ingest worker mid-ingest: told what was kept, the same folder again completes', async ({
  page,
}) => {
  await page.goto('./?backend=wasm&fault=debug#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'faces'));
  const progress = page.getByRole('progressbar', { name: 'Ingesting photos' });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 120_000, intervals: [50] })
    .toBeGreaterThanOrEqual(10);
  await page.waitForTimeout(1200); // at least one save (about every second) after the first photos
  const done = Number(await progress.getAttribute('value'));
  expect(
    await page.evaluate(() =>
      (window as unknown as { __faults: { crashIngestWorker(): boolean } }).__faults.crashIngestWorker(),
    ),
  ).toBe(true);

  const alert = page.getByRole('alert').filter({ hasText: 'The photo worker crashed' });
  await expect(alert).toContainText('injected crash (test hook)', { timeout: 30_000 });
  await expect(alert).toContainText('Pick the same folder again to continue where it stopped');
  const { dataset: cut } = await stored(page, 'Photos: faces');
  console.log(
    `[e2e] crashed at ≥ ${done} of ${PHOTOS} photos done: ${await alert.textContent()} | stored: ${JSON.stringify(cut)}`,
  );
  // What was kept is consistent (saved images = files recorded as done) and is what the message says.
  expect(cut!.complete).toBe(false);
  expect(cut!.count).toBeGreaterThanOrEqual(1);
  expect(cut!.count).toBeLessThan(PHOTOS);
  expect(cut!.stored).toBe(cut!.count);
  expect(cut!.processed).toBe(cut!.count);
  await expect(alert).toContainText(
    `Kept: the ${cut!.count} faces from ${cut!.processed} photos saved before the crash`,
  );

  // No reload: the same folder again starts a new worker and finishes the dataset.
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'faces'));
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText(`${PHOTOS - cut!.processed} faces from`, { timeout: 120_000 });
  await expect(result).toContainText(`${cut!.processed} photos done by an earlier run were skipped`);
  expect((await stored(page, 'Photos: faces')).dataset).toEqual({
    count: PHOTOS,
    complete: true,
    processed: PHOTOS,
    stored: PHOTOS,
  });
});
