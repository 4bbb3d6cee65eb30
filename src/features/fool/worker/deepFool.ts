/**
 * DeepFool (Moosavi-Dezfooli, Fawzi & Frossard 2016): the minimal-perturbation attack. At each step the
 * classifier is linearised around x; the nearest linearised decision boundary (class l minimising
 * |f_l| / ‖w_l‖, with f_l = z_l − z_orig and w_l = ∇f_l) is crossed by the smallest L2 step
 * r = (|f_l| + 1e-4) / ‖w_l‖² · w_l, scaled by (1 + overshoot). It stops as soon as the label flips, so the
 * perturbation's size measures how far the image is from the boundary — the robustness number, where the
 * paper's attack and PGD measure success inside a fixed budget.
 *
 * Works in levels on [0, 255]; quantised mode tests the rounded (saved) image for the flip, as the L∞
 * attacks do. Untargeted by definition (with two classes the only way out is the other class).
 */
import * as tf from '@tensorflow/tfjs';
import { inputShape } from '../../../ml/core/layers';
import type { AttackRun, ImageOutcome } from './iterativeAttack';
import { logitsOf, probabilitiesOf } from '../../../ml/core/probabilities';
import { argMax } from '../../../shared/argMax';
import { abortPoint } from '../../../ml/abortPoint';

export interface DeepFoolSpec {
  labels: number[];
  maxSteps: number;
  /** Default 0.02, the paper's value. */
  overshoot?: number;
  quantised: boolean;
  recordFrames?: number;
}

/** Logits [k] and the gradient of every logit w.r.t. the image (k × size), at one image in levels. */
async function logitsAndGradients(
  model: tf.LayersModel,
  x: Float32Array,
  k: number,
): Promise<{ z: Float32Array; grads: Float32Array[] }> {
  const [h, w, c] = inputShape(model);
  const xt = tf.tensor4d(x, [1, h, w, c]);
  try {
    const z = tf.tidy(() => logitsOf(model, xt.div(255)));
    const grads: Float32Array[] = [];
    for (let j = 0; j < k; j++) {
      const g = tf.tidy(() =>
        tf.grad((xi: tf.Tensor) => tf.sum(tf.slice(logitsOf(model, xi.div(255)), [0, j], [1, 1])) as tf.Scalar)(xt),
      );
      grads.push(Float32Array.from(await g.data()));
      g.dispose();
    }
    const zv = Float32Array.from(await z.data());
    z.dispose();
    return { z: zv, grads };
  } finally {
    xt.dispose();
  }
}

export async function deepFool(
  model: tf.LayersModel,
  originals: Uint8Array | Float32Array,
  spec: DeepFoolSpec,
  signal?: AbortSignal,
): Promise<AttackRun> {
  const t0 = performance.now();
  const [h, w, c] = inputShape(model);
  const size = h * w * c;
  const n = spec.labels.length;
  const k = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const overshoot = spec.overshoot ?? 0.02;
  const outcomes: ImageOutcome[] = [];
  const history: number[][] = [];
  const frames: AttackRun['frames'] = [];
  const frameEvery = spec.recordFrames ? Math.max(1, Math.ceil(spec.maxSteps / spec.recordFrames)) : 0;

  for (let i = 0; i < n; i++) {
    const x0 = Float32Array.from(originals.subarray(i * size, (i + 1) * size));
    const label = spec.labels[i];
    const probsBefore = Array.from(await probabilitiesOf(model, x0, 1));
    // The accumulated perturbation, applied with overshoot: x = clip(x0 + (1 + overshoot) · r_total).
    const rTotal = new Float32Array(size);
    let x = Float32Array.from(x0);
    let steps = spec.maxSteps;
    let probs = probsBefore;
    for (let step = 0; ; step++) {
      await abortPoint(signal);
      const evaluated = spec.quantised ? Float32Array.from(x, Math.round) : x;
      probs = Array.from(await probabilitiesOf(model, evaluated, 1));
      if (i === 0) {
        history.push(probs);
        if (frameEvery && step % frameEvery === 0)
          frames.push({ step, pixels: Uint8Array.from(evaluated, Math.round) });
      }
      if (argMax(probs) !== label) {
        steps = step;
        x = evaluated;
        break;
      }
      if (step >= spec.maxSteps) {
        x = evaluated;
        break;
      }
      const { z, grads } = await logitsAndGradients(model, x, k);
      let best = -1;
      let bestDist = Infinity;
      let bestF = 0;
      let bestNormSq = 0;
      for (let j = 0; j < k; j++) {
        if (j === label) continue;
        const f = z[j] - z[label];
        let normSq = 0;
        for (let p = 0; p < size; p++) {
          const d = grads[j][p] - grads[label][p];
          normSq += d * d;
        }
        const dist = Math.abs(f) / Math.sqrt(normSq + 1e-12);
        if (dist < bestDist) {
          bestDist = dist;
          best = j;
          bestF = f;
          bestNormSq = normSq;
        }
      }
      const scale = (Math.abs(bestF) + 1e-4) / (bestNormSq + 1e-12);
      for (let p = 0; p < size; p++) {
        rTotal[p] += scale * (grads[best][p] - grads[label][p]);
        x[p] = Math.min(255, Math.max(0, x0[p] + (1 + overshoot) * rTotal[p]));
      }
    }
    if (i === 0 && frameEvery && frames[frames.length - 1]?.step !== history.length - 1) {
      frames.push({ step: history.length - 1, pixels: Uint8Array.from(x, Math.round) });
    }
    outcomes.push({ success: argMax(probs) !== label, steps, probsBefore, probsAfter: probs, adversarial: x });
  }
  return { outcomes, history, frames, ms: performance.now() - t0 };
}
