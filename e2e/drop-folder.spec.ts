/**
 * Dropping a photo folder (issue 23: tests used the picker only). The drop is a real one: Chromium's DevTools
 * `Input.dispatchDragEvent` with the folder's path, as the OS hands a drag to the browser, so the page gets real
 * `FileSystemDirectoryEntry`s and the app's own walk (readEntries batches, entry.file()) reads the disk. The
 * real-photo set (fixtures/realPhotoSet.ts), small: 6 photos per person + 2 broken files each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openLab, test } from './fixtures/lab';
import { readPhotoDataset } from './fixtures/imageVariants';
import { writeRealPhotoFolder, type RealPhotoSet } from './fixtures/realPhotoSet';

let root = '';
let set: RealPhotoSet;

test.beforeAll(async () => {
  test.setTimeout(3 * 60_000);
  root = join(mkdtempSync(join(tmpdir(), 'lookalike-drop-')), 'real');
  set = await writeRealPhotoFolder(root, { perClass: 6 });
});

test.afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

/** Drags `paths` (files or folders on disk) onto the drop zone and drops them, as a user's drag from the OS does. */
async function dropPaths(page: Page, paths: string[]): Promise<void> {
  const zone = page.getByRole('region', { name: 'Folder drop zone' });
  await zone.scrollIntoViewIfNeeded();
  const box = (await zone.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
    await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

async function expectIngested(page: Page, prefix: string): Promise<void> {
  await expect(page.getByRole('status', { name: 'Ingest result' })).toContainText('faces from', { timeout: 150_000 });
  const ds = await readPhotoDataset(page);
  expect(ds.classNames).toEqual(['collins', 'hopper']);
  const sources = ds.sources.map((s) => s.slice(prefix.length));
  for (const s of ds.sources) expect(s.startsWith(prefix), s).toBe(true);
  // Crops only from good photos, each under the class of its folder; most good photos give one.
  const found = set.good.filter((f) => sources.includes(f));
  console.log(
    `[e2e] drop (${prefix}): faces in ${found.length} of ${set.good.length} good photos, ${ds.sources.length} crops`,
  );
  expect(found.length).toBeGreaterThanOrEqual(Math.ceil(0.9 * set.good.length));
  for (const [i, s] of sources.entries()) {
    expect(set.good, s).toContain(s);
    expect(ds.classNames[ds.labels[i]], s).toBe(s.split('/')[0]);
  }
  const lines = await page.getByRole('list', { name: 'Ingest report' }).getByRole('listitem').allTextContents();
  for (const f of set.broken)
    expect(
      lines.filter((l) => l.startsWith(`${prefix}${f} — `)),
      f,
    ).toHaveLength(1);
}

test('a dropped folder is read through its directory entries and ingested like a picked one', async ({ page }) => {
  expect(set.good.length).toBe(12);
  await openLab(page, 'wasm');
  await dropPaths(page, [root]);
  await expectIngested(page, 'real/');
});

test('dropping the class folders themselves works too', async ({ page }) => {
  await openLab(page, 'wasm');
  await dropPaths(
    page,
    set.classNames.map((c) => join(root, c)),
  );
  await expectIngested(page, 'drop/');
});
