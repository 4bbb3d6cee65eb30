/**
 * What the UI can ask for. Each action calls the lab worker through the bridge or reads IndexedDB, and
 * writes the outcome into the store. Errors become messages in the store, never uncaught exceptions.
 */
import { appBaseUrl } from '../bridge/appBaseUrl';
import { IngestWorkerCrashed, importCropFiles, ingestFiles } from '../bridge/ingestBridge';
import { labBridge } from '../bridge/labBridge';
import { labelFolder } from '../features/data/shared/photoFolder';
import { listDatasets } from '../db/datasets';
import { openLabDb } from '../db/open';
import { deleteRun, listRuns } from '../db/runs';
import type { TrainEvent } from '../features/train/shared/protocol';
import type { SplitName } from '../shared/protocol';
import type { IngestProgress } from '../features/data/shared/ingestProtocol';
import { BACKENDS, type BackendName } from '../shared/backends';
import { runsTrainingElsewhere } from '../shared/runLock';
import type { TrainingConfig } from '../shared/trainingConfig';
import { initialTraining, patchTraining, useLab } from './labStore';
import { ingestCrashMessage, watchLabWorker } from './recovery';
import { deviceKey, measureBackends } from '../bridge/measureBackends';
import { backendSetting, cachedChoice, decideBackend, storeChoice, type BackendChoice } from '../shared/backendChoice';
import type { Architecture } from '../shared/trainingConfig';
import { errorMessage } from '../shared/errorMessage';

export function backendFromUrl(search: string = location.search): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  return value && (BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : null;
}

/** `?threads=N`: at most N wasm threads (1 = the single-threaded build, as before issue 17); for benchmarks and tests. */
export function wasmThreadsFromUrl(search: string = location.search): number | null {
  const n = Number(new URLSearchParams(search).get('threads'));
  return Number.isInteger(n) && n >= 1 ? n : null;
}

export async function initLab(): Promise<void> {
  useLab.setState({ backend: { status: 'loading', info: null, error: null } });
  // A crashed or GPU-less worker is replaced and initialised again with these options (store/recovery.ts).
  const baseArgs = () => ({
    backend: backendFromUrl() ?? backendSetting(localStorage, BACKENDS),
    baseUrl: appBaseUrl(),
    faults: new URLSearchParams(location.search).getAll('fault'),
    wasmThreads: wasmThreadsFromUrl(),
  });
  let initArgs = baseArgs;
  watchLabWorker({
    initArgs: () => initArgs(),
    resume: (runId) => startTraining(runId),
    refresh: refreshLists,
    ready: () => void refreshSummary(),
  });
  await refreshLists();
  try {
    const choice = await chooseBackend(useLab.getState().config.architecture, appBaseUrl());
    // Recovery (a replaced worker) starts on the same backend the choice gave.
    if (choice) initArgs = () => ({ ...baseArgs(), backend: choice.name });
    const info = await labBridge().call('init', initArgs());
    useLab.setState({
      backend: { status: 'ready', info: choice ? { ...info, forced: false, choice } : info, error: null },
    });
    void refreshSummary();
    if (new URLSearchParams(location.search).has('demo')) void openDemo();
  } catch (err) {
    useLab.setState({ backend: { status: 'error', info: null, error: errorMessage(err) } });
  }
}

/**
 * Backend choice by measurement (src/shared/backendChoice.ts): null when `?backend=` or the user's setting
 * names one; else the cached choice for this device and preset, or a new measurement (then cached).
 */
async function chooseBackend(preset: Architecture, baseUrl: string): Promise<BackendChoice | null> {
  const device = await deviceKey();
  const decision = decideBackend({
    fromUrl: backendFromUrl(),
    setting: backendSetting(localStorage, BACKENDS),
    cached: cachedChoice(localStorage, device, preset),
  });
  if (decision.source === 'url' || decision.source === 'setting') return null;
  if (decision.source === 'cache') return decision.choice;
  const choice = await measureBackends(
    preset,
    baseUrl,
    (timings) =>
      useLab.setState({ backend: { status: 'loading', info: null, error: null, measuring: { preset, timings } } }),
    new URLSearchParams(location.search).get('probe') === 'all',
    wasmThreadsFromUrl(),
  );
  storeChoice(localStorage, device, choice);
  return choice;
}

/** Datasets above this many images make the app ask the browser not to evict its storage (once). */
const PERSIST_ABOVE_IMAGES = 1000;

export async function refreshLists(): Promise<void> {
  const db = await openLabDb();
  const [datasets, runs, surveyCount] = await Promise.all([listDatasets(db), listRuns(db), db.count('surveys')]);
  if (
    datasets.some((d) => d.count > PERSIST_ABOVE_IMAGES) &&
    navigator.storage?.persisted &&
    !(await navigator.storage.persisted())
  ) {
    // Hours of gathered photos should not vanish when the disk fills; the browser may still say no.
    void navigator.storage.persist?.();
  }
  useLab.setState((s) => ({
    datasets,
    runs,
    surveyCount,
    selectedDatasetId:
      s.selectedDatasetId && datasets.some((d) => d.id === s.selectedDatasetId)
        ? s.selectedDatasetId
        : (datasets.find((d) => d.complete)?.id ?? null),
  }));
}

export async function generateDemo(count: number, seed = 42): Promise<void> {
  useLab.setState({ generation: { done: 0, total: count }, dataError: null });
  try {
    const r = await labBridge().call(
      'generateDemo',
      { count, seed, name: `Synthetic lookalikes (${count})` },
      { onProgress: (p) => useLab.setState({ generation: p }) },
    );
    useLab.setState({ selectedDatasetId: r.datasetId, lastGeneration: { count: r.count, ms: r.ms } });
  } catch (err) {
    useLab.setState({ dataError: errorMessage(err) });
  } finally {
    useLab.setState({ generation: null });
    await refreshLists();
  }
}

/**
 * Installs the demo (seeded synthetic lookalikes + the pretrained compact model shipped in public/demo) and
 * opens the Fool page on it: from a shared link to a face ready to click, with no training.
 */
export async function openDemo(page = 'fool'): Promise<void> {
  if (useLab.getState().demo.status === 'installing') return;
  useLab.setState({ demo: { status: 'installing', runId: null, ms: null, error: null } });
  try {
    const r = await labBridge().call('installDemo', { baseUrl: appBaseUrl() });
    await refreshLists();
    useLab.setState({
      selectedDatasetId: r.datasetId,
      demo: { status: 'ready', runId: r.runId, ms: r.ms, error: null },
    });
    const current = location.hash.replace(/^#\/?/, '').split('?')[0];
    if (current === '' || current === 'data') location.hash = `#/${page}`;
  } catch (err) {
    useLab.setState({
      demo: { status: 'error', runId: null, ms: null, error: `The demo could not be installed: ${errorMessage(err)}` },
    });
  }
}

let ingestAbort: AbortController | null = null;

/**
 * Ingests a picked or dropped photo folder: labels from the first-level sub-folders (shared/photoFolder.ts),
 * then the ingest worker decodes, detects, crops and stores. Files skipped for their place in the folder
 * come first in the report, then the worker's lines.
 */
/**
 * A picked or dropped folder becomes a dataset: every face found becomes a crop (photo ingest, resumable), or
 * with `asIs` every image is a face crop already, resized to 64×64 without detection (all or nothing).
 */
export async function ingestFolder(
  entries: Array<{ file: File; path: string }>,
  opts: { asIs?: boolean } = {},
): Promise<void> {
  if (useLab.getState().ingest) return;
  const folder = labelFolder(entries.map((e) => ({ item: e.file, path: e.path })));
  if (folder.refused) {
    useLab.setState({ lastIngest: null, dataError: folder.refused });
    return;
  }
  const skipped = folder.skipped.map((s) => ({ file: s.path, reason: s.reason }));
  const files = folder.items.map((i) => ({ file: i.item, path: i.path, label: i.label, isValidation: i.isValidation }));
  const name = `${opts.asIs ? 'Crops' : 'Photos'}: ${folder.root ?? 'folder'}`;
  // The same folder again (after a reload, a Cancel, or with photos added): continue that dataset.
  const previous = opts.asIs
    ? undefined
    : useLab
        .getState()
        .datasets.find(
          (d) => d.kind === 'photos' && d.name === name && d.classNames.join('\n') === folder.classNames.join('\n'),
        );
  const started = performance.now();
  ingestAbort = new AbortController();
  const signal = ingestAbort.signal;
  useLab.setState({
    ingest: {
      done: 0,
      total: files.length,
      faces: 0,
      skipped: 0,
      startedAt: started,
      resuming: previous !== undefined,
    },
    lastIngest: null,
    dataError: null,
  });
  const onProgress = (p: IngestProgress) => useLab.setState((s) => ({ ingest: s.ingest && { ...s.ingest, ...p } }));
  try {
    if (files.length === 0) {
      useLab.setState({
        lastIngest: {
          datasetId: null,
          crops: 0,
          photos: 0,
          files: 0,
          ms: 0,
          report: skipped,
          cancelled: false,
          skipped: 0,
          duplicates: 0,
        },
        dataError: 'No photos in class sub-folders: pick a folder with one sub-folder per person.',
      });
      return;
    }
    if (opts.asIs) {
      const r = await importCropFiles({ name, classNames: folder.classNames, files }, onProgress, signal);
      useLab.setState({
        lastIngest: {
          datasetId: r.datasetId,
          crops: r.count,
          photos: r.count,
          files: files.length,
          ms: performance.now() - started,
          report: [...skipped, ...r.report],
          cancelled: false,
          skipped: 0,
          duplicates: 0,
          asIs: { split: r.split ?? { train: 0, test: 0, validation: 0 } },
        },
        selectedDatasetId: r.datasetId,
      });
      return;
    }
    const r = await ingestFiles(
      { name, classNames: folder.classNames, files, seed: 42, appendTo: previous?.id },
      onProgress,
      signal,
    );
    useLab.setState({
      lastIngest: {
        datasetId: r.datasetId,
        crops: r.crops,
        photos: r.photos,
        files: files.length,
        ms: performance.now() - started,
        report: [...skipped, ...r.report],
        cancelled: signal.aborted,
        skipped: r.skipped,
        duplicates: r.duplicates,
      },
    });
    if (r.datasetId) useLab.setState({ selectedDatasetId: r.datasetId });
  } catch (err) {
    if (opts.asIs && signal.aborted) {
      useLab.setState({
        lastIngest: {
          datasetId: null,
          crops: 0,
          photos: 0,
          files: files.length,
          ms: performance.now() - started,
          report: skipped,
          cancelled: true,
          skipped: 0,
          duplicates: 0,
          asIs: { split: { train: 0, test: 0, validation: 0 } },
        },
      });
    } else {
      useLab.setState({
        dataError: err instanceof IngestWorkerCrashed ? await ingestCrashMessage(err, name) : errorMessage(err),
      });
    }
  } finally {
    ingestAbort = null;
    useLab.setState({ ingest: null });
    await refreshLists();
  }
}

/** Stops the running ingest after the current photo; what is stored so far becomes the dataset. */
export function cancelIngest(): void {
  ingestAbort?.abort();
}

export function selectDataset(id: string): void {
  useLab.setState({ selectedDatasetId: id });
}

export function setConfig(patch: Partial<TrainingConfig>): void {
  const before = useLab.getState().config;
  const config = { ...before, ...patch };
  useLab.setState({ config });
  const shapeChanged = (['architecture', 'batchNormLayers', 'dropout', 'widthMultiplier'] as const).some(
    (k) => before[k] !== config[k],
  );
  if (shapeChanged) void refreshSummary();
}

let summaryRequest = 0;
export async function refreshSummary(): Promise<void> {
  if (useLab.getState().backend.status !== 'ready') return;
  const ticket = ++summaryRequest;
  useLab.setState({ summaryLoading: true, summaryError: null });
  try {
    const summary = await labBridge().call('summarize', useLab.getState().config);
    if (ticket === summaryRequest) useLab.setState({ summary, summaryLoading: false });
  } catch (err) {
    if (ticket === summaryRequest) useLab.setState({ summaryError: errorMessage(err), summaryLoading: false });
  }
}

function onTrainEvent(e: TrainEvent) {
  const t = useLab.getState().training;
  switch (e.type) {
    case 'started':
      patchTraining({ status: 'running', runId: e.runId, batchesPerEpoch: e.batchesPerEpoch });
      useLab.setState({ summary: e.summary });
      break;
    case 'batch':
      patchTraining({ batches: [...t.batches, e.metric] });
      break;
    case 'epoch':
      patchTraining({ epochs: [...t.epochs, e.metric] });
      break;
    case 'checkpoint':
      patchTraining({ checkpoint: { epoch: e.epoch, bytes: e.bytes, ms: e.ms } });
      void refreshLists();
      break;
    case 'paused':
      patchTraining({ status: 'paused' });
      break;
    case 'resumed':
      patchTraining({ status: 'running' });
      break;
  }
}

/** Starts a new run, or resumes `resumeRunId` from its last checkpoint. Resolves when training ends. */
export async function startTraining(resumeRunId?: string, configOverride?: TrainingConfig): Promise<string | null> {
  const s = useLab.getState();
  const resumed = resumeRunId ? s.runs.find((r) => r.id === resumeRunId) : undefined;
  const datasetId = resumed?.datasetId ?? s.selectedDatasetId;
  if (!datasetId) {
    patchTraining({ error: 'No dataset yet: generate the demo dataset or import photos on the Data page.' });
    return null;
  }
  patchTraining({
    ...initialTraining,
    status: 'starting',
    runId: resumeRunId ?? null,
    // A resumed run shows its history up to the checkpoint it continues from.
    batches: resumed ? batchesFromLog(resumed.batchLog, resumed.checkpointEpoch ?? 0, resumed.epochsDone) : [],
    epochs: resumed ? resumed.epochs.filter((e) => e.epoch <= (resumed.checkpointEpoch ?? 0)) : [],
  });
  try {
    const result = await labBridge().call(
      'train',
      // A resumed run keeps its own settings, not whatever the form shows after a reload.
      { datasetId, config: configOverride ?? resumed?.config ?? s.config, resumeRunId },
      { onProgress: onTrainEvent, onStart: (callId) => patchTraining({ callId }) },
    );
    return result.runId;
  } catch (err) {
    patchTraining({ error: errorMessage(err) });
    return null;
  } finally {
    patchTraining({ status: 'idle', callId: null });
    await refreshLists();
  }
}

function batchesFromLog(log: number[], checkpointEpoch: number, epochsDone: number) {
  const triples = log.length / 3;
  const perEpoch = epochsDone > 0 ? triples / epochsDone : 0;
  const out = [];
  for (let i = 0; i < triples; i++) {
    const step = log[i * 3];
    const epoch = perEpoch ? Math.ceil(step / perEpoch) : 1;
    if (epoch <= checkpointEpoch)
      out.push({ epoch, batch: 0, step, loss: log[i * 3 + 1], accuracy: log[i * 3 + 2], ms: 0, size: 0 });
  }
  return out;
}

export function controlTraining(action: 'pause' | 'resume' | 'stop'): void {
  const { callId } = useLab.getState().training;
  if (callId === null) return;
  if (action === 'stop') patchTraining({ status: 'stopping' });
  labBridge().control(callId, action);
}

/**
 * Evaluates a run on a split; `opts` carries the page job's signal and progress (src/ui/useWorkerJob.ts). A
 * cancelled evaluation leaves no result and no error, and rethrows so the job says it was cancelled.
 */
export async function evaluateRun(
  runId: string,
  split: SplitName,
  opts: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {},
): Promise<void> {
  useLab.setState({ evaluation: { loading: true, result: null, error: null } });
  try {
    const result = await labBridge().call('evaluate', { runId, split }, opts);
    useLab.setState({ evaluation: { loading: false, result, error: null } });
  } catch (err) {
    const cancelled = opts.signal?.aborted === true;
    useLab.setState({ evaluation: { loading: false, result: null, error: cancelled ? null : errorMessage(err) } });
    if (cancelled) throw err;
  }
}

export async function removeRun(runId: string): Promise<void> {
  // A run another tab is training would come back with its next checkpoint (issue 18): refuse while its lock is held.
  if (useLab.getState().training.runId !== runId && (await runsTrainingElsewhere()).has(runId)) {
    throw new Error('Another tab is training this run: stop it there first, then delete it.');
  }
  await deleteRun(await openLabDb(), runId);
  await refreshLists();
}
