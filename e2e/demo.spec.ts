/**
 * The hosted demo link (issue #7 item 2): a fresh browser context opens `?demo`; the app regenerates the
 * seeded synthetic lookalikes, installs the pretrained compact model shipped in public/demo, opens Fool, and
 * a click fools a face. The time from the link to the fooled face on screen is printed (target: < 10 s).
 */
import { test, expect } from './fixtures/lab';

for (const backend of ['wasm', 'auto'] as const) {
  test(`?demo: from the link to a fooled face (${backend} backend)`, async ({ page }) => {
    const t0 = Date.now();
    await page.goto(backend === 'auto' ? './?demo' : `./?demo&backend=${backend}`);
    const face = page.locator('button[data-correct="true"]').first();
    await expect(face).toBeVisible({ timeout: 120_000 });
    const ready = Date.now() - t0;
    await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact · epoch');
    await page.getByLabel('Bound').selectOption('range');
    await face.click();
    const panel = page.getByRole('region', { name: 'Fooled face' });
    await expect(panel).toContainText(/fooled: \S+ (9\d|100)\.\d %/, { timeout: 300_000 });
    const total = Date.now() - t0;
    const status = await page.getByRole('status', { name: 'Backend' }).textContent();
    console.log(
      `[e2e] ?demo on ${status}: faces clickable after ${(ready / 1000).toFixed(1)} s, fooled face on screen after ${(total / 1000).toFixed(1)} s`,
    );
    await expect(page.getByTestId('saved-check')).toContainText('still fools');

    // The demo model is a real trained one: See shows its filters.
    await page.getByRole('link', { name: 'See' }).click();
    await page.getByRole('button', { name: 'Show filters' }).click();
    await expect(page.getByRole('region', { name: 'Filters' })).toContainText('4 conv layers, 176 filters');
  });
}
