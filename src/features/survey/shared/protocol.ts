/**
 * The Survey capability's lab-worker calls: building a survey kit and exporting last-layer activations.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { AttackSettings } from '../../fool/shared/attackSettings';
import type { SurveyCondition, SurveyKit } from './types';

export interface BuildSurveyArgs {
  runId: string;
  name: string;
  trainPerClass: number;
  pairs: number;
  displayMs: number;
  condition: SurveyCondition;
  seed: number;
  attack: AttackSettings;
}

export interface LastLayerExport {
  layerName: string;
  width: number;
  classNames: string[];
  indices: number[];
  labels: number[];
  /** n × width, row-major: originals, then the same images modified by the attack. */
  original: Float32Array;
  modified: Float32Array;
  probsOriginal: number[][];
  probsModified: number[][];
  settings: AttackSettings;
  /** The softmax Dense layer's weights (width × classes, row-major) and bias, for the clamping experiment; null if the head is not one. */
  head: { kernel: Float32Array; bias: Float32Array } | null;
}

export interface SurveyApi {
  buildSurvey(args: BuildSurveyArgs): Promise<SurveyKit>;
  /** Activations feeding the softmax for `perClass` correctly classified test images per class, original and modified. */
  lastLayer(args: { runId: string; perClass: number; settings: AttackSettings }): Promise<LastLayerExport>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface SurveyProgress {
  buildSurvey: { done: number; total: number };
  lastLayer: { done: number; total: number };
}
