/**
 * The Data capability's lab-worker calls: the demo dataset, label confidence for review, the paper's noise sorting.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */

/** Noise sorting's progress: reading the crops, training fold model `fold` (steps), scoring its held-out crops. */
export interface NoiseSortProgress {
  phase: 'read' | 'train' | 'score';
  fold: number;
  folds: number;
  done: number;
  total: number;
}

export interface GenerateArgs {
  count: number;
  seed: number;
  name: string;
}

export interface DataApi {
  generateDemo(args: GenerateArgs): Promise<{ datasetId: string; count: number; ms: number }>;
  /** The model's probability of each stored image's own label, for every image of the run's dataset (review). */
  labelConfidence(args: { runId: string }): Promise<{ datasetId: string; confidence: Float32Array }>;
  /** The paper's noise sorting (ml/noiseSort.ts): trains small cross-fitted models, stores every crop's bin. */
  noiseSort(args: {
    datasetId: string;
  }): Promise<{ datasetId: string; counts: [number, number, number]; total: number; ms: number }>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface DataProgress {
  generateDemo: { done: number; total: number };
  labelConfidence: { done: number; total: number };
  noiseSort: NoiseSortProgress;
}
