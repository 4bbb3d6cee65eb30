/**
 * The named attacks as configurations of the one engine (iterativeAttack.ts):
 * - paper (§5): targeted, each pixel within the paper's 2.5 % rule, stop at ≥ 90 % for the target;
 * - FGSM: one step of ε along the gradient sign (Goodfellow, Shlens & Szegedy 2015);
 * - BIM: repeated steps of α, clipped to the ε ball (Kurakin, Goodfellow & Bengio 2016);
 * - PGD: BIM from a uniform random start in the ball (Madry et al. 2018);
 * - DeepFool: no budget, the smallest L2 step across the nearest boundary (its own engine, deepFool.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { AttackSettings } from '../../shared/fool/attackSettings';
import { stepRule, targetClass } from '../../shared/fool/attackSettings';
import { attackBounds } from '../../shared/fool/attackBounds';
import { deepFool } from './deepFool';
import type { AttackRun, IterativeAttackSpec } from './iterativeAttack';
import { iterativeAttack, probabilitiesOf } from './iterativeAttack';

export { attackBounds };

export function attackSpec(settings: AttackSettings, originals: ArrayLike<number>, classes: number[]): IterativeAttackSpec {
  if (settings.attack === 'deepfool') throw new Error('DeepFool has no L∞ spec: use runAttack');
  const bounds = attackBounds(settings, originals);
  const common = { bounds, quantised: settings.quantised, classes, ...stepRule(settings) };
  switch (settings.attack) {
    case 'paper':
      // keepBest: a face that is not fooled returns the best image found, not wherever the last step landed.
      return {
        ...common,
        targeted: true,
        stepSize: settings.stepSize,
        maxSteps: settings.maxSteps,
        earlyStop: true,
        stopConfidence: settings.stopConfidence,
        keepBest: true,
      };
    case 'fgsm':
      return { ...common, update: 'sign', schedule: 'fixed', targeted: settings.targeted, stepSize: settings.epsilon, maxSteps: 1, earlyStop: false, stopConfidence: 0 };
    case 'bim':
    case 'pgd':
      return {
        ...common,
        targeted: settings.targeted,
        stepSize: settings.stepSize,
        maxSteps: settings.maxSteps,
        earlyStop: false,
        stopConfidence: 0,
        randomStartSeed: settings.attack === 'pgd' ? settings.seed : null,
      };
  }
}

export interface AttackRequest {
  /** n images, n·h·w·c levels. */
  pixels: Uint8Array;
  labels: number[];
  recordFrames?: number;
}

export interface LabelledAttackRun extends AttackRun {
  /** Per image: the target class (targeted) or the true class (untargeted), as given to the engine. */
  classes: number[];
  targets: number[];
}

/** Runs one named attack on a batch; targeted attacks aim at `targetClass` of each image's true label. */
export async function runAttack(
  model: tf.LayersModel,
  settings: AttackSettings,
  request: AttackRequest,
  signal?: AbortSignal,
  onStep?: (step: number, running: number) => void,
): Promise<LabelledAttackRun> {
  const n = request.labels.length;
  const k = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const probs = await probabilitiesOf(model, request.pixels, n);
  const targets = request.labels.map((label, i) => targetClass(label, probs.subarray(i * k, (i + 1) * k)));
  if (settings.attack === 'deepfool') {
    const run = await deepFool(
      model,
      request.pixels,
      { labels: request.labels, maxSteps: settings.maxSteps, quantised: settings.quantised, recordFrames: request.recordFrames ?? 0 },
      signal,
    );
    return { ...run, classes: request.labels, targets };
  }
  const targeted = settings.attack === 'paper' || settings.targeted;
  const classes = targeted ? targets : request.labels;
  const spec = { ...attackSpec(settings, request.pixels, classes), recordFrames: request.recordFrames ?? 0 };
  const run = await iterativeAttack(model, request.pixels, spec, signal, onStep);
  return { ...run, classes, targets };
}
