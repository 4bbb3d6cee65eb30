import type { Rng } from './synthetic/rng';

/** Fisher–Yates shuffle driven by our seeded Rng, so splits and batch orders reproduce from a seed. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
