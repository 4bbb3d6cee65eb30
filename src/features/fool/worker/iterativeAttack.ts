/**
 * One engine for every L∞ gradient-sign attack: the paper's §5 attack, FGSM, BIM and PGD differ only in their
 * bounds, step size, step count, objective and stopping rule (Goodfellow 2015; Kurakin 2016; Madry 2018).
 *
 * Pixels are in 8-bit levels [0, 255]; the model sees x / 255. Each step is one forward + backward pass over
 * the whole batch (images are independent: the models run in inference mode, batch norm uses its moving
 * statistics), then x ← clip(x + α · sign(∇ objective), lo, hi) for the images still running.
 *
 * Quantised mode (the default for the paper attack): the gradient and the probabilities are taken at
 * round(x), the image that would be saved, so the stopping test is made on exactly the 8-bit image returned,
 * and integer bounds keep round(x) inside the rule (a straight-through estimate of the rounding's gradient).
 *
 * Objective: targeted — log-softmax of the target class (raise it); untargeted — cross-entropy of the true
 * class (lower its log-probability). Computed from pre-softmax logits when the head is a softmax Dense layer,
 * so the gradient does not vanish when the softmax saturates at 99 %.
 */
import * as tf from '@tensorflow/tfjs';
import type { PixelBounds } from '../shared/bounds';
import { Rng } from '../../../shared/synthetic/rng';
import { inputShape } from '../../../ml/core/layers';
import { logitsOf, probabilitiesOf } from '../../../ml/core/probabilities';
import { argMax } from '../../../shared/argMax';
import { abortPoint } from '../../../ml/abortPoint';

export interface IterativeAttackSpec {
  /** Per image: the class to reach (targeted) or the true class to move away from (untargeted). */
  classes: number[];
  targeted: boolean;
  /** Per-value bounds in levels for the whole batch (n·h·w·c values). */
  bounds: PixelBounds;
  /** Levels per step (α). */
  stepSize: number;
  maxSteps: number;
  /** Stop each image as soon as it succeeds (paper attack); false runs every step (FGSM, BIM, PGD). */
  earlyStop: boolean;
  /** Targeted success needs p[target] ≥ this (and the target as arg max); 0 means arg max only. */
  stopConfidence: number;
  quantised: boolean;
  /** PGD's random start: a uniform draw inside the bounds, seeded. */
  randomStartSeed?: number | null;
  /** Record up to this many intermediate images of image 0 (the replay slider); 0 records none. */
  recordFrames?: number;
  /**
   * 'sign' (default): x ← x + α·sign(∇), steepest ascent under L∞ (FGSM, BIM, PGD). 'gradient': the paper's
   * plain gradient ascent, x ← x + α·∇/max|∇| (per image, so the largest pixel change of a step is α).
   */
  update?: StepUpdate;
  /**
   * 'logprob' (default): log p[class] from the logits. 'margin': z[class] − max other z (Carlini & Wagner 2017).
   * With two classes both have the same gradient direction (∇log p_t = p_o·∇(z_t − z_o)).
   */
  objective?: AttackObjective;
  /** 'fixed' (default): α every step. 'decay': α halves at 40 %, 60 %, 80 % and 90 % of maxSteps (step-size schedule of APGD, simplified). */
  schedule?: StepSchedule;
  /** Keep, per image, the iterate with the best objective seen (success first), not the last one (default false). */
  keepBest?: boolean;
}

export type StepUpdate = 'sign' | 'gradient';
export type AttackObjective = 'logprob' | 'margin';
export type StepSchedule = 'fixed' | 'decay';

/** The step size at `step` (0-based) under a schedule. */
export function stepSizeAt(alpha: number, step: number, maxSteps: number, schedule: StepSchedule = 'fixed'): number {
  if (schedule === 'fixed') return alpha;
  const f = step / Math.max(1, maxSteps);
  return alpha * (f < 0.4 ? 1 : f < 0.6 ? 0.5 : f < 0.8 ? 0.25 : f < 0.9 ? 0.125 : 0.0625);
}

export interface ImageOutcome {
  success: boolean;
  /** Steps taken until success (or all of them). */
  steps: number;
  probsBefore: number[];
  probsAfter: number[];
  /** The adversarial image in levels (whole numbers when quantised). */
  adversarial: Float32Array;
}

export interface AttackFrame {
  step: number;
  pixels: Uint8Array;
}

export interface AttackRun {
  outcomes: ImageOutcome[];
  /** Class probabilities of image 0 after each step (index = step). */
  history: number[][];
  frames: AttackFrame[];
  ms: number;
}

export function attackSucceeded(
  probs: ArrayLike<number>,
  cls: number,
  targeted: boolean,
  stopConfidence: number,
): boolean {
  const top = argMax(probs);
  return targeted ? top === cls && probs[cls] >= stopConfidence : top !== cls;
}

function startImage(
  x0: Float32Array,
  bounds: PixelBounds,
  seed: number | null | undefined,
  quantised: boolean,
): Float32Array {
  if (seed == null) return Float32Array.from(x0);
  const rng = new Rng(seed);
  return Float32Array.from(x0, (_, i) => {
    const v = bounds.lo[i] + (bounds.hi[i] - bounds.lo[i]) * rng.next();
    return quantised ? Math.round(v) : v;
  });
}

export async function iterativeAttack(
  model: tf.LayersModel,
  originals: Float32Array | Uint8Array,
  spec: IterativeAttackSpec,
  signal?: AbortSignal,
  onStep?: (step: number, running: number) => void,
): Promise<AttackRun> {
  const t0 = performance.now();
  const n = spec.classes.length;
  const [h, w, c] = inputShape(model);
  const size = h * w * c;
  if (originals.length !== n * size) throw new RangeError(`expected ${n} images of ${h}×${w}×${c}`);
  const k = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const x0 = Float32Array.from(originals);
  const probsBefore = await probabilitiesOf(model, x0, n);

  const shape: [number, number, number, number] = [n, h, w, c];
  const lo = tf.tensor4d(spec.bounds.lo, shape);
  const hi = tf.tensor4d(spec.bounds.hi, shape);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(spec.classes, 'int32'), k).toFloat());
  let x = tf.tensor4d(startImage(x0, spec.bounds, spec.randomStartSeed, spec.quantised), shape);
  const running = new Uint8Array(n).fill(1);
  const steps = new Array<number>(n).fill(spec.maxSteps);
  const history: number[][] = [];
  const frames: AttackFrame[] = [];
  const frameEvery = spec.recordFrames ? Math.max(1, Math.ceil(spec.maxSteps / spec.recordFrames)) : 0;
  let probs = new Float32Array(0);
  let saved = new Float32Array(0);
  const sign = spec.targeted ? 1 : -1;
  const objective = spec.objective ?? 'logprob';
  // keepBest: the best image so far per image (by p[class], raised or lowered), its probabilities and score.
  let best: tf.Tensor4D | null = null;
  const bestProbs = new Float32Array(n * k);
  const bestScore = new Float64Array(n).fill(-Infinity);

  try {
    for (let step = 0; ; step++) {
      await abortPoint(signal);
      const { grad, p, q } = tf.tidy(() => {
        const q = spec.quantised ? tf.round(x) : x.clone();
        let kept: tf.Tensor | null = null;
        const grad = tf.grad((xi: tf.Tensor) => {
          const z = logitsOf(model, xi.div(255));
          const logp = tf.logSoftmax(z);
          kept = tf.keep(tf.exp(logp));
          const own = tf.sum(tf.mul(objective === 'margin' ? z : logp, oneHot), 1);
          const value = objective === 'margin' ? tf.sub(own, tf.max(tf.sub(z, tf.mul(oneHot, 1e9)), 1)) : own;
          return tf.mul(tf.sum(value), sign) as tf.Scalar;
        })(q);
        return { grad, p: kept! as tf.Tensor, q };
      });
      const last = step >= spec.maxSteps;
      try {
        probs = Float32Array.from(await p.data());
        history.push(Array.from(probs.subarray(0, k)));
        if (frameEvery && (step % frameEvery === 0 || last)) {
          const first = q.slice([0, 0, 0, 0], [1, h, w, c]);
          try {
            frames.push({ step, pixels: Uint8Array.from(await first.data(), (v) => Math.round(v)) });
          } finally {
            first.dispose();
          }
        }
        if (spec.keepBest) {
          const better = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            const pi = probs.subarray(i * k, (i + 1) * k);
            const ok = attackSucceeded(pi, spec.classes[i], spec.targeted, spec.stopConfidence);
            const score = (ok ? 2 : 0) + (spec.targeted ? pi[spec.classes[i]] : 1 - pi[spec.classes[i]]);
            if (score > bestScore[i]) {
              bestScore[i] = score;
              bestProbs.set(pi, i * k);
              better[i] = 1;
            }
          }
          const m = tf.tensor4d(better, [n, 1, 1, 1]);
          const prev: tf.Tensor4D | null = best;
          const next: tf.Tensor4D = tf.tidy(
            () => (prev ? tf.where(tf.broadcastTo(m.cast('bool'), shape), q, prev) : q.clone()) as tf.Tensor4D,
          );
          best = next;
          tf.dispose([m, prev ?? []]);
        }
        if (spec.earlyStop) {
          for (let i = 0; i < n; i++) {
            if (
              running[i] &&
              attackSucceeded(probs.subarray(i * k, (i + 1) * k), spec.classes[i], spec.targeted, spec.stopConfidence)
            ) {
              running[i] = 0;
              steps[i] = step;
            }
          }
        }
        const stillRunning = running.reduce((a, b) => a + b, 0);
        onStep?.(step, stillRunning);
        if (last || stillRunning === 0) {
          saved = Float32Array.from(await (best ?? q).data());
          if (frameEvery && frames[frames.length - 1]?.step !== step) {
            frames.push({ step, pixels: Uint8Array.from(saved.subarray(0, size), (v) => Math.round(v)) });
          }
          break;
        }
        const mask = tf.tensor4d(Float32Array.from(running), [n, 1, 1, 1]);
        const alpha = stepSizeAt(spec.stepSize, step, spec.maxSteps, spec.schedule);
        const next = tf.tidy(() => {
          const dir =
            spec.update === 'gradient'
              ? grad.div(tf.maximum(tf.max(tf.abs(grad), [1, 2, 3], true), 1e-30))
              : tf.sign(grad);
          return tf.minimum(tf.maximum(x.add(dir.mul(mask).mul(alpha)), lo), hi);
        });
        mask.dispose();
        x.dispose();
        x = next as tf.Tensor4D;
      } finally {
        tf.dispose([grad, p, q]);
      }
    }
  } finally {
    tf.dispose([x, lo, hi, oneHot, best ?? []]);
  }

  const outcomes: ImageOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const after = Array.from((spec.keepBest ? bestProbs : probs).subarray(i * k, (i + 1) * k));
    outcomes.push({
      success: attackSucceeded(after, spec.classes[i], spec.targeted, spec.stopConfidence),
      steps: steps[i],
      probsBefore: Array.from(probsBefore.subarray(i * k, (i + 1) * k)),
      probsAfter: after,
      adversarial: saved.slice(i * size, (i + 1) * size),
    });
  }
  return { outcomes, history, frames, ms: performance.now() - t0 };
}
