/**
 * Pause and Resume of training (issue 23: no test mentioned pause). Two runs with the same seed and settings on
 * wasm: one straight through, one paused mid-epoch. While paused no step advances (the status line and the
 * stored run stay put for seconds); after Resume the run ends with a checkpoint byte-identical (FNV hash of
 * every weight and optimizer float) to the uninterrupted run's, so a pause changes nothing the model learns.
 */
import { configure, expect, generateDemo, test } from './fixtures/lab';
import { readCheckpoints } from './fixtures/labDb';

const EPOCHS = 2;

test('a paused run takes no step while paused and resumes to the same weights as an uninterrupted run', async ({
  page,
}) => {
  await page.goto('./?backend=wasm#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  // 384 images at batch 8 (≈ 38 steps an epoch), 2 epochs: Pause is clicked at batch 3–9 of epoch 1 and must take
  // effect within that epoch (before the fix in src/features/train/worker/train.ts the wasm worker read it only at the epoch's end). With
  // 192 images (≈ 19 steps, ≈ 0.6 s an epoch) the click itself could land after the epoch under load.
  await generateDemo(page, 384);
  await configure(page, { architecture: 'Compact', epochs: EPOCHS, batchSize: 8, width: 0.25 });
  const training = page.getByRole('status', { name: 'Training status' });
  const train = page.getByRole('button', { name: 'Train', exact: true });
  const rows = page.getByTestId('run-row');

  // 1. Straight through.
  await train.click();
  await expect(training).toContainText(`checkpoint saved: epoch ${EPOCHS}`, { timeout: 180_000 });
  await expect(rows.first()).toHaveAttribute('data-status', 'completed');
  const first = await readCheckpoints(page);
  expect(first.checkpoints).toHaveLength(1);
  const straight = first.checkpoints[0];

  // 2. The same run, paused in epoch 1.
  await train.click();
  await expect(training).toContainText(/epoch 1, batch [3-9]\//, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeEnabled();
  await expect(training).toContainText('paused');
  const atPause = (await training.textContent()) ?? '';
  // Paused mid-epoch: the step it stopped at is before the epoch's last one, and no checkpoint was written.
  const [, at, perEpoch] = /epoch 1, batch (\d+)\/(\d+)/.exec(atPause) ?? [];
  expect(Number(at), atPause).toBeLessThan(Number(perEpoch));
  expect(atPause).not.toContain('checkpoint saved');
  const stored = await readCheckpoints(page);
  const pausedRun = stored.runs.find((r) => r.id !== straight.runId)!;
  expect(pausedRun.status).toBe('paused');
  await page.waitForTimeout(4000); // several steps' time on this backend (≈ 0.1–0.3 s each)
  expect((await training.textContent()) ?? '').toBe(atPause);
  expect((await readCheckpoints(page)).runs.find((r) => r.id === pausedRun.id)).toEqual(pausedRun);
  console.log(`[e2e] paused at: ${atPause}`);

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(training).toContainText(`checkpoint saved: epoch ${EPOCHS}`, { timeout: 180_000 });
  await expect(rows).toHaveCount(2);
  const after = await readCheckpoints(page);
  const resumed = after.checkpoints.find((c) => c.runId === pausedRun.id)!;
  expect(after.runs.find((r) => r.id === pausedRun.id)).toMatchObject({ status: 'completed', epochsDone: EPOCHS });
  console.log(
    `[e2e] checkpoint hash: straight ${straight.hash}, paused and resumed ${resumed.hash} (${resumed.floats} floats)`,
  );
  expect(resumed).toMatchObject({ epoch: EPOCHS, complete: true, floats: straight.floats });
  // Same shapes in the same order (the names differ: tfjs numbers layers built in one worker, e.g. conv4/bias_3).
  const shapes = (c: typeof straight) => c.tensors.map((t) => t.split(' ')[1]);
  expect(shapes(resumed)).toEqual(shapes(straight));
  expect(resumed.hash).toBe(straight.hash);
});
