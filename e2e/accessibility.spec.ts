/**
 * Accessibility: axe-core (its Playwright integration) on every page and the main states a user reaches on the
 * demo data — the six pages, See with its filters and each of its tabs, Fool with a fooled face, the survey kiosk —
 * with no serious or critical violation of WCAG 2.1 A/AA; and the survey kiosk on a phone-sized viewport (375 px:
 * participants take it on whatever device is at hand): nothing wider than the screen, answer targets ≥ 44 px. Dark mode
 * (the same design tokens overridden under prefers-color-scheme: dark) is checked on five pages, contrast included.
 */
import { test, expect } from './fixtures/lab';
import { seriousViolations } from './fixtures/axe';

test('axe: every page and main state has no serious or critical violation', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./?demo&backend=wasm');
  const face = page.locator('button[data-correct="true"]').first();
  await expect(face).toBeVisible({ timeout: 120_000 });
  const found: Record<string, string[]> = {};
  const check = async (state: string) => {
    found[state] = await seriousViolations(page);
  };
  await check('fool: gallery');

  await page.getByLabel('Bound').selectOption('range');
  await face.click();
  await expect(page.getByRole('region', { name: 'Fooled face' })).toContainText(/fooled: \S+ (9\d|100)\.\d %/, {
    timeout: 300_000,
  });
  await check('fool: a fooled face');

  for (const name of ['Data', 'Train', 'Survey', 'Share'] as const) {
    await page.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await check(name.toLowerCase());
  }

  await page.getByRole('link', { name: 'See' }).click();
  await check('see');
  await page.getByRole('button', { name: 'Show filters' }).click();
  await expect(page.getByRole('region', { name: 'Filters' })).toContainText('4 conv layers, 176 filters', {
    timeout: 60_000,
  });
  await check('see: filters shown');
  // Each of See's other tabs, as it first opens.
  for (const tab of ['Feature maps', 'Activation maximisation', 'Saliency', 'Where it looks', 'Sanity checks']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
    await check(`see: ${tab.toLowerCase()} tab`);
  }

  console.log(`[e2e] axe states checked: ${Object.keys(found).join(', ')}`);
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
});

test('dark mode (prefers-color-scheme: dark): the pages have no serious or critical violation, contrast included', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./?demo&backend=wasm');
  await expect(page.locator('button[data-correct="true"]').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  // The dark tokens are in force (else this test would check the light theme twice): a dark page, light text.
  const colours = await page.evaluate(() => {
    const style = getComputedStyle(document.documentElement);
    return { background: style.backgroundColor, text: style.color };
  });
  const brightness = (rgb: string) =>
    rgb
      .match(/\d+/g)!
      .slice(0, 3)
      .map(Number)
      .reduce((a, b) => a + b, 0) / 3;
  expect(brightness(colours.background), `page background ${colours.background}`).toBeLessThan(60);
  expect(brightness(colours.text), `page text ${colours.text}`).toBeGreaterThan(190);

  const found: Record<string, string[]> = { fool: await seriousViolations(page) };
  for (const name of ['Data', 'Train', 'Survey', 'Share'] as const) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
    found[name.toLowerCase()] = await seriousViolations(page);
  }
  console.log(`[e2e] axe in dark mode: ${Object.keys(found).join(', ')}`);
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
});

test('survey kiosk on a 375-px phone: fits the screen, 44-px answer targets, no serious axe violation', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('./?demo&backend=wasm#/survey');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await page.getByLabel('Training faces per person').fill('2');
  await page.getByLabel('Test pairs').fill('4');
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByText(/Survey “Lookalike survey” saved/)).toBeVisible({ timeout: 120_000 });

  await page.setViewportSize({ width: 375, height: 667 });
  await page.getByRole('button', { name: 'Run survey' }).first().click();
  const fitsWidth = async () => {
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`),
    );
    if (wide.length) console.log(`[e2e] wider than the screen: ${wide.join(', ')}`);
    return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  };
  const states: Record<string, string[]> = {};
  states['consent'] = await seriousViolations(page);
  expect(await fitsWidth(), 'consent screen wider than 375 px').toBe(true);
  await page.getByRole('button', { name: 'I agree, start' }).click();
  await page.getByRole('radio', { name: 'No' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.getByRole('button', { name: 'Start the test' }).click({ timeout: 60_000 });
  await expect(page.getByText('Pair 1 of 4')).toBeVisible({ timeout: 30_000 });
  const answers = page.getByRole('button', { name: /^(Same|Different)$/ });
  await expect(answers).toHaveCount(2);
  await expect(answers.first()).toBeEnabled({ timeout: 10_000 });
  states['pair'] = await seriousViolations(page);
  expect(await fitsWidth(), 'pair screen wider than 375 px').toBe(true);
  for (const box of await answers.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.height, 'answer button height').toBeGreaterThanOrEqual(44);
    expect(box.width, 'answer button width').toBeGreaterThanOrEqual(44);
    expect(box.right, 'answer button inside the screen').toBeLessThanOrEqual(375);
  }
  expect(states).toEqual({ consent: [], pair: [] });
});
