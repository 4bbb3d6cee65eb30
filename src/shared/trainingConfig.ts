/**
 * Training configuration shared by the UI and the trainer worker: plain data only, so it can be posted to the
 * worker, stored with every run and checkpoint, and put in a URL.
 */
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
};
