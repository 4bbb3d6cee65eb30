/**
 * One trainer per run across tabs (Web Locks, shared by every tab and worker of this origin): the lab worker
 * holds `lookalike-run-<id>` while it trains a run, refuses to resume a run whose lock another tab holds, and
 * the Train page shows such a run as "training in another tab" instead of "interrupted".
 */
export const runLockName = (runId: string) => `lookalike-run-${runId}`;

interface LockManagerLike {
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

function locks(): LockManagerLike | null {
  return (globalThis.navigator as unknown as { locks?: LockManagerLike } | undefined)?.locks ?? null;
}

/** Run ids whose training lock is held anywhere in this browser (empty without Web Locks). */
export async function runsTrainingElsewhere(): Promise<Set<string>> {
  const manager = locks();
  if (!manager) return new Set();
  const { held = [] } = await manager.query();
  const prefix = runLockName('');
  return new Set(
    held
      .map((l) => l.name ?? '')
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length)),
  );
}
