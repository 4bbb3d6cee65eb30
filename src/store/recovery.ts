/**
 * Recovery from a lost worker (issue #9 items 2 and 5), without a reload.
 * - Lost GPU: the lab worker reports `GPUDevice.lost` (src/ml/deviceLoss.ts). The page replaces the worker and
 *   inits it again: the backend smoke test decides whether WebGPU works; if it does not, a forced
 *   `?backend=webgpu` is dropped (until a reload) and the normal order picks the next backend. The interrupted
 *   run resumes from its last checkpoint automatically, once: a second loss within REPEAT_LOSS_MS only reports.
 * - Crash: an uncaught error in the lab worker makes the bridge replace it (src/bridge/labBridge.ts); here it
 *   is initialised again with the same options and the user is told what was lost (the epoch in progress of a
 *   run, which stops at its checkpoint and can be resumed; calls in flight). Nothing stored is lost: every
 *   store write is one IndexedDB transaction. The ingest worker's crash is reported by ingestCrashMessage.
 * Test hooks (`?fault=debug` only): LabApi `debugFault`, and `window.__faults.crashIngestWorker()`.
 */
import { create } from 'zustand';
import { debugCrashIngestWorker, type IngestWorkerCrashed } from '../bridge/ingestBridge';
import { labBridge, type LabNotice } from '../bridge/labBridge';
import { listDatasets } from '../db/datasets';
import { openLabDb } from '../db/open';
import { getRun, setRunStatus } from '../db/runs';
import type { BackendInfo, InitArgs } from '../shared/protocol';
import { runsTrainingElsewhere } from '../shared/runLock';
import { faultsForReplacement, initTimeoutMs } from '../db/faults';
import { useLab } from './labStore';
import { errorMessage } from '../shared/errorMessage';

export interface RecoveryNotice {
  kind: 'device-lost' | 'crash';
  text: string;
  /** The run that was training, and whether this page resumed it by itself. */
  runId: string | null;
  autoResumed: boolean;
  /** False while the new worker starts; then the milliseconds from the loss to a ready worker (measured in e2e). */
  ready: boolean;
  ms: number | null;
}

/** The last recovery, shown as an alert by src/app/RecoveryBanner.tsx until dismissed. */
export const useRecovery = create<{ notice: RecoveryNotice | null }>(() => ({ notice: null }));

/** A second GPU loss within this time is reported, not recovered from automatically (a GPU in trouble). */
const REPEAT_LOSS_MS = 5 * 60_000;
/**
 * A replacement worker that has not answered `init` by then is replaced again. After a real GPU loss
 * `requestDevice` may never settle; and here 4 of about 60 injected recoveries stalled in the new worker's
 * backend start while the shared machine was loaded (cause not found, not reproduced on demand; dist/ was
 * being rebuilt under the shared preview server at the time, which may be it).
 * A normal start takes 0.3 s on wasm and about 5 s on WebGPU over SwiftShader. Tests shorten it with
 * `?fault=init-timeout-ms:MS` (and make replacements hang with `?fault=init-hang:N`; src/db/faults.ts).
 */
const INIT_TIMEOUT_MS = 45_000;

class InitTimeout extends Error {}

/** `init` on the current worker; on timeout the worker is replaced (the caller may try once more). */
async function initReplacement(args: InitArgs): Promise<BackendInfo> {
  const ms = initTimeoutMs(args.faults ?? [], INIT_TIMEOUT_MS);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    const info = await Promise.race([labBridge().call('init', args), timedOut]);
    if (info) return info;
  } finally {
    clearTimeout(timer);
  }
  const why = `the new lab worker did not start within ${ms / 1000} s`;
  labBridge().restart(why);
  throw new InitTimeout(why);
}

interface Deps {
  /** The options `initLab` used (the backend from the URL, the base URL, the faults). */
  initArgs: () => InitArgs;
  resume: (runId: string) => Promise<unknown>;
  refresh: () => Promise<void>;
  /** After the new worker is ready (the model summary is rebuilt there). */
  ready: () => void;
}

let deps: Deps | null = null;
let lastDeviceLoss = -Infinity;
let forcedDropped = false;
let recovering = false;
/** Replacement workers this page has initialised (fault `init-hang:N` hangs the first N). */
let replacements = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Called once by initLab: from then on a crashed or GPU-less lab worker is replaced and the user told. */
export function watchLabWorker(d: Deps): void {
  if (deps) return;
  deps = d;
  labBridge().onNotice((notice) => void recover(notice));
  if (new URLSearchParams(location.search).getAll('fault').includes('debug')) {
    (window as unknown as { __faults: object }).__faults = { crashIngestWorker: debugCrashIngestWorker };
  }
}

/** Init arguments for a replacement worker: a forced backend is dropped once a lost GPU did not come back. */
function initArgs(after: InitArgs['after']): InitArgs {
  const args = deps!.initArgs();
  return {
    ...args,
    backend: forcedDropped ? null : args.backend,
    after,
    faults: faultsForReplacement(args.faults ?? [], ++replacements),
  };
}

/** A terminated worker's Web Lock on its run is released asynchronously; resuming before that is refused. */
async function lockReleased(runId: string, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(100)) {
    if (!(await runsTrainingElsewhere()).has(runId)) return;
  }
}

async function recover(notice: LabNotice): Promise<void> {
  if (recovering || !deps) return;
  recovering = true;
  try {
    const deviceLost = notice.type === 'device-lost';
    const now = Date.now();
    const repeated = deviceLost && now - lastDeviceLoss < REPEAT_LOSS_MS;
    if (deviceLost) lastDeviceLoss = now;
    const kind = deviceLost ? 'device-lost' : 'crash';
    const t0 = performance.now();
    const say = (text: string, ready: boolean, runId: string | null = null, autoResumed = false) =>
      useRecovery.setState({
        notice: { kind, text, runId, autoResumed, ready, ms: ready ? Math.round(performance.now() - t0) : null },
      });
    const what = deviceLost
      ? `The GPU device was lost (${notice.reason}${notice.message ? `: ${notice.message}` : ''})`
      : `The lab worker crashed (${notice.message})`;
    // The crash already replaced the worker; a lost device leaves a live worker whose tensors are gone.
    const lost = notice.type === 'crash' ? notice.lost : labBridge().restart(`${what}; the lab is restarting.`);
    if (notice.type === 'crash' && !notice.replaced) {
      say(`${what}, again, within seconds: it was not restarted. Reload the page; nothing stored is lost.`, true);
      return;
    }
    say(`${what}. Restarting the lab…`, false); // at once: starting a backend can take seconds

    // Which run was cut off: a pending train call, or (a lost device can make tfjs throw before the notice
    // arrives) a run of this page that the worker has just marked failed.
    const db = await openLabDb();
    const runId = useLab.getState().training.runId;
    const run = runId ? await getRun(db, runId) : undefined;
    const interrupted =
      run !== undefined &&
      run.epochsDone < run.config.epochs &&
      (lost.includes('train') ||
        (deviceLost && (run.status === 'running' || run.status === 'failed') && now - run.updatedAt < 60_000));
    const checkpoint = run?.checkpointEpoch ?? null;
    const from = checkpoint ? `its checkpoint of epoch ${checkpoint}` : 'its start (no checkpoint yet)';
    if (interrupted) {
      await setRunStatus(db, run.id, 'stopped', `${what}; training stopped at ${from}.`);
      await lockReleased(run.id); // before anyone (this page or the user's Resume) trains it again
    }

    useLab.setState({ backend: { status: 'loading', info: null, error: null } });
    const after = kind;
    let info: BackendInfo;
    let fallback = '';
    try {
      const first = initArgs(after);
      try {
        info = await initReplacement(first);
      } catch (err) {
        const forced = first.backend;
        if (deviceLost && forced !== null) {
          // The forced backend did not come back: drop the choice (until a reload) and take the normal order.
          forcedDropped = true;
          fallback = ` ${forced} could not be restarted (${errorMessage(err)}), so the lab fell back to the next backend; ?backend=${forced} applies again after a reload.`;
        } else if (err instanceof InitTimeout)
          fallback = ` The first new worker was replaced once more (${errorMessage(err)}).`;
        else throw err;
        info = await initReplacement(initArgs(after)); // on a fresh worker
      }
    } catch (err) {
      useLab.setState({ backend: { status: 'error', info: null, error: errorMessage(err) } });
      say(
        `${what}, and no backend could be started again: ${errorMessage(err)}. Reload the page; nothing stored is lost.`,
        true,
      );
      return;
    }
    useLab.setState({ backend: { status: 'ready', info, error: null } });
    deps.ready();

    const parts = [`${what}. The lab restarted on ${info.name}.${fallback}`];
    const resume = interrupted && deviceLost && !repeated;
    if (interrupted && resume)
      parts.push(`Training resumes from ${from}: the batches after it are redone; nothing stored is lost.`);
    else if (interrupted)
      parts.push(
        `${repeated ? 'The GPU was lost twice within 5 minutes, so training was not resumed by itself: the' : 'The'} run stopped at ${from} (only the epoch in progress is lost; everything stored is kept). Resume continues from there.`,
      );
    const others = [...new Set(lost.filter((m) => m !== 'train' && m !== 'init'))];
    if (others.length) parts.push(`Cut off and not saved: ${others.join(', ')} (start it again).`);
    if (!interrupted && others.length === 0) parts.push('Nothing was lost: no training or other work was running.');
    say(parts.join(' '), true, interrupted ? run.id : null, resume);

    await deps.refresh();
    if (resume) void deps.resume(run.id);
  } finally {
    recovering = false;
  }
}

/** What an ingest that died with its worker kept: the faces and photos of its last save (`name` = the dataset's). */
export async function ingestCrashMessage(err: IngestWorkerCrashed, name: string): Promise<string> {
  if (err.notStarted) return `${err.message}. Nothing was stored.`;
  const dataset = await openLabDb()
    .then((db) => listDatasets(db))
    .then((all) => all.find((d) => d.name === name))
    .catch(() => undefined);
  const kept = dataset
    ? `Kept: the ${dataset.count} faces from ${dataset.processed?.length ?? 0} photos saved before the crash (the ingest saves about once a second); the photos after that save were not stored.`
    : 'Nothing had been saved yet.';
  return `${err.message}. ${kept} Pick the same folder again to continue where it stopped: photos already done are skipped.`;
}
