/**
 * One source of truth for a split's members (issue 16, item 1), on the real-photo set (fixtures/realPhotoSet.ts):
 * after a test face is rejected in review, the test count is the same on Data, Train, Fool and Evaluate, and
 * the near-copy leak check of the group-aware split reports 0 leaks. (That no rejected crop's pixels reach a
 * training or evaluation batch is asserted on the batches themselves in src/ml/data/dataset.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, expect, openLab, test } from './fixtures/lab';
import { readPhotoDataset } from './fixtures/imageVariants';
import { writeRealPhotoFolder } from './fixtures/realPhotoSet';

let root = '';

test.beforeAll(async () => {
  test.setTimeout(5 * 60_000); // generating the set in Node takes 20–80 s here
  root = join(mkdtempSync(join(tmpdir(), 'lookalike-members-')), 'real');
  await writeRealPhotoFolder(root);
});

test.afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

test('after a rejection Data, Train, Fool and Evaluate count the same test faces; no near copy straddles the split', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await openLab(page, 'wasm');
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  await expect(page.getByRole('status', { name: 'Ingest result' })).toContainText('faces from', { timeout: 240_000 });

  const leak = page.getByTestId('leak-check');
  await expect(leak).toContainText('test faces are near copies', { timeout: 60_000 });
  console.log(`[e2e] ${await page.getByTestId('split-counts').textContent()} | ${await leak.textContent()}`);
  await expect(leak).toContainText(/^0 of \d+ test faces/);

  const before = await readPhotoDataset(page);
  const testFaces = before.codes.map((c, i) => (c === 1 && !before.excluded?.[i] ? i : -1)).filter((i) => i >= 0);
  expect(testFaces.length).toBeGreaterThan(1);
  const rejected = testFaces[0];
  const tile = page.getByRole('button', { name: new RegExp(`^Face ${rejected + 1}: `) });
  await tile.focus();
  await page.keyboard.press('r');
  await expect(tile).toHaveAccessibleName(/rejected/);
  const after = await readPhotoDataset(page);
  expect(after.excluded![rejected]).toBe(1);
  const n = after.counts.test;
  expect(n).toBe(testFaces.length - 1);

  await expect(page.getByTestId('split-counts')).toContainText(`test ${n} ·`);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 8, width: 0.25 });
  await expect(page.getByTestId('train-dataset')).toContainText(`test ${n} ·`);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible({ timeout: 300_000 });

  await page.getByRole('button', { name: 'Evaluate test' }).first().click();
  await expect(page.getByText(/test set: accuracy/)).toContainText(`on ${n} images`, { timeout: 120_000 });

  await page.getByRole('link', { name: 'Fool' }).click();
  await expect(page.getByText(new RegExp(`of ${n} test images`))).toBeVisible({ timeout: 120_000 });
});
