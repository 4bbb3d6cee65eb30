/**
 * The Train page says whether a preset fits the backend before training (issue 8): the estimate of
 * src/shared/presetFit.ts against the limits the lab worker read from what tfjs created. On wasm the paper
 * settings (batch 128) exceed the 4.29 GB heap maximum and Train is disabled until a batch that fits; on WebGPU
 * (SwiftShader here: 1 GiB buffer limits) the paper model fits the binding limit, and with the limit lowered
 * to 128 MiB (`?fault=webgpu-max-binding:134217728`) its 252 MB dense kernel does not; on WebGL (SwiftShader:
 * MAX_TEXTURE_SIZE 8,192) the im2col textures of its convolutions at batch 128 do not.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLab, generateDemo } from './fixtures/lab';

const fitLine = (page: Page) => page.locator('[aria-label="Preset fit"]');
const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });

async function paperSettings(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Paper settings' }).click();
}

test('wasm: the paper settings exceed the heap maximum and Train waits for a batch that fits', async ({ page }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 16); // a dataset, so that only the fit can disable Train
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(fitLine(page)).toHaveAttribute('data-verdict', 'fits');
  console.log(`[e2e] compact: ${await fitLine(page).textContent()}`);

  await paperSettings(page);
  const line = fitLine(page);
  await expect(line).toHaveAttribute('data-verdict', 'will-not-fit');
  await expect(line).toHaveAttribute('role', 'alert');
  const warning = (await line.textContent()) ?? '';
  console.log(`[e2e] paper settings: ${warning}`);
  expect(warning).toMatch(
    /^The paper model will not fit on wasm at batch 128: training needs ≈ [\d.]+ GB at its peak, more than the 4\.29 GB wasm heap maximum/,
  );
  await expect(trainButton(page)).toBeDisabled();

  const smaller = Number(/Batch size (\d+) or less would fit\./.exec(warning)?.[1]);
  expect(smaller).toBeGreaterThanOrEqual(1);
  expect(smaller).toBeLessThan(128);
  await page.getByRole('spinbutton', { name: 'Batch size' }).fill(String(smaller));
  await expect(line).toHaveAttribute('data-verdict', 'fits');
  await expect(line).toHaveAttribute('role', 'status');
  const fits = (await line.textContent()) ?? '';
  console.log(`[e2e] paper at batch ${smaller}: ${fits}`);
  expect(fits).toMatch(/^Fits on wasm: ≈ [\d.]+ GB at its peak, of the 4\.29 GB wasm heap maximum\./);
  // The heap's size as the worker read it from its wasm memory.
  expect(fits).toMatch(/The heap was \d+ MB when the limits were read/);
  await expect(trainButton(page)).toBeEnabled();
});

test("WebGPU: the device's own limits fit the paper model; a binding limit lowered to 128 MiB does not", async ({
  page,
}) => {
  const backend = await openLab(page, 'webgpu');
  expect(backend).toContain('webgpu');
  expect(backend.toLowerCase()).toContain('swiftshader');
  // What the browser's adapter offers (tfjs requests these maxima for its device).
  const adapterLimits = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<{ limits: Record<string, number> }> } })
      .gpu;
    const { limits } = await gpu.requestAdapter();
    return { binding: limits.maxStorageBufferBindingSize, buffer: limits.maxBufferSize };
  });
  console.log(`[e2e] adapter limits: ${JSON.stringify(adapterLimits)}`);
  expect(adapterLimits.binding).toBe(2 ** 30);

  await paperSettings(page);
  const line = fitLine(page);
  await expect(line).toHaveAttribute('data-verdict', 'fits');
  const fits = (await line.textContent()) ?? '';
  console.log(`[e2e] paper settings on WebGPU: ${fits}`);
  expect(fits).toContain(
    "Fits on WebGPU: the largest tensor, the 268 MB conv3 output (128 × 64 × 64 × 128), is within this GPU's 1 GiB storage-buffer binding limit (maxStorageBufferBindingSize).",
  );

  await page.goto('./?backend=webgpu&fault=webgpu-max-binding:134217728#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: webgpu', { timeout: 120_000 });
  await generateDemo(page, 16);
  await paperSettings(page);
  await expect(line).toHaveAttribute('data-verdict', 'will-not-fit');
  const warning = (await line.textContent()) ?? '';
  console.log(`[e2e] paper settings, binding limit lowered: ${warning}`);
  expect(warning).toContain(
    "The paper model will not fit on WebGPU here: its 252 MB dense128 kernel (492,032 × 128) exceeds this GPU's 128 MiB storage-buffer binding limit (maxStorageBufferBindingSize), lowered by ?fault=webgpu-max-binding:134217728 — choose wasm or a smaller preset.",
  );
  expect(warning).not.toContain('would fit'); // no batch size helps a weight that is too big
  await expect(trainButton(page)).toBeDisabled();
});

test("WebGL: MAX_TEXTURE_SIZE as tfjs reads it decides the im2col textures of the paper model's convolutions", async ({
  page,
}) => {
  const backend = await openLab(page, 'webgl');
  expect(backend).toContain('webgl');
  const max = await page.evaluate(() => {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2')!;
    return gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
  });
  console.log(`[e2e] WebGL2 MAX_TEXTURE_SIZE on the page: ${max}`);
  await paperSettings(page);
  const line = fitLine(page);
  await expect(line).toHaveAttribute('data-verdict', /fits|will-not-fit/);
  const text = (await line.textContent()) ?? '';
  console.log(`[e2e] paper settings on WebGL: ${text}`);
  expect(text).toContain(`this GPU's MAX_TEXTURE_SIZE of ${max.toLocaleString('en-US')}`);
  // At batch 128 conv4's im2col matrix (128 × 1,152 × 4,096, packed) needs a 12,288 × 12,288 texture.
  if (max < 12_288) {
    await expect(line).toHaveAttribute('data-verdict', 'will-not-fit');
    expect(text).toContain('conv4 im2col matrix (128 × 1,152 × 4,096) needs a 12,288 × 12,288 texture');
    await expect(trainButton(page)).toBeDisabled();
  } else {
    await expect(line).toHaveAttribute('data-verdict', 'fits');
  }
});
