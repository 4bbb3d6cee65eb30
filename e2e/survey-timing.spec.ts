/**
 * The survey's display time checked by a clock the kiosk does not own (issue 23). The kiosk measures how long a
 * pair was shown from its own animation-frame timestamps (src/features/survey/page/timedDisplay.ts), and the survey
 * spec's "≥ 90 % within one frame" graded those numbers with themselves. Here Chromium's compositor reports
 * every frame it produces (DevTools `Page.startScreencast`, each frame with its own timestamp); the test looks
 * at the pixels where the two faces appear and times, per trial, the first frame that shows them to the first
 * that does not. The screencast sends a frame whenever the compositor produces one with a change, stamped with
 * the frame's time, so both edges are frame-exact. Measured here: the compositor shows each pair for 433–450 ms
 * (26 or 27 frames of 16.7 ms) where the kiosk reports 450 ms: within one frame, never longer. Not measured: the
 * display's own scan-out (there is no display here).
 */
import { decode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';
import { readStore } from './fixtures/labDb';

const PAIRS = 8;
const TARGET_MS = 450;

interface Frame {
  t: number; // seconds (compositor timestamp)
  visible: boolean;
}

// One retry, this spec only: it measures real-time frame presentation, and on CI's two cores another spec's browser
// runs beside it; once in two full CI runs a frame was presented 2 frames late (compositor 483 ms, kiosk 450 ms).
// Every attempt must still meet the one-frame bound; Playwright reports a retried pass as "flaky".
test.describe.configure({ retries: 1 });

test("each pair is on screen for the time the kiosk reports, by the compositor's own frame timestamps", async ({
  page,
}) => {
  await page.goto('./?demo&backend=wasm#/survey');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await page.getByLabel('Training faces per person').fill('2');
  await page.getByLabel('Test pairs').fill(String(PAIRS));
  await page.getByLabel('Display time (ms)').fill(String(TARGET_MS));
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByText(/Survey “Lookalike survey” saved/)).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Run survey' }).first().click();
  await page.getByRole('button', { name: 'I agree, start' }).click();
  await page.getByRole('radio', { name: 'No' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Start training' }).click();
  const startTest = page.getByRole('button', { name: 'Start the test' });
  await expect(startTest).toBeVisible({ timeout: 60_000 });

  // Where the faces will be: the stimulus box (laid out while hidden), in CSS pixels.
  const frames: Frame[] = [];
  const cdp = await page.context().newCDPSession(page);
  let box: { x: number; y: number; width: number; height: number } | null = null;
  cdp.on(
    'Page.screencastFrame',
    (f: {
      data: string;
      sessionId: number;
      metadata: { timestamp?: number; deviceWidth: number; deviceHeight: number; offsetTop: number };
    }) => {
      void cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => {});
      if (!box || f.metadata.timestamp === undefined) return;
      const png = decode(Buffer.from(f.data, 'base64'));
      const sx = png.width / f.metadata.deviceWidth;
      const sy = png.height / f.metadata.deviceHeight;
      const channels = png.channels;
      // Brightness over a 6×6 grid inside the stimulus box: the faces are far brighter than the #111 stage and the mask.
      let sum = 0;
      for (let gy = 1; gy <= 6; gy++) {
        for (let gx = 1; gx <= 6; gx++) {
          const x = Math.floor((box.x + (gx / 7) * box.width) * sx);
          const y = Math.floor((box.y + (gy / 7) * box.height - f.metadata.offsetTop) * sy);
          const o = (y * png.width + x) * channels;
          sum += Math.max(png.data[o], png.data[o + 1], png.data[o + 2]);
        }
      }
      frames.push({ t: f.metadata.timestamp, visible: sum / 36 > 70 });
    },
  );
  await startTest.click();
  const stimulus = page.getByTestId('stimulus');
  await expect(stimulus).toBeAttached();
  box = await stimulus.boundingBox();
  await cdp.send('Page.startScreencast', { format: 'png', everyNthFrame: 1 });

  for (let i = 0; i < PAIRS; i++) {
    await expect(page.getByText(`Pair ${i + 1} of ${PAIRS}`)).toBeVisible({ timeout: 30_000 });
    await page.waitForTimeout(300); // the hiding frame is composited before the next pair starts
    await page.getByRole('button', { name: 'Same', exact: true }).click();
  }
  await cdp.send('Page.stopScreencast');
  await page.getByRole('checkbox', { name: 'eyes' }).check();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('status', { name: 'Participant finished' })).toBeVisible();

  const reported = await storedTrials(page);
  // Each shown interval: first visible frame → first frame after it that is not visible.
  const shown: number[] = [];
  for (let k = 1; k < frames.length; k++) {
    if (frames[k].visible && !frames[k - 1].visible) {
      let e = k + 1;
      while (e < frames.length && frames[e].visible) e++;
      if (e >= frames.length) break;
      shown.push((frames[e].t - frames[k].t) * 1000);
      k = e;
    }
  }
  console.log(
    `[e2e] ${frames.length} screencast frames; shown by the compositor (ms): ${shown.map((ms) => ms.toFixed(0)).join(', ')}`,
  );
  console.log(
    `[e2e] shown by the kiosk's clock (ms): ${reported.map((r) => r.shownMs.toFixed(0)).join(', ')}; frame ${reported[0].frameMs.toFixed(1)} ms`,
  );
  expect(shown).toHaveLength(PAIRS);
  for (const [i, ms] of shown.entries()) {
    // One frame (plus 1 ms of timestamp rounding) either way: the kiosk's clock and the compositor's agree to a frame.
    const frame = reported[i].frameMs + 1;
    expect(
      Math.abs(ms - reported[i].shownMs),
      `pair ${i + 1}: compositor ${ms.toFixed(0)} ms, kiosk ${reported[i].shownMs.toFixed(0)} ms`,
    ).toBeLessThanOrEqual(frame);
    expect(
      Math.abs(ms - TARGET_MS),
      `pair ${i + 1}: on screen ${ms.toFixed(0)} ms for ${TARGET_MS}`,
    ).toBeLessThanOrEqual(frame);
  }
});

async function storedTrials(page: Page): Promise<Array<{ shownMs: number; frameMs: number }>> {
  const [result] = await readStore<{ trials: Array<{ shownMs: number; frameMs: number }> }>(page, 'surveyResults');
  return result.trials;
}
