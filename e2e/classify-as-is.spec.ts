/**
 * "Classify this exact image" (issue 16 item 6): a face of the demo set is fooled on the Fool page, the modified
 * PNG is downloaded, decoded here (fast-png) and dropped back with "Use as is": the page classifies the file's own
 * 64×64 pixels (read back from its canvas: bit for bit the file's) as the attack's TARGET class, at least at the
 * attack's stop confidence, with the same probabilities as the model gives those pixels. The same file through
 * face detection (See, "Use as is" off) is not that input: no face, or a different crop. A 128×128 copy is said
 * to be resized.
 */
import { readFile } from 'node:fs/promises';
import { decode, encode } from 'fast-png';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';

type LabWindow = {
  __lab: { getState(): { demo: { runId: string | null } } };
  __labBridge: () => { call(method: string, args: unknown): Promise<unknown> };
};

async function dropFile(page: Page, target: Locator, name: string, bytes: Uint8Array): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      return dt;
    },
    { bytes: Array.from(bytes), name },
  );
  await target.dispatchEvent('drop', { dataTransfer });
}

/** The 64×64 RGB drawn 1:1 on a PixelImage canvas. */
async function canvasRgb(canvas: Locator): Promise<number[]> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const rgba = c.getContext('2d')!.getImageData(0, 0, 64, 64).data;
    return Array.from({ length: 64 * 64 * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
  });
}

async function probability(region: Locator, className: string): Promise<number> {
  return Number(
    await region
      .getByRole('table', { name: 'Class probabilities' })
      .getByRole('row', { name: className })
      .getByRole('cell')
      .getAttribute('data-probability'),
  );
}

test('a downloaded adversarial PNG dropped back "as is" is classified on its exact pixels as the target class', async ({
  page,
}) => {
  test.setTimeout(8 * 60_000);
  await page.goto('./?demo&backend=wasm');
  const face = page.locator('button[data-correct="true"]').nth(1);
  await expect(face).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Bound').selectOption('range');
  const threshold = Number(await page.getByLabel(/target confidence/).inputValue()) / 100;
  expect(threshold).toBeGreaterThanOrEqual(0.5);
  // "Fool face #N: Asha, predicted Asha 98 %": two classes, so the target is the other one.
  const trueClass = /: (\w+), predicted/.exec((await face.getAttribute('aria-label'))!)![1];
  const target = trueClass === 'Asha' ? 'Bela' : 'Asha';
  await face.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  await expect(panel).toContainText(`fooled: ${target}`, { timeout: 180_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download modified PNG' }).click(),
  ]);
  const file = new Uint8Array(await readFile((await download.path())!));
  const png = decode(file);
  expect([png.width, png.height]).toEqual([64, 64]);
  const rgb = Array.from(
    { length: 64 * 64 * 3 },
    (_, i) => (png.data as Uint8Array)[Math.floor(i / 3) * png.channels + (i % 3)],
  );

  // Dropped back with "Use as is": the file's own pixels, classified as the target.
  await page.getByLabel('Use as is (already a 64×64 crop)').check();
  await dropFile(page, page.getByRole('region', { name: 'Your photo' }), 'adversarial.png', file);
  const asIs = page.getByRole('region', { name: 'Image as is' });
  await expect(asIs).toContainText('exact pixels were classified, bit for bit', { timeout: 60_000 });
  await expect(asIs.getByRole('heading')).toContainText(`adversarial.png: ${target}`);
  const pTarget = await probability(asIs, target);
  const pTrue = await probability(asIs, trueClass);
  console.log(
    `[e2e] fooled ${trueClass} → ${target}; the downloaded PNG as is: ${target} ${pTarget.toFixed(4)}, ${trueClass} ${pTrue.toFixed(4)} (threshold ${threshold})`,
  );
  expect(pTarget).toBeGreaterThanOrEqual(threshold);
  expect(pTarget + pTrue).toBeCloseTo(1, 5);
  expect(await canvasRgb(asIs.getByRole('img', { name: 'adversarial.png, as classified' }))).toEqual(rgb);
  // The model on exactly the file's pixels gives exactly what the page shows.
  const probs = await page.evaluate(async (rgb) => {
    const w = window as unknown as LabWindow;
    const runId = w.__lab.getState().demo.runId!;
    return (await w.__labBridge().call('classify', { runId, pixels: new Uint8Array(rgb) })) as {
      probs: number[];
      classNames: string[];
    };
  }, rgb);
  expect(probs.probs[probs.classNames.indexOf(target)]).toBe(pTarget);

  // See: the same file as is gives the same answer; through face detection it is a different input (or none).
  await page.getByRole('link', { name: 'See' }).click();
  const card = page.getByRole('region', { name: 'Classify an image file' });
  await card
    .getByLabel('Image to classify')
    .setInputFiles({ name: 'adversarial.png', mimeType: 'image/png', buffer: Buffer.from(file) });
  const seeAsIs = card.getByRole('region', { name: 'Image as is' });
  await expect(seeAsIs).toContainText('bit for bit', { timeout: 60_000 });
  expect(await probability(seeAsIs, target)).toBe(pTarget);

  await card.getByLabel('Use as is (already a 64×64 crop)').uncheck();
  await card
    .getByLabel('Image to classify')
    .setInputFiles({ name: 'adversarial.png', mimeType: 'image/png', buffer: Buffer.from(file) });
  const detected = card.getByRole('region', { name: /^Classified face \d+ of adversarial\.png$/ });
  const noFace = page.getByRole('alert').filter({ hasText: 'No face found in adversarial.png.' });
  await expect(detected.first().or(noFace)).toBeVisible({ timeout: 60_000 });
  await expect(seeAsIs).toHaveCount(0);
  const crops = await detected.count();
  const seen = crops ? await detected.getByRole('heading').allTextContents() : ['no face found'];
  console.log(`[e2e] the same file through face detection: ${seen.join('; ')}`);
  for (let i = 0; i < crops; i++) expect(await canvasRgb(detected.nth(i).getByRole('img'))).not.toEqual(rgb);

  // Another size is resized, and the page says so.
  const big = encode({
    width: 128,
    height: 128,
    channels: 3,
    data: Uint8Array.from(
      { length: 128 * 128 * 3 },
      (_, i) =>
        rgb[(Math.floor(Math.floor(i / 3) / 128 / 2) * 64 + Math.floor((Math.floor(i / 3) % 128) / 2)) * 3 + (i % 3)],
    ),
  });
  await card.getByLabel('Use as is (already a 64×64 crop)').check();
  await card
    .getByLabel('Image to classify')
    .setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.from(big) });
  await expect(card.getByRole('region', { name: 'Image as is' })).toContainText(
    'The file is 128×128, not 64×64: it was resized to 64×64',
    { timeout: 60_000 },
  );

  // A small PNG declaring 20000×20000 is refused by its header, before the browser would decode 1.6 GB (issue 18).
  const bomb = Buffer.from(encode({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }));
  bomb.writeUInt32BE(20000, 16);
  bomb.writeUInt32BE(20000, 20);
  await card.getByLabel('Image to classify').setInputFiles({ name: 'bomb.png', mimeType: 'image/png', buffer: bomb });
  await expect(page.getByRole('alert')).toContainText('bomb.png: too large: 20000×20000 (400 megapixels, limit 40).');
});
