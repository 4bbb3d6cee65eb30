/**
 * The toast queue: short-lived outcomes of an action ("exported", "link copied", a download saved) shown in one
 * region (Toasts.tsx) instead of ad-hoc lines on each page. Info toasts leave by themselves after INFO_MS (later
 * while the pointer or focus is on the region, so a toast being read or closed does not vanish); error toasts stay
 * until closed. The same text again replaces its toast rather than stacking a copy. DOM-free, so it is unit-tested.
 */
import { create } from 'zustand';

export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

/** How long an info toast stays: long enough to read two lines. */
export const INFO_MS = 6000;
/** At most this many at once: the oldest leaves first. */
export const MAX_TOASTS = 4;

interface ToastState {
  toasts: Toast[];
  paused: boolean;
}

export const useToasts = create<ToastState>(() => ({ toasts: [], paused: false }));

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function clearTimer(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
}

/** Arms an info toast's timer; one that runs out while the region is paused waits for another period. */
function arm(id: number): void {
  clearTimer(id);
  timers.set(
    id,
    setTimeout(() => {
      if (useToasts.getState().paused) arm(id);
      else dismissToast(id);
    }, INFO_MS),
  );
}

/** Shows a toast; returns its id. */
export function showToast(text: string, kind: ToastKind = 'info'): number {
  const id = nextId++;
  useToasts.setState((s) => {
    const others = s.toasts.filter((t) => {
      const same = t.text === text && t.kind === kind;
      if (same) clearTimer(t.id);
      return !same;
    });
    const kept = others.slice(Math.max(0, others.length - (MAX_TOASTS - 1)));
    for (const t of others) if (!kept.includes(t)) clearTimer(t.id);
    return { toasts: [...kept, { id, kind, text }] };
  });
  if (kind === 'info') arm(id);
  return id;
}

export function dismissToast(id: number): void {
  clearTimer(id);
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** While the pointer or keyboard focus is on the toasts, none leaves by itself. */
export function pauseToasts(paused: boolean): void {
  useToasts.setState({ paused });
}
