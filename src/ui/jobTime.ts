/**
 * Time left of a job from its measured rate: the units done so far over the time they took, applied to the
 * units still to do. Null until one unit is done (a first step that loads a model says nothing about the rest).
 */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0 || elapsedMs <= 0) return null;
  if (done >= total) return 0;
  const perUnitMs = elapsedMs / done;
  return ((total - done) * perUnitMs) / 1000;
}

/** "12 s", "3 min": seconds under 90, minutes above. */
export function formatSeconds(s: number): string {
  return s < 90 ? `${Math.ceil(s)} s` : `${Math.round(s / 60)} min`;
}
