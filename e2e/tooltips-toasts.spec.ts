/**
 * The shared components on the demo, in one page session: a tooltip opens on keyboard focus with its hint, is the
 * field's description, and Escape hides it; exporting the dataset zip ends in a toast in the polite live region
 * that leaves by itself; the chart line colours follow the colour scheme and stand out from the chart's background
 * by ≥ 3:1 in both; a page change starts at the top of the new page.
 * Soft assertions: a build that breaks several of these shows each failure in one run.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';
import { seriousViolations } from './fixtures/axe';

/** The computed stroke of a chart line and the computed background of its chart, as [r, g, b]. */
async function lineAndBackground(line: Locator): Promise<{ stroke: number[]; background: number[] }> {
  return line.evaluate((el) => {
    const rgb = (s: string) =>
      s
        .match(/[\d.]+/g)!
        .slice(0, 3)
        .map(Number);
    return {
      stroke: rgb(getComputedStyle(el).stroke),
      background: rgb(getComputedStyle(el.closest('figure')!).backgroundColor),
    };
  });
}

/** WCAG 2.1 contrast of two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]) => {
    const [r, g, bl] = c.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function scrollY(page: Page): Promise<number> {
  return page.evaluate(() => window.scrollY);
}

test('tooltip on keyboard focus and Escape, a toast after an export, chart colours per scheme, new page at the top', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('./?demo&backend=wasm');
  await expect(page.locator('button[data-correct="true"]').first()).toBeVisible({ timeout: 120_000 });

  // Hover: a face picture's name shows under it, inside the window even for the rightmost face of a row.
  const faces = page.getByRole('button', { name: /^Fool face #/ });
  const lefts = await faces.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  const rightmost = faces.nth(lefts.indexOf(Math.max(...lefts)));
  await rightmost.hover();
  const faceHint = rightmost.locator('xpath=following-sibling::span[contains(@class, "tooltip")]');
  await expect.soft(faceHint, 'the face name on hover').toBeVisible();
  await expect.soft(faceHint).toHaveText((await rightmost.getAttribute('aria-label'))!);
  const hintBox = await faceHint.boundingBox();
  expect
    .soft(hintBox && hintBox.x + hintBox.width, 'the hint ends inside the 1280-px window')
    .toBeLessThanOrEqual(1280);
  await page.mouse.move(1, 1);

  // Tooltip: Tab into the field, the hint shows and describes it; Escape hides it, focus stays.
  await page.getByRole('link', { name: 'See', exact: true }).click();
  await page.getByRole('tab', { name: 'Activation maximisation' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Activation maximisation' });
  await panel.getByLabel('Filters per layer').focus();
  const iterations = panel.getByLabel('Iterations per filter');
  const hint = panel.getByRole('tooltip');
  await expect.soft(hint).toBeHidden();
  await page.keyboard.press('Tab');
  await expect(iterations).toBeFocused();
  await expect.soft(hint, 'the hint on keyboard focus').toBeVisible();
  await expect.soft(hint).toHaveText("Gradient-ascent steps for each filter (the single-layer grid's Steps)");
  await expect
    .soft(iterations)
    .toHaveAccessibleDescription("Gradient-ascent steps for each filter (the single-layer grid's Steps)");
  expect.soft(await seriousViolations(page), 'axe with the tooltip open').toEqual([]);
  await page.keyboard.press('Escape');
  await expect.soft(hint, 'Escape hides the hint').toBeHidden();
  await expect(iterations).toBeFocused();

  // A new page starts at its top, whatever the last one's scroll (hash navigation, as the step links do).
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Data', exact: true })).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const scrolled = await scrollY(page);
  expect(scrolled, 'the Data page is long enough to scroll').toBeGreaterThan(200);
  await page.evaluate(() => (location.hash = '#/share'));
  await expect(page.getByRole('heading', { level: 2, name: 'Share', exact: true })).toBeVisible();
  await expect
    .configure({ soft: true })
    .poll(() => scrollY(page), { message: 'Share opens at its top', timeout: 5_000 })
    .toBe(0);
  await page.evaluate(() => (location.hash = '#/data'));

  // Toast: a real export; its outcome is announced politely, then leaves by itself.
  const notifications = page.getByRole('status', { name: 'Notifications' });
  await expect(notifications).toHaveAttribute('aria-live', 'polite');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export dataset zip' }).click();
  const file = (await download).suggestedFilename();
  await expect.soft(notifications, 'the export toast').toContainText(`as ${file} (`, { timeout: 60_000 });
  await expect.soft(notifications.getByRole('button', { name: 'Close notification' })).toBeVisible();
  // The pointer on the toast holds it (time to read it, and to run axe on it in both schemes); off it, it leaves.
  await notifications.getByText('Exported').hover();
  expect.soft(await seriousViolations(page), 'axe with the toast, light').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect.soft(await seriousViolations(page), 'axe with the toast, dark').toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.soft(notifications, 'the toast stays while the pointer is on it').toContainText('Exported');
  await page.mouse.move(1, 1);
  await expect.soft(notifications, 'an info toast leaves by itself').toBeEmpty({ timeout: 15_000 });

  // Chart colours: light, then dark (the same page re-styled); each line ≥ 3:1 against its chart.
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  const lines = page.locator('figure.chart polyline');
  await expect(lines.first()).toBeAttached({ timeout: 30_000 });
  const count = await lines.count();
  const light = await Promise.all(Array.from({ length: count }, (_, i) => lineAndBackground(lines.nth(i))));
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await Promise.all(Array.from({ length: count }, (_, i) => lineAndBackground(lines.nth(i))));
  console.log(
    `[e2e] chart lines: light ${light.map((l) => `rgb(${l.stroke})`).join(' ')} on rgb(${light[0].background}); dark ${dark.map((l) => `rgb(${l.stroke})`).join(' ')} on rgb(${dark[0].background})`,
  );
  for (let i = 0; i < count; i++) {
    expect.soft(dark[i].stroke, `line ${i}: dark colour differs from light`).not.toEqual(light[i].stroke);
    expect.soft(contrast(light[i].stroke, light[i].background), `line ${i}: light contrast`).toBeGreaterThanOrEqual(3);
    expect.soft(contrast(dark[i].stroke, dark[i].background), `line ${i}: dark contrast`).toBeGreaterThanOrEqual(3);
  }
});
