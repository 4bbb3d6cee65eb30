/**
 * The attack table: each attack kind declares once what the rest of the app asks of it — its description,
 * whether it aims at a target class, the bar a face must pass to count as fooled, the per-pixel bounds it
 * projects onto and is checked against, the budget parameter a success-rate curve varies, and how many steps it
 * may take. The worker's attack loop, the saved-file check, the outcome words, the batch report, the budget curve
 * and the form read this table instead of testing the attack's name. Pure and thread-neutral.
 */
import type { AttackName, AttackSettings } from './attackSettings';
import { DEFAULT_ATTACK } from './attackSettings';
import type { PixelBounds } from './bounds';
import { describeRule, linfBounds, ruleBounds } from './bounds';
import { argMax } from '../../../shared/argMax';

/** The one setting a success-rate curve varies, in the unit the page shows. */
export interface AttackBudget {
  parameter: 'fraction' | 'epsilon';
  /** The page's label for a list of values. */
  label: string;
  /** The budget's value in the page's unit (% for the fraction, levels for ε). */
  value(s: AttackSettings): number;
  /** The settings with the budget set to `value` (in the page's unit). */
  with(s: AttackSettings, value: number): AttackSettings;
}

export interface AttackKind {
  /** The settings this attack reads: the form shows these fields and a deep link carries these parameters. */
  reads: ReadonlyArray<keyof AttackSettings>;
  /** Aims at a target class (the other class), or only away from the true one. */
  targeted(s: AttackSettings): boolean;
  /** The target's probability a face must reach to count as fooled; 0 = being the arg max is enough. */
  threshold(s: AttackSettings): number;
  /** Per-pixel [lo, hi] in levels: `quantised` = rounded inwards to whole levels (what the attack projects onto). */
  bounds(s: AttackSettings, originals: ArrayLike<number>, quantised: boolean): PixelBounds;
  /** The bound in words, shown beside every result. */
  ruleText(s: AttackSettings): string;
  /** What a success-rate curve varies; null for an attack with no budget (DeepFool). */
  budget: AttackBudget | null;
  /** Most steps one image may take (the progress bar's length). */
  stepLimit(s: AttackSettings): number;
  /** Its step direction and schedule when the settings leave them unset. */
  defaultSteps: { update: 'sign' | 'gradient'; schedule: 'fixed' | 'decay' };
  /** How the iterative engine runs it; null for an attack with an engine of its own (DeepFool). */
  iterative(s: AttackSettings): IterativeSteps | null;
}

/** The iterative engine's settings for one attack (src/features/fool/worker/iterativeAttack.ts), besides bounds and classes. */
export interface IterativeSteps {
  /** Levels per step (the first one when decaying). */
  stepSize: number;
  maxSteps: number;
  /** Stop each image once it passes the bar (else every step runs: the textbook FGSM/BIM/PGD). */
  earlyStop: boolean;
  /** Return the best image seen for a face not fooled, not the last iterate. */
  keepBest: boolean;
  update: 'sign' | 'gradient';
  schedule: 'fixed' | 'decay';
  /** PGD's seeded uniform start inside the bounds, else null. */
  randomStartSeed: number | null;
}

const FRACTION_BUDGET: AttackBudget = {
  parameter: 'fraction',
  label: 'Max change per pixel (%)',
  value: (s) => s.fraction * 100,
  with: (s, value) => ({ ...s, fraction: value / 100 }),
};

const EPSILON_BUDGET: AttackBudget = {
  parameter: 'epsilon',
  label: 'ε values (levels)',
  value: (s) => s.epsilon,
  with: (s, value) => ({ ...s, epsilon: value }),
};

const LINF_SETTINGS = ['epsilon', 'targeted', 'quantised'] as const;
const STEP_SETTINGS = ['update', 'stepSize', 'schedule', 'maxSteps'] as const;

const linfRuleText = (s: AttackSettings) =>
  `each pixel within ±${s.epsilon} levels (L∞ ε = ${s.epsilon}/255), and within [0, 255]`;

/** BIM and PGD: steps of α in an L∞ ball of ε levels, targeted or not as set, fooled once the arg max moves. */
const linfKind = (randomStart: boolean): AttackKind => ({
  reads: [...LINF_SETTINGS, ...STEP_SETTINGS, ...(randomStart ? (['seed'] as const) : [])],
  targeted: (s) => s.targeted,
  threshold: () => 0,
  bounds: (s, originals, quantised) => linfBounds(originals, s.epsilon, quantised),
  ruleText: linfRuleText,
  budget: EPSILON_BUDGET,
  stepLimit: (s) => s.maxSteps,
  // The textbook BIM/PGD: fixed sign steps unless set.
  defaultSteps: { update: 'sign', schedule: 'fixed' },
  iterative: (s) => ({
    stepSize: s.stepSize,
    maxSteps: s.maxSteps,
    earlyStop: false,
    keepBest: false,
    ...stepRule(s),
    randomStartSeed: randomStart ? s.seed : null,
  }),
});

export const ATTACK_KINDS: Record<AttackName, AttackKind> = {
  // Paper §5: targeted, each pixel within the 2.5 % rule (either reading), stop once the target reaches 90 %.
  paper: {
    reads: ['rule', 'fraction', 'stopConfidence', ...STEP_SETTINGS, 'quantised'],
    targeted: () => true,
    threshold: (s) => s.stopConfidence,
    bounds: (s, originals, quantised) => ruleBounds(originals, s.rule, s.fraction, quantised),
    ruleText: (s) => describeRule(s.rule, s.fraction),
    budget: FRACTION_BUDGET,
    stepLimit: (s) => s.maxSteps,
    // The strongest variant within the same bound (docs/attack-comparison.md): DEFAULT_ATTACK's decaying sign steps.
    defaultSteps: { update: DEFAULT_ATTACK.update!, schedule: DEFAULT_ATTACK.schedule! },
    // keepBest: a face that is not fooled returns the best image found, not wherever the last step landed.
    iterative: (s) => ({
      stepSize: s.stepSize,
      maxSteps: s.maxSteps,
      earlyStop: true,
      keepBest: true,
      ...stepRule(s),
      randomStartSeed: null,
    }),
  },
  // One step of ε along the gradient's sign.
  fgsm: {
    ...linfKind(false),
    reads: LINF_SETTINGS,
    stepLimit: () => 1,
    iterative: (s) => ({
      stepSize: s.epsilon,
      maxSteps: 1,
      earlyStop: false,
      keepBest: false,
      update: 'sign',
      schedule: 'fixed',
      randomStartSeed: null,
    }),
  },
  bim: linfKind(false),
  pgd: linfKind(true),
  // No budget: the smallest L2 change across the nearest boundary, only kept within [0, 255].
  deepfool: {
    reads: ['maxSteps', 'quantised'],
    targeted: () => false,
    threshold: () => 0,
    bounds: (_s, originals, quantised) => linfBounds(originals, 255, quantised),
    ruleText: () => 'no fixed budget: the smallest L2 change across the nearest boundary (DeepFool), within [0, 255]',
    budget: null,
    stepLimit: (s) => s.maxSteps,
    defaultSteps: { update: 'sign', schedule: 'fixed' },
    iterative: () => null,
  },
};

export function attackKind(s: AttackSettings): AttackKind {
  return ATTACK_KINDS[s.attack];
}

/** The step rule an attack actually uses: the settings' own, else its kind's default. */
export function stepRule(s: AttackSettings): { update: 'sign' | 'gradient'; schedule: 'fixed' | 'decay' } {
  const d = attackKind(s).defaultSteps;
  return { update: s.update ?? d.update, schedule: s.schedule ?? d.schedule };
}

/** Does this attack read setting `key` (so the form shows it and a link carries it)? */
export function readsSetting(s: AttackSettings, key: keyof AttackSettings): boolean {
  return attackKind(s).reads.includes(key);
}

/** The bounds the attack projects onto (rounded inwards when it attacks the saved 8-bit image). */
export function attackBounds(s: AttackSettings, originals: ArrayLike<number>): PixelBounds {
  return attackKind(s).bounds(s, originals, s.quantised);
}

/** The attack's real-valued rule (no rounding), which a saved image must satisfy. */
export function ruleBoundsOf(s: AttackSettings, originals: ArrayLike<number>): PixelBounds {
  return attackKind(s).bounds(s, originals, false);
}

/** The stopping rule: targeted → the target is on top with at least the threshold; else the true class is not. */
export function isFooled(s: AttackSettings, probs: ArrayLike<number>, label: number, target: number): boolean {
  const kind = attackKind(s);
  const top = argMax(probs);
  if (!kind.targeted(s)) return top !== label;
  return top === target && probs[target] >= kind.threshold(s);
}
