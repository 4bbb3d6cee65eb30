/**
 * Training configuration shared by the UI and the trainer worker: plain data only, so it can be posted to the
 * worker, stored with every run and checkpoint, and put in a URL.
 */
import type { ClassWeighting } from '../features/train/shared/classWeights';

export const ARCHITECTURES = ['compact', 'paper', 'vgg16', 'vgg19'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const ARCHITECTURE_LABELS: Record<Architecture, string> = {
  compact: 'Compact (default, fast)',
  paper: 'Paper custom VGG (13 conv, 64.6 M params)',
  vgg16: 'VGG16 at 64×64',
  vgg19: 'VGG19 at 64×64',
};

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ModelOptions {
  architecture: Architecture;
  /** Number of classes at the softmax. */
  numClasses: number;
  /** Dropout rate before the softmax layer. */
  dropout: number;
  /** Batch-norm layers in the dense head (paper: 2; 0–2). VGG16/19 ignore it to keep Keras' counts. */
  batchNormLayers: number;
  /** Width multiplier for the compact model's conv channels (1 = default); lets tests run tiny models. */
  widthMultiplier: number;
}

/**
 * Adversarial training (paper §10's future work; Madry et al. 2018): a share of every training batch is
 * replaced by PGD examples made against the current weights. Absent = ordinary training.
 */
export interface AdversarialTraining {
  /** L∞ radius in levels. */
  epsilon: number;
  /** Share of each batch replaced by its adversarial copies (0–1). */
  ratio: number;
  steps: number;
  /** Levels per PGD step. */
  stepSize: number;
}

export const DEFAULT_ADVERSARIAL: AdversarialTraining = { epsilon: 8, ratio: 0.5, steps: 3, stepSize: 3 };

export interface TrainingConfig extends ModelOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  /** ±5° rotation and horizontal mirror applied on the fly to training batches. */
  augment: boolean;
  /** Seed for weight init, shuffling and augmentation, so a run can be reproduced. */
  seed: number;
  adversarial?: AdversarialTraining;
  /**
   * Small-set recipe (see `planTraining`): `epochs` becomes a minimum, raised so the run makes at least
   * `minSteps` optimizer steps, and batches are balanced so the last one is not tiny. Absent/false: exactly
   * `epochs` epochs of `batchSize` (what typing a number in the Epochs field chooses).
   */
  autoEpochs?: boolean;
  /** With `autoEpochs`: the fewest optimizer steps a run makes (default DEFAULT_MIN_STEPS). */
  minSteps?: number;
  /** Write a checkpoint every this many epochs (and always after the last); default 1. */
  checkpointEvery?: number;
  /** How the loss weighs the classes (shared/classWeights.ts). Absent (runs from before it): none. */
  classWeighting?: ClassWeighting;
  /**
   * The per-class loss weights a run uses, resolved from `classWeighting` and its training split when the run
   * starts and stored with it, so a resume keeps them even after review changed the split. Absent: unweighted.
   */
  classWeights?: number[];
}

/**
 * Measured with `npm run bench:seeds` (the real-photo fixture set, 2 people × 25 photos, grouped split, wasm,
 * seeds 1–10): the old default of 8 epochs × 3 batches = 24 steps reached test accuracy ≥ 0.9 in 7 of 10 seeds
 * (fixture seed 1: 46 train / 5 test faces) and 3 of 10 (fixture seed 2: 47 / 4); at least 150 steps (50 epochs,
 * 52–100 s a run on this loaded 2-core machine) reached 1.0 in 10 of 10 on both. Test accuracy stayed ≥ 0.9 from
 * epoch 5–15 on (steps 15–45), so 150 steps leave a margin of three or more.
 */
export const DEFAULT_MIN_STEPS = 150;
/** The most epochs the small-set recipe chooses (a 1-batch dataset would otherwise get `minSteps` epochs). */
export const MAX_AUTO_EPOCHS = 200;

export interface TrainingPlan {
  epochs: number;
  batchSize: number;
  batchesPerEpoch: number;
  steps: number;
  checkpointEvery: number;
  /** Why epochs / batch size differ from the form's, for the Train page; null when they do not. */
  note: string | null;
}

/**
 * What a run of `config` on `trainCount` training images will do. With `autoEpochs`: (1) batches balanced —
 * when the last batch would be under half a batch (e.g. 33 = 16 + 16 + 1, and batch norm normalises a batch of
 * one to zero), the batch size becomes ceil(n / batches), same number of batches; (2) epochs raised to
 * ceil(minSteps / batchesPerEpoch), capped at MAX_AUTO_EPOCHS, never below `epochs`; (3) a checkpoint every
 * floor(epochs / requested epochs) epochs, so a 50-epoch run of tiny epochs writes ~8 checkpoints, not 50.
 * Pure and thread-neutral: the Train page shows it, and the config it returns is what the worker runs.
 */
export function planTraining(config: TrainingConfig, trainCount: number): TrainingPlan {
  const requested = Math.max(1, config.epochs);
  let batchSize = Math.max(1, config.batchSize);
  const plain = (): TrainingPlan => {
    const batchesPerEpoch = Math.ceil(trainCount / batchSize);
    return {
      epochs: requested,
      batchSize,
      batchesPerEpoch,
      steps: requested * batchesPerEpoch,
      checkpointEvery: Math.max(1, config.checkpointEvery ?? 1),
      note: null,
    };
  };
  if (!config.autoEpochs || trainCount <= 0) return plain();
  const reasons: string[] = [];
  const batches = Math.ceil(trainCount / batchSize);
  const last = trainCount - (batches - 1) * batchSize;
  if (batches > 1 && last < batchSize / 2) {
    const balanced = Math.ceil(trainCount / batches);
    reasons.push(
      `batches of ${balanced}, not ${batchSize} (the last batch would hold only ${last}, too few for batch norm)`,
    );
    batchSize = balanced;
  } else if (batches === 1 && trainCount < batchSize) {
    batchSize = trainCount;
  }
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const minSteps = Math.max(0, config.minSteps ?? DEFAULT_MIN_STEPS);
  const epochs = Math.max(requested, Math.min(MAX_AUTO_EPOCHS, Math.ceil(minSteps / batchesPerEpoch)));
  if (epochs > requested)
    reasons.unshift(
      `${epochs} epochs, not ${requested}: ${trainCount} training images make ${batchesPerEpoch} batch${batchesPerEpoch === 1 ? '' : 'es'} per epoch, and a run needs at least ${minSteps} optimizer steps to learn reliably (${requested} epochs would be ${requested * batchesPerEpoch})`,
    );
  const checkpointEvery = Math.max(1, Math.floor(epochs / requested));
  if (checkpointEvery > 1) reasons.push(`a checkpoint every ${checkpointEvery} epochs`);
  return {
    epochs,
    batchSize,
    batchesPerEpoch,
    steps: epochs * batchesPerEpoch,
    checkpointEvery,
    note: reasons.length ? `Small dataset: ${reasons.join('; ')}.` : null,
  };
}

/** The config a run is started with: the plan's epochs, batch size and checkpoint interval filled in. */
export function plannedConfig(config: TrainingConfig, trainCount: number): TrainingConfig {
  const plan = planTraining(config, trainCount);
  return { ...config, epochs: plan.epochs, batchSize: plan.batchSize, checkpointEvery: plan.checkpointEvery };
}

/** Converges on the synthetic lookalikes in a few minutes on a laptop. */
export const DEFAULT_CONFIG: TrainingConfig = {
  architecture: 'compact',
  numClasses: 2,
  dropout: 0.35,
  batchNormLayers: 1,
  widthMultiplier: 1,
  epochs: 8,
  batchSize: 16,
  learningRate: 0.001,
  optimizer: 'adam',
  augment: true,
  seed: 1,
  autoEpochs: true,
  minSteps: DEFAULT_MIN_STEPS,
  classWeighting: 'auto',
};

/**
 * The paper's settings (§4.2): dropout 0.35, batch 128, learning rate 1e-7, 125 epochs, two batch norms.
 * The paper does not name its optimizer; Adam is Keras' usual choice and ours.
 */
export const PAPER_CONFIG: TrainingConfig = {
  ...DEFAULT_CONFIG,
  architecture: 'paper',
  dropout: 0.35,
  batchNormLayers: 2,
  epochs: 125,
  batchSize: 128,
  learningRate: 1e-7,
  autoEpochs: false,
};
