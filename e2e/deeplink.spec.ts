/**
 * Deep links (issue #7 item 3): a view's link, copied in one browser context and opened in a fresh one (no
 * shared storage), shows the same face fooled with the same settings on Fool, and the same image, layer and
 * filters on See — the demo data and model being identical everywhere.
 */
import { test, expect } from './fixtures/lab';

test('a Fool link and a See link reproduce the same view in a fresh context', async ({ page, browser }) => {
  await page.goto('./?demo&backend=wasm');
  const face = page.locator('button[data-correct="true"]').nth(2);
  await expect(face).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Bound').selectOption('range');
  await page.getByRole('spinbutton', { name: 'Step limit' }).fill('150');
  await face.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  await expect(panel).toContainText('fooled', { timeout: 120_000 });
  const heading = await panel.getByRole('heading').textContent();
  const foolLink = await page.getByLabel('Link to this view').inputValue();
  expect(foolLink).toMatch(/\?demo#\/fool\?run=demo&img=\d+&attack=paper&rule=range/);
  expect(foolLink).toContain('steps=150');

  await page.getByRole('link', { name: 'See' }).click();
  await page.getByLabel('Image index').fill('7');
  await page.getByRole('button', { name: 'Show filters' }).click();
  await page.getByRole('tab', { name: 'Feature maps' }).click();
  await page.getByRole('button', { name: 'Show feature maps' }).click();
  await expect(page.getByRole('region', { name: 'Feature maps' })).toContainText('predicted');
  const prediction = await page.getByRole('region', { name: 'Feature maps' }).locator('p').first().textContent();
  await page.getByRole('tab', { name: 'Activation maximisation' }).click();
  await page.getByRole('combobox', { name: 'Layer' }).selectOption('conv2');
  await page.getByRole('button', { name: 'Maximise 8 filters' }).click();
  await expect(page.getByRole('region', { name: 'Activation maximisation' })).toContainText('conv2:', {
    timeout: 120_000,
  });
  const seeLink = await page.getByLabel('Link to this view').inputValue();
  // The link names the tab it was copied on.
  expect(seeLink).toMatch(/\?demo#\/see\?run=demo&img=7&layer=conv2&tab=activation-max$/);
  const gains = await page
    .getByRole('region', { name: 'Activation maximisation' })
    .locator('figcaption')
    .allTextContents();

  const fresh = await browser.newContext({ serviceWorkers: 'block' });
  // Issue 16 item 8: every alert shown at any moment is recorded (the page could show and then clear one).
  await fresh.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __alerts: string[] }).__alerts = seen;
    new MutationObserver(() => {
      document.querySelectorAll('[role="alert"]').forEach((el) => {
        if (el.textContent && !seen.includes(el.textContent)) seen.push(el.textContent);
      });
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const other = await fresh.newPage();
  await other.goto(foolLink);
  await expect(other.getByRole('region', { name: 'Fooled face' }).getByRole('heading')).toHaveText(heading!, {
    timeout: 120_000,
  });
  await expect(other.getByRole('spinbutton', { name: 'Step limit' })).toHaveValue('150');
  await expect(other.getByLabel('Bound')).toHaveValue('range');
  // The gallery loaded beside the linked face, and no error was shown on the way ("Layer 'conv1' is already disposed.").
  await expect(other.locator('button[data-correct="true"]').first()).toBeVisible();
  await expect(other.getByRole('alert')).toHaveCount(0);
  expect(await other.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts)).toEqual([]);
  console.log(`[e2e] Fool link ${foolLink.replace(/^.*\?demo/, '?demo')} → "${heading}" in both contexts`);

  await other.goto(seeLink);
  await expect(other.getByRole('region', { name: 'Activation maximisation' })).toContainText('conv2:', {
    timeout: 120_000,
  });
  await expect(other.getByRole('combobox', { name: 'Layer' })).toHaveValue('conv2');
  expect(
    await other.getByRole('region', { name: 'Activation maximisation' }).locator('figcaption').allTextContents(),
  ).toEqual(gains);
  await other.getByRole('tab', { name: 'Feature maps' }).click();
  await expect(other.getByRole('region', { name: 'Feature maps' }).locator('p').first()).toHaveText(prediction!);
  await fresh.close();
});

test('a Train link carries the training settings', async ({ page }) => {
  await page.goto('./?backend=wasm#/train?arch=paper&epochs=125&batch=128&lr=1e-7&bn=2&dropout=0.35&adv=4,0.5,3,2');
  await expect(page.getByRole('combobox', { name: 'Architecture' })).toHaveValue('paper');
  await expect(page.getByRole('spinbutton', { name: 'Epochs' })).toHaveValue('125');
  await expect(page.getByRole('spinbutton', { name: 'Batch size' })).toHaveValue('128');
  await expect(page.getByRole('spinbutton', { name: 'Learning rate' })).toHaveValue('1e-7');
  await expect(page.getByRole('spinbutton', { name: 'PGD ε (levels)' })).toHaveValue('4');
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill('30');
  await expect(page.getByLabel('Link to these settings')).toHaveValue(/#\/train\?arch=paper&epochs=30&batch=128/);
});
