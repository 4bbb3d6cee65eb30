/** The Train capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts. */
import { openLabDb } from '../../../db/open';
import { requireBackend, withLab, type HandlersOf } from '../../../ml/core/callContext';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { runLockName, runsTrainingElsewhere } from '../../../shared/runLock';
import type { ControlAction } from '../../../shared/protocol';
import type { TrainApi, TrainProgress } from '../shared/protocol';
import { evaluateModel } from './evaluate';
import { TrainControl, runTraining } from './train';

/** The training calls in progress, by call id: Pause/Resume/Stop messages reach their loop through these. */
const trainControls = new Map<number, TrainControl>();

/** A Pause, Resume or Stop for call `id` (ignored when that call is not a training run, or has ended). */
export function controlTraining(id: number, action: ControlAction): void {
  const control = trainControls.get(id);
  if (action === 'pause') control?.pause();
  else if (action === 'resume') control?.resume();
  else control?.stop();
}

export const trainHandlers: HandlersOf<TrainApi, TrainProgress> = {
  async train(args, ctx) {
    if (args.resumeRunId && (await runsTrainingElsewhere()).has(args.resumeRunId)) {
      throw new Error('This run is being trained in another tab; resume it there (or close that tab first).');
    }
    const control = new TrainControl();
    trainControls.set(ctx.id, control);
    // Hold the run's Web Lock from the moment its id is known until training ends in any way.
    let release: () => void = () => {};
    const finished = new Promise<void>((resolve) => (release = resolve));
    try {
      return await runTraining(args, {
        db: await openLabDb(),
        backend: (await requireBackend()).name,
        control,
        signal: ctx.signal,
        emit: (e) => {
          if (e.type === 'started') void navigator.locks?.request(runLockName(e.runId), () => finished);
          ctx.progress(e);
        },
      });
    } finally {
      release();
      trainControls.delete(ctx.id);
    }
  },
  async evaluate(args, ctx) {
    const db = await withLab();
    const { model, config, datasetId } = await loadRunModel(db, args.runId);
    try {
      return await evaluateModel(
        db,
        model,
        args.runId,
        datasetId,
        config.numClasses,
        args.split,
        ctx.progress,
        ctx.signal,
      );
    } finally {
      model.dispose();
    }
  },
};
