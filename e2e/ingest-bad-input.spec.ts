/**
 * Photo-folder ingest with every bad input a real folder may hold, in the production build with the real
 * BlazeFace detector: one folder (`faces/alice`, `faces/bob`) of good photos — the astronaut as PNG, JPEG,
 * CMYK JPEG, animated GIF and a JPEG stored in each of the 8 EXIF orientations — and bad files: empty,
 * truncated JPEG, text named .jpg, HEIC, a PNG header claiming 20000×20000, SVG with a script, PDF, ZIP, a
 * cat (no face), an animated GIF whose first frame is the cat, and a file named like an HTML tag. Asserts
 * the exact report lines (as text), every good photo stored once with an upright crop, and the split.
 * Fixtures are generated here from python3-skimage's photos (fixtures/imageVariants.ts, README.md).
 *
 * What Chromium 156 does, found by this spec:
 * - truncated JPEG (a valid baseline JPEG cut at half its bytes; the same file whole ingests):
 *   createImageBitmap does not decode partial data — it rejects with InvalidStateError "The source image
 *   could not be decoded." (a quarter of the file too), so it is a report line, worded by imageSniff.ts
 *   decodeFailureReason.
 * - CMYK JPEG (4 components, Adobe APP14, inverted CMYK as Photoshop writes it): decodes to the right
 *   colours; it ingests like the RGB JPEG (same box, nearly the same crop).
 * - animated GIF: createImageBitmap gives the first frame only — astronaut first: one face; cat first
 *   (the astronaut in frame 2): no face found.
 * - EXIF orientations 1–8: `imageOrientation: 'from-image'` applies all eight; every one gives the face
 *   where the upright photo has it, and the same upright crop.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openLab, test } from './fixtures/lab';
import * as v from './fixtures/imageVariants';
import { cropHash, leakCheck, nearCopyGroups, splitMember } from '../src/features/data/shared/nearCopies';

const CROP = 64 * 64 * 3;
const XSS_NAME = '<img src=x onerror=alert(1)>.jpg';
let root = '';
let astronaut: v.Rgb;
let gif: Buffer = Buffer.alloc(0);
const exifBytes: string[] = []; // base64, orientation 1–8
let cmykBytes: Buffer = Buffer.alloc(0);
let rgbBytes: Buffer = Buffer.alloc(0);
let truncated: Buffer = Buffer.alloc(0);
const good: Record<string, 'alice' | 'bob'> = {};

test.beforeAll(() => {
  astronaut = v.loadRgb('astronaut.png');
  const cat = v.loadRgb('chelsea.png');
  root = join(mkdtempSync(join(tmpdir(), 'lookalike-bad-input-')), 'faces');
  const put = (cls: 'alice' | 'bob', name: string, bytes: Buffer | string, isGood = false) => {
    mkdirSync(join(root, cls), { recursive: true });
    writeFileSync(join(root, cls, name), bytes);
    if (isGood) good[`faces/${cls}/${name}`] = cls;
  };
  // Good photos.
  const jpeg = v.jpeg(astronaut);
  put('alice', 'astronaut.png', v.png(astronaut), true);
  put('alice', 'astronaut.jpg', jpeg, true);
  const cmyk = v.cmykJpeg(astronaut);
  [cmykBytes, rgbBytes] = [cmyk, jpeg];
  expect(sofComponents(cmyk), 'cmyk.jpg has 4 components').toBe(4);
  expect(cmyk.includes(Buffer.from('Adobe')), 'cmyk.jpg has an Adobe APP14 segment').toBe(true);
  put('alice', 'cmyk.jpg', cmyk, true);
  gif = v.animatedGif([astronaut, cat]);
  put('alice', 'animated.gif', gif, true);
  // Not square, so a missed rotation would move the face box: 512×400, the face at ≈ (177, 82).
  const upright = v.crop(astronaut, 0, 0, 512, 400);
  for (let o = 1; o <= 8; o++) {
    const stored = v.storedFor(upright, o);
    expect([stored.width, stored.height]).toEqual(o >= 5 ? [400, 512] : [512, 400]);
    const bytes = v.jpeg(stored, { orientation: o });
    exifBytes.push(bytes.toString('base64'));
    put(o <= 4 ? 'alice' : 'bob', `exif-${o}.jpg`, bytes, true);
  }
  // Bad files.
  truncated = jpeg.subarray(0, jpeg.length >> 1); // astronaut.jpg cut at half its bytes
  put('alice', 'truncated.jpg', truncated);
  put('alice', 'animated-cat-first.gif', v.animatedGif([cat, astronaut]));
  put('alice', 'empty.jpg', Buffer.alloc(0));
  put('alice', 'notes.jpg', 'shopping list: milk, eggs\n'); // a .txt renamed .jpg
  put('bob', 'photo.heic', v.heic());
  const huge = v.pngClaiming(20000, 20000);
  expect(huge.length).toBeLessThan(100);
  put('bob', 'huge.png', huge);
  put('bob', 'drawing.svg', v.svgWithScript());
  put('bob', 'document.pdf', v.pdf());
  put('bob', 'album.zip', v.zipOf({ 'alice/a1.jpg': jpeg }));
  put('bob', 'cat.png', v.png(cat));
  put('bob', XSS_NAME, 'not a photo\n');
});

test.afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

/** Components in the first SOFn segment of a JPEG. */
function sofComponents(jpeg: Buffer): number {
  for (let i = 2; i + 9 < jpeg.length;) {
    const marker = jpeg[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return jpeg[i + 9];
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return 0;
}

test('every bad file becomes an exact report line and every good photo one upright face', async ({
  page,
}, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openLab(page, 'wasm');

  // The fixtures are what they claim to be, to Chromium itself: the truncated JPEG does not decode; the GIF
  // has two frames; every EXIF JPEG (stored 512×400 or 400×512, checked above) shows as 512×400. (Chromium
  // 156 applies the orientation even with imageOrientation 'none', so the stored pixels cannot be read back
  // through createImageBitmap.)
  const seen = await page.evaluate(
    async ({ gifB64, exif, truncatedB64 }) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const decoder = new ImageDecoder({ data: bytes(gifB64), type: 'image/gif' });
      await decoder.tracks.ready;
      const frames = decoder.tracks.selectedTrack!.frameCount;
      decoder.close();
      const sizes: string[] = [];
      for (const b64 of exif) {
        const bitmap = await createImageBitmap(new Blob([bytes(b64)]), { imageOrientation: 'from-image' });
        sizes.push(`${bitmap.width}×${bitmap.height}`);
        bitmap.close();
      }
      const truncatedError = await createImageBitmap(new Blob([bytes(truncatedB64)])).then(
        () => 'decoded',
        (err: unknown) => (err instanceof DOMException ? `${err.name}: ${err.message}` : String(err)),
      );
      return { frames, sizes, truncatedError };
    },
    { gifB64: gif.toString('base64'), exif: exifBytes, truncatedB64: truncated.toString('base64') },
  );
  // What decodeFailureReason (imageSniff.ts) turns into "the file is damaged or incomplete".
  expect(seen.truncatedError).toBe('InvalidStateError: The source image could not be decoded.');
  expect(seen.frames).toBe(2);
  expect(seen.sizes).toEqual(new Array(8).fill('512×400'));

  const started = Date.now();
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText('faces from', { timeout: 120_000 });
  console.log(`[e2e] ${await result.textContent()} (${((Date.now() - started) / 1000).toFixed(1)} s wall)`);
  await expect(result).toContainText('12 faces from 12 of 23 photos');

  const report = page.getByRole('list', { name: 'Ingest report' });
  const lines = await report.getByRole('listitem').allTextContents();
  expect([...lines].sort()).toEqual(
    [
      'faces/alice/truncated.jpg — could not decode JPEG: the file is damaged or incomplete',
      'faces/alice/animated-cat-first.gif — no face found',
      'faces/alice/empty.jpg — empty file (0 bytes)',
      'faces/alice/notes.jpg — not an image',
      'faces/bob/photo.heic — HEIC is not supported: convert to JPEG',
      'faces/bob/huge.png — too large: 20000×20000 (400 megapixels, limit 40)',
      'faces/bob/drawing.svg — SVG is not supported: convert to PNG or JPEG',
      'faces/bob/document.pdf — not an image (a PDF document)',
      'faces/bob/album.zip — not an image (a ZIP archive: unzip it and pick the folder)',
      'faces/bob/cat.png — no face found',
      `faces/bob/${XSS_NAME} — not an image`,
    ].sort(),
  );
  // The file name is text: shown literally, no element made from it, nothing ran.
  await expect(report.getByText(`faces/bob/${XSS_NAME}`, { exact: false })).toHaveCount(1);
  await expect(report.locator('img')).toHaveCount(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);

  const ds = await v.readPhotoDataset(page);
  expect(ds.classNames).toEqual(['alice', 'bob']);
  expect(ds.count).toBe(12);
  expect([...ds.sources].sort(), 'every good photo once, one face each').toEqual(Object.keys(good).sort());
  expect(ds.pixels).toHaveLength(12 * CROP);
  const at = (source: string) => {
    const i = ds.sources.indexOf(source);
    return {
      box: ds.boxes[i],
      score: ds.scores[i],
      crop: ds.pixels.slice(i * CROP, (i + 1) * CROP),
      label: ds.labels[i],
    };
  };
  for (const [source, cls] of Object.entries(good)) {
    const { score, label, crop } = at(source);
    expect(label, source).toBe(ds.classNames.indexOf(cls));
    expect(score, source).toBeGreaterThan(0.8);
    expect(new Set(crop).size, `${source}: crop is not uniform`).toBeGreaterThan(50);
  }
  const measures: Record<string, number> = {};
  const near = (a: v.Box, b: v.Box, px: number) =>
    Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height)) <=
    px;

  // CMYK decodes to the same picture as the RGB JPEG of the same pixels.
  const rgbJpeg = at('faces/alice/astronaut.jpg');
  const cmyk = at('faces/alice/cmyk.jpg');
  expect(near(cmyk.box, rgbJpeg.box, 2), JSON.stringify([cmyk.box, rgbJpeg.box])).toBe(true);
  measures.cmyk = v.meanAbsDiff(cmyk.crop, rgbJpeg.crop); // includes a 1-px shift of the box
  expect(measures.cmyk).toBeLessThan(12);
  // Pixel for pixel, Chromium decodes the CMYK file to the picture the RGB JPEG holds (colours right).
  measures.cmykDecoded = await page.evaluate(
    async ([a, b]) => {
      const pixels = async (b64: string) => {
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [p, q] = [await pixels(a), await pixels(b)];
      let sum = 0;
      for (let i = 0; i < p.length; i++) if (i % 4 !== 3) sum += Math.abs(p[i] - q[i]);
      return p.length === q.length ? sum / ((p.length / 4) * 3) : Infinity;
    },
    [cmykBytes.toString('base64'), rgbBytes.toString('base64')],
  );
  expect(measures.cmykDecoded).toBeLessThan(4);
  // The GIF's first frame, in 256 colours, is the astronaut: the same box as the PNG's, and a crop that is
  // the astronaut's face at that box, upright, up to a tilt (the crop is levelled by the eye keypoints,
  // which move a few degrees in the 256-colour copy) — the face upside down matches far worse.
  const png = at('faces/alice/astronaut.png');
  const animated = at('faces/alice/animated.gif');
  expect(near(animated.box, png.box, 3), JSON.stringify([animated.box, png.box])).toBe(true);
  const rendered = v.renderCrop(astronaut, animated.box);
  measures.gifMatch = v.tiltTolerantMatch(animated.crop, rendered);
  measures.gifMatchUpsideDown = v.tiltTolerantMatch(animated.crop, v.flipCrop(rendered, 'vertical'));
  expect(measures.gifMatch).toBeGreaterThan(0.95);
  expect(measures.gifMatchUpsideDown).toBeLessThan(0.65);

  // EXIF: each orientation shows the face where the upright photo has it, in an upright crop. Controls: the
  // reference crop upside down, and mirrored, are far from it — a crop that missed the orientation would be.
  const ref = at('faces/alice/exif-1.jpg');
  expect(ref.box.x).toBeGreaterThan(150);
  expect(ref.box.x + ref.box.width).toBeLessThan(300);
  expect(ref.box.y).toBeGreaterThan(50);
  expect(ref.box.y + ref.box.height).toBeLessThan(210);
  measures.upsideDown = v.meanAbsDiff(ref.crop, v.flipCrop(ref.crop, 'vertical'));
  measures.mirrored = v.meanAbsDiff(ref.crop, v.flipCrop(ref.crop, 'horizontal'));
  expect(measures.upsideDown).toBeGreaterThan(40);
  expect(measures.mirrored).toBeGreaterThan(30);
  for (let o = 2; o <= 8; o++) {
    const e = at(`faces/${o <= 4 ? 'alice' : 'bob'}/exif-${o}.jpg`);
    expect(near(e.box, ref.box, 4), `exif-${o}: ${JSON.stringify([e.box, ref.box])}`).toBe(true);
    measures[`exif${o}`] = v.meanAbsDiff(e.crop, ref.crop);
    expect(measures[`exif${o}`], `exif-${o} crop vs orientation 1`).toBeLessThan(12);
  }
  console.log(
    `[e2e] crop comparisons: ${JSON.stringify(Object.fromEntries(Object.entries(measures).map(([k, d]) => [k, +d.toFixed(3)])))}`,
  );
  const ppm = testInfo.outputPath('exif-crops.ppm'); // the eight EXIF crops side by side, for a look
  const strip = Buffer.alloc(8 * CROP);
  for (let o = 1; o <= 8; o++) {
    const { crop } = at(`faces/${o <= 4 ? 'alice' : 'bob'}/exif-${o}.jpg`);
    for (let y = 0; y < 64; y++) strip.set(crop.slice(y * 192, (y + 1) * 192), (y * 8 + o - 1) * 192);
  }
  writeFileSync(ppm, Buffer.concat([Buffer.from('P6\n512 64\n255\n'), strip]));
  await testInfo.attach('exif-crops.ppm', { path: ppm });

  // The split: every crop has a code. These are all copies of one astronaut photo, so the split is by near-copy
  // group (issue 16): each class keeps some of both, and no test crop is a near copy of a training crop.
  expect(ds.codes).toHaveLength(12);
  const hashes = ds.codes.map((_, i) => cropHash(Uint8Array.from(ds.pixels.slice(i * CROP, (i + 1) * CROP))));
  const groups = nearCopyGroups(hashes, ds.sources);
  for (const cls of ['alice', 'bob'] as const) {
    const mine = ds.sources.map((s, i) => (good[s] === cls ? i : -1)).filter((i) => i >= 0);
    const train = mine.filter((i) => ds.codes[i] === 0).length;
    const groupCount = new Set(mine.map((i) => groups[i])).size;
    console.log(`[e2e] ${cls}: ${groupCount} near-copy groups, train ${train}, test ${mine.length - train}`);
    expect(train, cls).toBeGreaterThan(0);
    // A class whose copies form one group cannot give test faces without leaking; with two or more it must.
    if (groupCount >= 2) expect(mine.length - train, cls).toBeGreaterThan(0);
  }
  const leaks = leakCheck(hashes, splitMember(ds.codes, ds.excluded));
  expect(leaks.testLeaks).toBe(0);
});
