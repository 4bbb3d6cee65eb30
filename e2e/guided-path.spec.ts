/**
 * The guided path: the header's six steps say what each has (or lacks) from the app's state, an empty page says
 * what to do next with the button that does it, the Data step counts what IndexedDB really holds, and the
 * backend badge opens its details (the full line, the setting) from the keyboard.
 */
import { expect, openLab, test } from './fixtures/lab';
import { seriousViolations } from './fixtures/axe';
import { readStore } from './fixtures/labDb';

test('a fresh app: the steps say what is missing, Train leads to Data, the Data step counts the stored images', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openLab(page, 'wasm', '#/train');
  const dataStep = page.getByRole('link', { name: 'Data' });
  const trainStep = page.getByRole('link', { name: 'Train' });
  await expect(dataStep).toHaveAccessibleDescription('no dataset');
  await expect(trainStep).toHaveAccessibleDescription('no model yet');
  await expect(trainStep).toHaveAttribute('aria-current', 'page');
  for (const name of ['See', 'Fool', 'Survey'] as const)
    await expect(page.getByRole('link', { name })).toHaveAccessibleDescription('needs a model');
  expect(await seriousViolations(page), 'axe on the empty Train page').toEqual([]);
  // The model pages' empty state: what is missing, and the buttons to get it.
  await page.getByRole('link', { name: 'Fool' }).click();
  await expect(
    page.getByRole('region', { name: 'Next step' }).getByRole('button', { name: 'Go to Train' }),
  ).toBeVisible();
  expect(await seriousViolations(page), 'axe on the empty Fool page').toEqual([]);
  await page.getByRole('region', { name: 'Next step' }).getByRole('button', { name: 'Go to Train' }).click();
  await expect(trainStep).toHaveAttribute('aria-current', 'page');

  // Train's empty state names the missing step and its button opens it.
  const next = page.getByRole('region', { name: 'Next step' });
  await expect(next).toContainText('generate the demo set on Data');
  await next.getByRole('button', { name: 'Go to Data' }).click();
  await expect(page).toHaveURL(/#\/data$/);
  await expect(dataStep).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Data');

  await page.getByLabel('Number of images').fill('48');
  await page.getByRole('button', { name: 'Generate demo dataset' }).click();
  await expect(page.getByText(/Generated \d+ images/)).toBeVisible({ timeout: 120_000 });
  const [dataset] = await readStore<{ id: string; classNames: string[] }>(page, 'datasets');
  const chunks = await readStore<{ datasetId: string; count: number }>(page, 'images');
  const stored = chunks.filter((c) => c.datasetId === dataset.id).reduce((sum, c) => sum + c.count, 0);
  console.log(
    `[e2e] IndexedDB holds ${stored} images of ${dataset.classNames.length} people; the Data step says: ${await page.getByTestId('step-data-state').textContent()}`,
  );
  expect(stored).toBeGreaterThan(0);
  await expect(dataStep).toHaveAccessibleDescription(`${stored} images · ${dataset.classNames.length} people`);
  // With a dataset, Train shows it (the same count) instead of the empty state.
  await trainStep.click();
  await expect(page.getByTestId('train-dataset')).toContainText(`${stored} faces in use`);
  await expect(page.getByRole('region', { name: 'Next step' })).toHaveCount(0);
});

test('the backend badge: compact, Enter opens its details, the setting is the next Tab stop, Escape closes', async ({
  page,
}) => {
  const line = await openLab(page, 'wasm');
  const badge = page.getByRole('button', { name: /^Backend: wasm · \d+ threads?/ });
  await expect(badge).toHaveAttribute('aria-expanded', 'false');
  // Closed, the badge shows a few words; the full line is there for assistive technology, not on screen.
  await expect(badge.getByTestId('badge-text')).toHaveText(/^wasm · \d+ threads?$/);
  expect((await badge.boundingBox())!.width).toBeLessThan(240);
  const status = page.getByRole('status', { name: 'Backend' });
  await expect(status).toHaveText(line);
  expect((await status.boundingBox())!.width).toBeLessThanOrEqual(1);
  await expect(page.getByLabel('Backend setting')).toHaveCount(0);

  // Keyboard only: Tab from the last step reaches the badge, Enter opens it.
  await page.getByRole('link', { name: 'Share' }).focus();
  await page.keyboard.press('Tab');
  await expect(badge).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(badge).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('status', { name: 'Backend' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Backend setting')).toBeFocused();
  await expect(page.getByLabel('Backend setting')).toHaveValue('');
  expect(await seriousViolations(page), 'axe with the badge open').toEqual([]);

  await page.keyboard.press('Escape');
  await expect(badge).toHaveAttribute('aria-expanded', 'false');
  await expect(badge).toBeFocused();
  await expect(page.getByLabel('Backend setting')).toHaveCount(0);
});
