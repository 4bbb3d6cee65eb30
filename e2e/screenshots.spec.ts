/**
 * The README's screenshots stay true: `npm run screenshots` (scripts/screenshots.mjs) is run as a user runs it,
 * into a temporary folder, against the built app; every expected PNG must be there, 1280×900, and show a page
 * (not a blank or one-colour frame); the dark-mode shot must be darker than its light twin. The expected list is
 * written here, not read from the script, so a script that stops taking a page fails this spec.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { test, expect } from '@playwright/test';

const EXPECTED = ['demo', 'data', 'train', 'see', 'fool', 'survey', 'share', 'dark-fool'];

/** Mean and standard deviation of the luminance (0–255) of a decoded RGB(A) PNG. */
function luminance(png: ReturnType<typeof decode>): { mean: number; sd: number } {
  const channels = png.channels;
  let sum = 0;
  let sumSq = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const y = 0.2126 * png.data[o] + 0.7152 * png.data[o + 1] + 0.0722 * png.data[o + 2];
    sum += y;
    sumSq += y * y;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt(Math.max(0, sumSq / n - mean * mean)) };
}

test('npm run screenshots renders every page, the demo landing and dark mode to real 1280×900 PNGs', async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'lookalike-shots-'));
  try {
    const t0 = Date.now();
    const run = spawnSync('npm', ['run', '--silent', 'screenshots', '--', '--out', dir], {
      encoding: 'utf8',
      timeout: 200_000,
    });
    const seconds = (Date.now() - t0) / 1000;
    expect(run.status, `screenshots script failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
    console.log(`[e2e] ${run.stdout.trim()} (spawned run ${seconds.toFixed(1)} s)`);

    const stats: Record<string, { mean: number; sd: number }> = {};
    for (const name of EXPECTED) {
      const bytes = readFileSync(join(dir, `${name}.png`));
      const png = decode(bytes);
      expect([png.width, png.height], `${name}.png size`).toEqual([1280, 900]);
      stats[name] = luminance(png);
      console.log(
        `[e2e] ${name}.png: ${(bytes.length / 1024).toFixed(0)} KiB, luminance ${stats[name].mean.toFixed(1)} ± ${stats[name].sd.toFixed(1)}`,
      );
      // A page has text, controls and images on its background: a blank or one-colour frame has sd ≈ 0.
      expect(stats[name].sd, `${name}.png looks blank`).toBeGreaterThan(12);
    }
    // Dark mode really turned the page dark (the same view, light and dark).
    expect(stats['dark-fool'].mean, 'dark-fool.png is not darker than fool.png').toBeLessThan(stats['fool'].mean - 60);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
