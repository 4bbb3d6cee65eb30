/**
 * What happened to one attacked face, in words the page and the batch table share (issue #16 item 7):
 * - fooled: the target class is the arg max and has reached the threshold (the paper's 90 %);
 * - flipped: the target is the arg max but below the threshold (the label changed, the bar was not reached);
 * - not-flipped: the model still prefers another class.
 * Untargeted attacks have no threshold: "fooled" means the true class is no longer the arg max.
 */
import { attackKind } from './attackKinds';
import type { AttackSettings } from './attackSettings';
import { argMax } from '../../../shared/argMax';
import { plural } from '../../../shared/plural';

export type AttackOutcome = 'fooled' | 'flipped' | 'not-flipped';

/** Targeted outcome of probabilities `probs` for `target` at `threshold` (0 = arg max is enough). */
export function classifyOutcome(probs: ArrayLike<number>, target: number, threshold: number): AttackOutcome {
  if (argMax(probs) !== target) return 'not-flipped';
  return probs[target] >= threshold ? 'fooled' : 'flipped';
}

/** Untargeted outcome: away from `label` counts as fooled. */
export function classifyUntargeted(probs: ArrayLike<number>, label: number): AttackOutcome {
  return argMax(probs) !== label ? 'fooled' : 'not-flipped';
}

/** Share of the values that may move (hi > lo) that moved to their limit (lo or hi); 1 when none may move. */
export function shareAtLimit(
  original: ArrayLike<number>,
  modified: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
): number {
  let movable = 0;
  let atLimit = 0;
  for (let i = 0; i < original.length; i++) {
    if (hi[i] - lo[i] < 1e-9) continue;
    movable++;
    if (modified[i] !== original[i] && (Math.abs(modified[i] - lo[i]) < 1e-6 || Math.abs(modified[i] - hi[i]) < 1e-6))
      atLimit++;
  }
  // Nothing may move (a bound under ½ level, rounded inwards): the bound is all there is.
  return movable ? atLimit / movable : 1;
}

/**
 * Why a face that is not fooled stopped: 'bound' when at least half of the values that may move sit at their
 * limit (the allowed change is spent: more steps change little), else 'steps' (the step limit ran out first).
 */
export type FailureReason = 'bound' | 'steps';

export function failureReason(atLimit: number): FailureReason {
  return atLimit >= 0.5 ? 'bound' : 'steps';
}

/** The saved-file verdict: did the PNG the user downloads fool the model, and did the attack? */
export function savedVerdict(attackFooled: boolean, savedFooled: boolean): string {
  if (attackFooled)
    return savedFooled
      ? 'the saved file still fools the model'
      : 'the saved file now fails to fool the model (rounding or decoding undid it)';
  return savedFooled
    ? 'the saved file fools the model (the attack itself had not)'
    : 'the saved file does not fool the model either: the attack never fooled it';
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/**
 * What happened, in words (issue #16): fooled (target ≥ threshold), flipped (target on top, below the
 * threshold) or not flipped, and for a face not fooled why the attack stopped (bound spent or step limit).
 */
export interface OutcomeInput {
  settings: AttackSettings;
  names: string[];
  label: number;
  target: number;
  steps: number;
  probsAfter: number[];
  /** Share of the values that may move that sit at their bound (shareAtLimit, computed by the worker with the attack's own bounds). */
  atLimit: number;
}

export function describeOutcome(result: OutcomeInput): { kind: AttackOutcome; heading: string; why: string | null } {
  const names = result.names;
  const s = result.settings;
  const attack = attackKind(s);
  const targeted = attack.targeted(s);
  const threshold = attack.threshold(s);
  const kind = targeted
    ? classifyOutcome(result.probsAfter, result.target, threshold)
    : classifyUntargeted(result.probsAfter, result.label);
  const top = argMax(result.probsAfter);
  const shown = targeted ? result.target : top;
  if (kind === 'fooled')
    return { kind, heading: `fooled: ${names[shown]} ${pct(result.probsAfter[shown])}`, why: null };
  let why: string;
  // An attack with no bound (DeepFool) can only run out of steps.
  if (!attack.budget) why = `DeepFool stopped after ${plural(result.steps, 'step')} without crossing the boundary.`;
  else {
    const share = result.atLimit;
    const reason = failureReason(share);
    why =
      (reason === 'bound'
        ? `Bound reached: ${pct(share)} of the values that may move sit at their limit, so more steps change little`
        : `Step limit reached (${plural(result.steps, 'step')}) with ${pct(share)} of the values that may move at their limit: more steps may help`) +
      '.';
  }
  const heading =
    kind === 'flipped'
      ? `flipped to ${names[result.target]} ${pct(result.probsAfter[result.target])}, below the ${pct(threshold)} bar after ${plural(result.steps, 'step')}`
      : `not flipped: ${names[top]} still ${pct(result.probsAfter[top])} after ${plural(result.steps, 'step')}` +
        (targeted ? ` (${names[result.target]} ${pct(result.probsAfter[result.target])})` : '');
  return { kind, heading, why };
}
