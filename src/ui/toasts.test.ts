/** The toast queue's rules: info leaves after INFO_MS (not while paused), errors stay, same text replaces, a cap. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INFO_MS, MAX_TOASTS, dismissToast, pauseToasts, showToast, useToasts } from './toasts';

const texts = () => useToasts.getState().toasts.map((t) => `${t.kind}:${t.text}`);

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    for (const t of useToasts.getState().toasts) dismissToast(t.id);
    pauseToasts(false);
    vi.useRealTimers();
  });

  it('an info toast leaves by itself after INFO_MS; an error stays until closed', () => {
    showToast('Exported demo (1.2 MB).');
    const error = showToast('Could not copy the link.', 'error');
    vi.advanceTimersByTime(INFO_MS - 1);
    expect(texts()).toEqual(['info:Exported demo (1.2 MB).', 'error:Could not copy the link.']);
    vi.advanceTimersByTime(1);
    expect(texts()).toEqual(['error:Could not copy the link.']);
    vi.advanceTimersByTime(10 * INFO_MS);
    expect(texts()).toEqual(['error:Could not copy the link.']);
    dismissToast(error);
    expect(texts()).toEqual([]);
  });

  it('stays while paused (pointer or focus on it) and leaves a period after', () => {
    showToast('Link copied.');
    pauseToasts(true);
    vi.advanceTimersByTime(3 * INFO_MS);
    expect(texts()).toEqual(['info:Link copied.']);
    pauseToasts(false);
    vi.advanceTimersByTime(INFO_MS);
    expect(texts()).toEqual([]);
  });

  it('the same text again replaces its toast and restarts its time; at most MAX_TOASTS, the oldest leaves', () => {
    showToast('Link copied.');
    vi.advanceTimersByTime(INFO_MS - 100);
    showToast('Link copied.');
    vi.advanceTimersByTime(200);
    expect(texts()).toEqual(['info:Link copied.']);
    for (let i = 0; i < MAX_TOASTS + 2; i++) showToast(`saved ${i}`, 'error');
    expect(texts()).toEqual(Array.from({ length: MAX_TOASTS }, (_, k) => `error:saved ${k + 2}`));
  });
});
