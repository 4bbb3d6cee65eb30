/** The paper's model builds in the browser and its Keras-style summary shows the paper's counts. */
import { test, expect, openLab } from './fixtures/lab';

test('paper model summary: 13 conv layers, 64,638,274 params with both batch norms', async ({ page }) => {
  await openLab(page, 'wasm', '#/train');
  await page.getByRole('button', { name: 'Paper settings' }).click();
  const summary = page.getByRole('table', { name: 'Model summary' });
  await expect(summary).toContainText('conv13', { timeout: 120_000 });
  await expect(page.getByTestId('total-params')).toHaveText('64,638,274');
  await expect(summary).toContainText('62,980,224');
  await expect(summary).toContainText('None × 62 × 62 × 128');
  await expect(page.getByRole('spinbutton', { name: 'Batch size' })).toHaveValue('128');
  await expect(page.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('1e-7');
  // Architecture options named as the acceptance tests expect.
  const options = await page.getByRole('combobox', { name: 'Architecture' }).locator('option').allTextContents();
  for (const name of ['Paper', 'VGG16', 'VGG19', 'Compact']) expect(options.some((o) => o.includes(name))).toBe(true);
});
