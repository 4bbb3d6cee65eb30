/**
 * Honest stimulus timing from animation-frame timestamps (the approach of jsPsych and PsychoPy's web
 * runtime): a change made before a frame's callback is painted in that frame, so the stimulus is on screen
 * from the first frame callback after `show()` until the frame callback in which `hide()` runs. We hide at the
 * first frame where the elapsed time is within half a frame of the target, and report what was measured.
 */

/** Median interval between animation frames over `frames` frames (the display's refresh period). */
export function measureFrameMs(frames = 12): Promise<number> {
  return new Promise((resolve) => {
    const stamps: number[] = [];
    const tick = (t: number) => {
      stamps.push(t);
      if (stamps.length <= frames) requestAnimationFrame(tick);
      else {
        const d = stamps
          .slice(1)
          .map((s, i) => s - stamps[i])
          .sort((a, b) => a - b);
        resolve(d[Math.floor(d.length / 2)]);
      }
    };
    requestAnimationFrame(tick);
  });
}

export interface DisplayTiming {
  /** Measured on-screen time: hide frame timestamp − show frame timestamp. */
  shownMs: number;
  targetMs: number;
  frameMs: number;
  /** More than one frame longer than asked for. */
  overran: boolean;
  /** performance.now() timescale: when the stimulus went away (response times count from here). */
  hiddenAt: number;
}

export function showFor(targetMs: number, frameMs: number, show: () => void, hide: () => void): Promise<DisplayTiming> {
  return new Promise((resolve) => {
    show();
    let onset = -1;
    const tick = (t: number) => {
      if (onset < 0) {
        onset = t;
        requestAnimationFrame(tick);
        return;
      }
      if (t - onset >= targetMs - frameMs / 2) {
        hide();
        const shownMs = t - onset;
        resolve({ shownMs, targetMs, frameMs, overran: shownMs > targetMs + frameMs, hiddenAt: t });
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
