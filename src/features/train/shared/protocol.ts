/**
 * The Train capability's lab-worker calls: training (streamed as TrainEvents) and evaluation.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { ModelSummary, SplitName } from '../../../shared/protocol';
import type { TrainingConfig } from '../../../shared/trainingConfig';

export interface BatchMetric {
  epoch: number;
  batch: number;
  /** Global step count since the run began. */
  step: number;
  loss: number;
  accuracy: number;
  /** Milliseconds since this training call started (throughput without a clock on the page side). */
  ms: number;
  size: number;
}

export interface EpochMetric {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface MisclassifiedImage {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  pixels: Uint8Array;
}

export interface Evaluation {
  runId: string;
  split: SplitName;
  count: number;
  accuracy: number;
  loss: number;
  /** confusion[trueClass][predictedClass] */
  confusion: number[][];
  perClassAccuracy: number[];
  misclassified: MisclassifiedImage[];
}

export interface TrainArgs {
  datasetId: string;
  config: TrainingConfig;
  /** Resume this run from its last checkpoint instead of starting a new one. */
  resumeRunId?: string;
}

export type TrainEvent =
  | { type: 'started'; runId: string; summary: ModelSummary; startEpoch: number; batchesPerEpoch: number }
  | { type: 'batch'; runId: string; metric: BatchMetric }
  | { type: 'epoch'; runId: string; metric: EpochMetric }
  | { type: 'checkpoint'; runId: string; epoch: number; bytes: number; ms: number }
  | { type: 'paused'; runId: string }
  | { type: 'resumed'; runId: string };

export interface TrainResult {
  runId: string;
  status: 'completed' | 'stopped';
  epochsDone: number;
}

export interface TrainApi {
  train(args: TrainArgs): Promise<TrainResult>;
  evaluate(args: { runId: string; split: SplitName }): Promise<Evaluation>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface TrainProgress {
  train: TrainEvent;
  evaluate: { done: number; total: number };
}
