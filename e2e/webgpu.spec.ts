/**
 * WebGPU (forced): on these GPU-less machines it is SwiftShader on the CPU, so the model is a narrow compact
 * (width × 0.25) and the data 64 images; a few batches, the loss chart gets points, a checkpoint is written.
 */
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

test('trains compact on WebGPU (SwiftShader adapter) and writes a checkpoint', async ({ page }) => {
  const backend = await openLab(page, 'webgpu');
  expect(backend).toContain('webgpu');
  expect(backend.toLowerCase()).toContain('swiftshader');
  // Issue 17: our kernels are kept on the software adapter (measured faster there), and the header says why.
  expect(backend).toContain('software adapter: our kernels, measured faster on SwiftShader');

  await generateDemo(page, 64);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16, width: 0.25 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  const lossChart = page.getByRole('figure', { name: 'Loss per batch' });
  await expect.poll(async () => Number(await lossChart.getAttribute('data-points')), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 1', { timeout: 300_000 });

  // The checkpoint really is in IndexedDB, with weights of the model's shapes.
  const stored = await page.evaluate(
    () =>
      new Promise<{ epoch: number; weights: number; floats: number }>((resolve, reject) => {
        const open = indexedDB.open('lookalike-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('checkpoints').objectStore('checkpoints').getAll();
          req.onsuccess = () => {
            const cp = req.result[0];
            resolve({
              epoch: cp.epoch,
              weights: cp.weights.length,
              floats: cp.weights.reduce((n: number, w: { data: Float32Array }) => n + w.data.length, 0),
            });
          };
        };
      }),
  );
  console.log('[e2e] webgpu checkpoint', stored);
  expect(stored.epoch).toBe(1);
  expect(stored.weights).toBeGreaterThan(8);
  expect(stored.floats).toBeGreaterThan(1000);
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('run-row').first()).toContainText('webgpu');
});
