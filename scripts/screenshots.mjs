/**
 * `npm run screenshots [-- --out DIR]`: renders the six pages (Data, Train, See, Fool, Survey, Share) in their main
 * state, the hosted demo link's landing, and one page in dark mode, from the BUILT app (dist/, served by
 * `vite preview`), to 1280×900 PNGs in DIR (default docs/screenshots). The README shows them, so they are made by
 * this script rather than by hand: rerun it after a visual change and commit the PNGs. e2e/screenshots.spec.ts
 * runs it into a temporary folder, so CI notices when a page no longer reaches its main state.
 *
 * The content is the demo: the seeded synthetic lookalikes and the pretrained compact model in public/demo, opened
 * by the `?demo` link and the See/Fool deep links (src/shared/deepLink.ts); only Train's charts come from a run
 * trained here, tiny and seeded (single-digit seconds). Images, models and nearly every number on screen are the
 * same on every run (the tiny run's losses included, on wasm here); the backend badge's device words, timings,
 * dates and the preview's port are not. The backend is wasm: WebGPU here would be SwiftShader.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { launchChromium, withPreview } from '../bench/preview.mjs';

export const VIEWPORT = Object.freeze({ width: 1280, height: 900 });

const DEMO = '?demo&backend=wasm';
const LONG = { timeout: 180_000 };

function outDir(argv) {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] ? argv[i + 1] : 'docs/screenshots';
}

/** The page as it is now, viewport only (the same 1280×900 for every shot), no caret, no running animation. */
async function shoot(page, dir, name, times, t0) {
  await page.evaluate(() => globalThis.document.fonts.ready);
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' });
  times.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function openStep(page, name) {
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  await toTop(page);
}

/** A deep link differing only in its hash is a same-document navigation: the last page's scroll would stay. */
const toTop = (page) => page.evaluate(() => globalThis.scrollTo(0, 0));

export async function takeScreenshots(dir) {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const times = [];
  await withPreview(async (base) => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        colorScheme: 'light',
        locale: 'en-GB',
        timezoneId: 'UTC',
        serviceWorkers: 'block',
      });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`screenshots: page error: ${err.message}`));
      const ready = () => expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', LONG);

      // The hosted demo link: the app installs the demo and lands on Fool with the faces to click.
      await page.goto(`${base}${DEMO}`);
      await expect(page.locator('button[data-correct="true"]').first()).toBeVisible(LONG);
      await ready();
      await shoot(page, dir, 'demo', times, t0);

      await openStep(page, 'Data');
      await expect(page.getByText(/\b2400 images\b/).first()).toBeVisible();
      await shoot(page, dir, 'data', times, t0);

      // Train: a tiny model trained live, so the charts have curves: 128 fresh synthetic faces (the 2400 of the
      // demo train at ~100 images/s here, too slow for a check CI runs), compact at width 0.25, 3 short epochs.
      await page.getByLabel('Number of images').fill('128');
      await page.getByRole('button', { name: 'Generate demo dataset' }).click();
      await expect(page.getByText(/Generated \d+ images/)).toBeVisible(LONG);
      await openStep(page, 'Train');
      const arch = page.getByRole('combobox', { name: 'Architecture' });
      await arch.selectOption(
        (await arch.locator('option', { hasText: 'Compact' }).first().getAttribute('value')) ?? 'compact',
      );
      await page.getByRole('spinbutton', { name: 'Width multiplier' }).fill('0.25');
      await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
      await page.getByRole('spinbutton', { name: 'Batch size' }).fill('16');
      await page.getByRole('checkbox', { name: /More epochs for small datasets/ }).uncheck();
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(page.getByRole('status', { name: 'Training status' })).toContainText('finished', LONG);
      await expect(page.getByRole('table', { name: 'Epochs' })).toBeVisible();
      // The run and its charts fill the view (the settings form above is the same as on a fresh page).
      await page
        .getByRole('status', { name: 'Training status' })
        .evaluate((el) => globalThis.scrollBy(0, el.closest('section').getBoundingClientRect().top - 16));
      await shoot(page, dir, 'train', times, t0);

      // See through its deep link, on its Saliency tab: one face's four saliency maps as overlays and heatmaps.
      await page.goto(`${base}${DEMO}#/see?run=demo&img=5&tab=saliency`);
      await expect(page.getByRole('tab', { name: 'Saliency', selected: true })).toBeVisible(LONG);
      await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', LONG);
      await page.getByRole('button', { name: 'Show saliency maps' }).click();
      await expect(page.getByRole('img', { name: 'Integrated Gradients heatmap' })).toBeVisible(LONG);
      await toTop(page);
      await shoot(page, dir, 'see', times, t0);

      // Fool through its deep link: one face fooled by the paper's attack (range bound), the panel in view.
      await page.goto(`${base}${DEMO}#/fool?run=demo&img=3&attack=paper&rule=range`);
      const fooled = page.getByRole('region', { name: 'Fooled face' });
      await expect(fooled).toContainText('fooled', LONG);
      await expect(page.locator('button[data-correct="true"]').first()).toBeVisible();
      await ready();
      await toTop(page);
      await fooled.evaluate((el) => globalThis.scrollBy(0, el.getBoundingClientRect().top - 16));
      await shoot(page, dir, 'fool', times, t0);
      await page.emulateMedia({ colorScheme: 'dark' });
      await shoot(page, dir, 'dark-fool', times, t0);
      await page.emulateMedia({ colorScheme: 'light' });

      await openStep(page, 'Survey');
      await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact');
      await shoot(page, dir, 'survey', times, t0);

      await openStep(page, 'Share');
      await shoot(page, dir, 'share', times, t0);
      await context.close();
    } finally {
      await browser.close();
    }
  });
  return { seconds: (Date.now() - t0) / 1000, times };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = outDir(process.argv.slice(2));
  const { seconds, times } = await takeScreenshots(dir);
  console.log(`screenshots: ${times.length} PNGs in ${dir} after ${seconds.toFixed(1)} s (${times.join(', ')})`);
}
