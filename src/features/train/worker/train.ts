/**
 * A training run: builds (or restores) the model, streams batches from IndexedDB, augments on the fly,
 * reports every batch and epoch, evaluates on the test split, and writes a checkpoint with the run record in
 * one transaction at each epoch end. Pause/stop are honoured between batches. No synchronous readbacks.
 */
import * as tf from '@tensorflow/tfjs';
import { getDataset, getSplit, splitClassCounts } from '../../../db/datasets';
import type { LabDatabase } from '../../../db/open';
import { getCheckpoint, getRun, putRun, setRunStatus, writeCheckpoint } from '../../../db/runs';
import type { RunRecord } from '../../../db/schema';
import { augmentBatch } from '../../data/shared/augment';
import { resolveClassWeights } from '../shared/classWeights';
import type { EpochMetric, TrainArgs, TrainEvent, TrainResult } from '../shared/protocol';
import { Rng, hashSeed } from '../../../shared/synthetic/rng';
import type { TrainingConfig } from '../../../shared/trainingConfig';
import {
  readModelWeights,
  readOptimizerState,
  storedBytes,
  writeModelWeights,
  writeOptimizerState,
} from '../../../ml/checkpoint';
import { batchesPerEpoch, streamBatches } from '../../../ml/data/batchStream';
import { newId } from '../../../shared/newId';
import { yieldToMessages } from '../../../ml/abortPoint';
import { buildModel } from '../../../ml/models';
import { pgdBatch } from '../../fool/worker/pgdBatch';
import { summarizeModel } from '../../../ml/summary';
import { evalStep, makeOptimizer, seedDropout, toInput, trainStep } from '../../../ml/trainStep';
import { isQuotaError, StorageFullError, storageEstimate, storageFullMessage } from '../../../shared/storageFull';
import { errorMessage } from '../../../shared/errorMessage';

/** Pause / resume / stop, set from the message handler while the loop awaits. */
export class TrainControl {
  paused = false;
  stopRequested = false;
  private wake: (() => void) | null = null;

  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.wake?.();
  }
  stop() {
    this.stopRequested = true;
    this.wake?.();
  }
  async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.stopRequested) await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
  }
}

export interface TrainContext {
  db: LabDatabase;
  backend: string;
  control: TrainControl;
  signal?: AbortSignal;
  emit: (e: TrainEvent) => void;
  /** Model handed over at the end so evaluation need not reload it; the trainer disposes it otherwise. */
  keepModel?: (runId: string, model: tf.LayersModel, config: TrainingConfig) => void;
}

/** Test-split loss and accuracy with the model in inference mode. */
export async function evaluateSplit(
  ctx: Pick<TrainContext, 'db'>,
  model: tf.LayersModel,
  datasetId: string,
  split: 'test' | 'validation' | 'train',
  numClasses: number,
): Promise<{ loss: number; accuracy: number; count: number }> {
  const splitRecord = await getSplit(ctx.db, datasetId);
  if (!splitRecord) throw new Error('dataset has no split');
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of streamBatches(ctx.db, datasetId, splitRecord, {
    split,
    batchSize: 64,
    shuffle: false,
    seed: 0,
  })) {
    const x = toInput(batch.pixels, batch.count);
    const y = tf.tensor1d(batch.labels, 'int32');
    const r = evalStep(model, x, y, numClasses);
    const [l, c] = await Promise.all([r.lossSum.data(), r.correct.data()]);
    tf.dispose([x, y, r.probs, r.lossSum, r.correct]);
    lossSum += l[0];
    correct += c[0];
    count += batch.count;
  }
  return { loss: count ? lossSum / count : NaN, accuracy: count ? correct / count : NaN, count };
}

/** Replaces the first `ratio` share of the batch by PGD copies (adversarial training); disposes the input. */
function withAdversarialShare(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: TrainingConfig,
  seed: number,
): tf.Tensor4D {
  const adv = config.adversarial;
  const n = x.shape[0];
  const m = adv ? Math.round(adv.ratio * n) : 0;
  if (!adv || m === 0 || adv.epsilon <= 0) return x;
  const mixed = tf.tidy(() => {
    const head = pgdBatch(model, x.slice(0, m), y.slice(0, m), config.numClasses, { ...adv, seed });
    return m === n ? head : tf.concat([head, x.slice(m)]);
  });
  x.dispose();
  return mixed as tf.Tensor4D;
}

export async function runTraining(args: TrainArgs, ctx: TrainContext): Promise<TrainResult> {
  const { db } = ctx;
  const dataset = await getDataset(db, args.datasetId);
  const split = await getSplit(db, args.datasetId);
  if (!dataset || !split)
    throw new Error('The selected dataset is missing or incomplete. Generate or import one on the Data page.');
  if (split.counts.train === 0) throw new Error('The dataset has no training images.');

  let run: RunRecord;
  let config: TrainingConfig;
  if (args.resumeRunId) {
    const existing = await getRun(db, args.resumeRunId);
    if (!existing) throw new Error(`run ${args.resumeRunId} not found`);
    // Resuming keeps the run's architecture; only the number of epochs may grow.
    config = { ...existing.config, epochs: Math.max(existing.config.epochs, args.config.epochs) };
    run = { ...existing, config, status: 'running', backend: ctx.backend, updatedAt: Date.now(), error: undefined };
  } else {
    const numClasses = dataset.classNames.length;
    // Resolved once, from the split as it is now, and stored with the run: a resume or a later review of the
    // dataset does not change the loss a run optimises (shared/classWeights.ts).
    const counts = await splitClassCounts(db, args.datasetId, split, 'train', numClasses);
    const { weights } = resolveClassWeights(args.config.classWeighting, counts, dataset.classNames);
    config = { ...args.config, numClasses, classWeights: weights ?? undefined };
    run = {
      id: newId('run'),
      datasetId: args.datasetId,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      config,
      status: 'running',
      epochsDone: 0,
      epochs: [],
      batchLog: [],
      backend: ctx.backend,
      checkpointEpoch: null,
    };
  }
  await putRun(db, run);

  const model = buildModel(config, config.seed);
  const optimizer = makeOptimizer(config.optimizer, config.learningRate);
  let handedOver = false;
  try {
    const perEpoch = batchesPerEpoch(split, 'train', config.batchSize);
    let startEpoch = 0;
    if (args.resumeRunId) {
      const cp = await getCheckpoint(db, run.id);
      if (cp) {
        writeModelWeights(model, cp.weights);
        await writeOptimizerState(optimizer, cp.optimizer);
        startEpoch = cp.epoch;
      }
      // Metrics after the last checkpoint belong to work that was lost: drop them.
      run.epochs = run.epochs.filter((e) => e.epoch <= startEpoch);
      run.batchLog = trimBatchLog(run.batchLog, startEpoch * perEpoch);
      run.epochsDone = startEpoch;
    }
    ctx.emit({ type: 'started', runId: run.id, summary: summarizeModel(model), startEpoch, batchesPerEpoch: perEpoch });
    let step = startEpoch * perEpoch;
    const callStart = performance.now();

    for (let epoch = startEpoch + 1; epoch <= config.epochs; epoch++) {
      const t0 = performance.now();
      const augRng = new Rng(hashSeed(config.seed, epoch, 1));
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let batchIndex = 0;
      const batches = streamBatches(db, run.datasetId, split, {
        split: 'train',
        batchSize: config.batchSize,
        shuffle: true,
        seed: hashSeed(config.seed, epoch),
      });
      for await (const batch of batches) {
        // Lets a Pause/Stop sent during the last steps reach ctx.control before this step starts (on wasm the
        // steps' readbacks never return to the message loop: without this, Pause landed at the epoch's end).
        await yieldToMessages();
        if (ctx.control.paused) {
          ctx.emit({ type: 'paused', runId: run.id });
          await setRunStatus(db, run.id, 'paused');
          await ctx.control.waitWhilePaused();
          if (!ctx.control.stopRequested) {
            await setRunStatus(db, run.id, 'running');
            ctx.emit({ type: 'resumed', runId: run.id });
          }
        }
        if (ctx.control.stopRequested || ctx.signal?.aborted) {
          await setRunStatus(db, run.id, 'stopped');
          return { runId: run.id, status: 'stopped', epochsDone: run.epochsDone };
        }
        if (config.augment) augmentBatch(batch.pixels, batch.count, augRng);
        const y = tf.tensor1d(batch.labels, 'int32');
        const x = withAdversarialShare(
          model,
          toInput(batch.pixels, batch.count),
          y,
          config,
          hashSeed(config.seed, step, 7),
        );
        seedDropout(model, hashSeed(config.seed, step, 11));
        const { loss, correct } = trainStep(model, optimizer, x, y, config.numClasses, config.classWeights);
        const [l, c] = await Promise.all([loss.data(), correct.data()]);
        tf.dispose([x, y, loss, correct]);
        step++;
        batchIndex++;
        lossSum += l[0] * batch.count;
        correctSum += c[0];
        seen += batch.count;
        const metric = {
          epoch,
          batch: batchIndex,
          step,
          loss: l[0],
          accuracy: c[0] / batch.count,
          ms: performance.now() - callStart,
          size: batch.count,
        };
        run.batchLog.push(step, metric.loss, metric.accuracy);
        ctx.emit({ type: 'batch', runId: run.id, metric });
      }
      const test = await evaluateSplit(ctx, model, run.datasetId, 'test', config.numClasses);
      const seconds = (performance.now() - t0) / 1000;
      const metric: EpochMetric = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correctSum / seen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        seconds,
        imagesPerSecond: seen / seconds,
      };
      run.epochs.push(metric);
      run.epochsDone = epoch;
      ctx.emit({ type: 'epoch', runId: run.id, metric });

      // Small-set runs (trainingConfig.ts, planTraining) make many tiny epochs: a checkpoint every few of them.
      if (epoch % Math.max(1, config.checkpointEvery ?? 1) !== 0 && epoch !== config.epochs) continue;
      const c0 = performance.now();
      const weights = await readModelWeights(model);
      const optimizerState = await readOptimizerState(optimizer);
      run.checkpointEpoch = epoch;
      run.updatedAt = Date.now();
      if (epoch === config.epochs) run.status = 'completed';
      await writeCheckpoint(db, run, {
        runId: run.id,
        epoch,
        createdAt: Date.now(),
        config,
        weights,
        optimizer: optimizerState,
      });
      ctx.emit({
        type: 'checkpoint',
        runId: run.id,
        epoch,
        bytes: storedBytes(weights) + storedBytes(optimizerState),
        ms: performance.now() - c0,
      });
    }
    if (run.status !== 'completed') await setRunStatus(db, run.id, 'completed');
    if (ctx.keepModel) {
      ctx.keepModel(run.id, model, config);
      handedOver = true;
    }
    return { runId: run.id, status: 'completed', epochsDone: run.epochsDone };
  } catch (err) {
    if (isQuotaError(err)) {
      // The checkpoint's transaction aborted whole: the stored run still points at its previous checkpoint.
      const full = new StorageFullError(
        storageFullMessage(
          await storageEstimate(),
          'The checkpoint of this epoch was not saved; the run keeps the checkpoint before it (if any) and the dataset is untouched.',
          'Free space (delete a dataset or another run), then Resume.',
        ),
      );
      await setRunStatus(db, run.id, 'stopped', full.message).catch(() => {}); // may not fit either
      throw full;
    }
    await setRunStatus(db, run.id, 'failed', errorMessage(err));
    throw err;
  } finally {
    optimizer.dispose();
    if (!handedOver) model.dispose();
  }
}

/** batchLog holds [step, loss, accuracy] triples; keeps those up to maxStep. */
function trimBatchLog(log: number[], maxStep: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < log.length; i += 3) if (log[i] <= maxStep) out.push(log[i], log[i + 1], log[i + 2]);
  return out;
}
