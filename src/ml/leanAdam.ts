/**
 * Adam with tfjs' exact arithmetic but a small memory peak (issue 8: "the paper model's 63 M-parameter dense
 * layer must fit").
 *
 * tfjs' `AdamOptimizer.applyGradients` runs the update of every variable inside ONE `tidy`, so each variable's
 * 11 intermediate tensors (the moment products, the square, the bias corrections, sqrt, the ratio, …) all live
 * until the last variable is done: a transient of ≈ 11 × the model's size. For the paper model (64.6 M
 * parameters, a 252 MB dense kernel) that is ≈ 2.8 GB on top of ≈ 1.3 GB of weights, gradients and moments,
 * past the wasm backend's 4 GB heap, and its first training step aborts in Chromium.
 *
 * Here each variable is updated in its own scope and every intermediate is released as soon as the next op has
 * used it, so the transient is at most {@link LEAN_ADAM_TRANSIENT_FACTOR} × the largest variable. The ops, their
 * order and their scalar operands are tfjs' own, so the result is bit-identical on a given backend (tested), and
 * `getWeights`/`setWeights`/`className` are inherited, so checkpoints hold the same optimizer state as before.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The most tensors of a variable's size alive at once while it is updated, beyond its weights, gradient and
 * moments (e.g. v·β₂, g²·(1−β₂) and their sum; measured in leanAdam.test.ts).
 */
export const LEAN_ADAM_TRANSIENT_FACTOR = 3;

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The fields of tfjs' AdamOptimizer this class uses; its typings mark them protected/private. */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

export class LeanAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const self = this as unknown as AdamInternals;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const oneMinusAccBeta1 = tf.sub(1, self.accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, self.accBeta2);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      self.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      self.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null) return;
      const firstMoment = self.accumulatedFirstMoment[i].variable;
      const secondMoment = self.accumulatedSecondMoment[i].variable;
      // Each moment is assigned as soon as it is computed: assign() takes the new tensor's data and frees the old
      // moment's, so afterwards the variable is the only holder. Nested scopes release every intermediate as soon
      // as the next op has read it (evaluation order differs from tfjs' expression, the ops and operands do not).
      const newFirstMoment = tf.tidy(() => tf.add(tf.mul(firstMoment, self.beta1), tf.mul(gradient, 1 - self.beta1)));
      firstMoment.assign(newFirstMoment);
      newFirstMoment.dispose();
      const newSecondMoment = tf.tidy(() => {
        const decayed = tf.mul(secondMoment, self.beta2);
        return tf.add(
          decayed,
          tf.tidy(() => tf.mul(tf.square(gradient), 1 - self.beta2)),
        );
      });
      secondMoment.assign(newSecondMoment);
      newSecondMoment.dispose();
      const biasCorrectedFirstMoment = tf.div(firstMoment, oneMinusAccBeta1);
      const denominator = tf.tidy(() =>
        tf.add(
          tf.tidy(() => tf.sqrt(tf.div(secondMoment, oneMinusAccBeta2))),
          self.epsilon,
        ),
      );
      const ratio = tf.div(biasCorrectedFirstMoment, denominator);
      tf.dispose([biasCorrectedFirstMoment, denominator]);
      const newValue = tf.tidy(() => tf.add(tf.mul(ratio, -self.learningRate), value));
      ratio.dispose();
      value.assign(newValue);
      newValue.dispose();
    });
    tf.dispose([oneMinusAccBeta1, oneMinusAccBeta2]);
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    this.incrementIterations();
  }
}

/** `tf.train.adam`'s defaults (β₁ 0.9, β₂ 0.999, the backend's epsilon). */
export function leanAdam(learningRate = 0.001): LeanAdamOptimizer {
  return new LeanAdamOptimizer(learningRate, 0.9, 0.999);
}
