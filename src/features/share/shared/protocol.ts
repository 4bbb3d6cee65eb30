/**
 * The Share capability's lab-worker calls: model export/import (TensorFlow.js and Keras files) and the demo.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */

export interface ShareApi {
  /** The run's model in TensorFlow.js layers format. */
  exportModel(args: { runId: string }): Promise<{ modelJson: string; weights: Uint8Array }>;
  /** Validates a layers-format model (model.json text + concatenated weights) and stores it as a run on a dataset. */
  importModel(args: {
    datasetId: string;
    name: string;
    modelJson: string;
    weights: Uint8Array;
  }): Promise<{ runId: string; layers: number; params: number }>;
  /** The run's model as a Keras 3 `.keras` zip or a legacy Keras `.h5` file. */
  exportKerasModel(args: { runId: string; format: 'keras' | 'h5' }): Promise<{ bytes: Uint8Array }>;
  /** Loads a Keras `.keras` or `.h5` model file and stores it as a run on a dataset (`inputShape`: the model's own input). */
  importKerasModel(args: { datasetId: string; name: string; bytes: Uint8Array }): Promise<{
    runId: string;
    layers: number;
    params: number;
    format: 'keras' | 'h5';
    inputShape: [number, number, number];
  }>;
  /** Regenerates the demo dataset and stores the shipped pretrained model as a run (idempotent). */
  installDemo(args: { baseUrl: string }): Promise<{ datasetId: string; runId: string; created: boolean; ms: number }>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface ShareProgress {
  exportModel: never;
  importModel: never;
  exportKerasModel: never;
  importKerasModel: never;
  installDemo: { done: number; total: number };
}
