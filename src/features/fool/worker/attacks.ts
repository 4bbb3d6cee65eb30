/**
 * The named attacks as configurations of the one engine (iterativeAttack.ts):
 * - paper (§5): targeted, each pixel within the paper's 2.5 % rule, stop at ≥ 90 % for the target;
 * - FGSM: one step of ε along the gradient sign (Goodfellow, Shlens & Szegedy 2015);
 * - BIM: repeated steps of α, clipped to the ε ball (Kurakin, Goodfellow & Bengio 2016);
 * - PGD: BIM from a uniform random start in the ball (Madry et al. 2018);
 * - DeepFool: no budget, the smallest L2 step across the nearest boundary (its own engine, deepFool.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { AttackSettings } from '../shared/attackSettings';
import { targetClass } from '../shared/attackSettings';
import { attackBounds, attackKind } from '../shared/attackKinds';
import { deepFool } from './deepFool';
import type { PixelBounds } from '../shared/bounds';
import type { AttackRun, IterativeAttackSpec } from './iterativeAttack';
import { iterativeAttack } from './iterativeAttack';
import { probabilitiesOf } from '../../../ml/core/probabilities';

/** The engine's spec for an attack of the table (src/features/fool/shared/attackKinds.ts) on these images. */
export function attackSpec(
  settings: AttackSettings,
  originals: ArrayLike<number>,
  classes: number[],
): IterativeAttackSpec {
  const kind = attackKind(settings);
  const steps = kind.iterative(settings);
  if (!steps) throw new Error(`${settings.attack} does not run on the iterative engine: use runAttack`);
  return {
    ...steps,
    bounds: attackBounds(settings, originals),
    quantised: settings.quantised,
    classes,
    targeted: kind.targeted(settings),
    stopConfidence: kind.threshold(settings),
  };
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
  /** The bounds the attack projected onto (all images, n·h·w·c values): computed once here, used by the reports. */
  bounds: PixelBounds;
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
  const kind = attackKind(settings);
  if (!kind.iterative(settings)) {
    const run = await deepFool(
      model,
      request.pixels,
      {
        labels: request.labels,
        maxSteps: settings.maxSteps,
        quantised: settings.quantised,
        recordFrames: request.recordFrames ?? 0,
      },
      signal,
    );
    return { ...run, classes: request.labels, targets, bounds: attackBounds(settings, request.pixels) };
  }
  const classes = kind.targeted(settings) ? targets : request.labels;
  const spec = { ...attackSpec(settings, request.pixels, classes), recordFrames: request.recordFrames ?? 0 };
  const run = await iterativeAttack(model, request.pixels, spec, signal, onStep);
  return { ...run, classes, targets, bounds: spec.bounds };
}
