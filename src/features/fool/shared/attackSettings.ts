/**
 * Settings of the Fool page's attacks, shared by the page (form, URL) and the lab worker. Levels are 8-bit
 * pixel levels (0–255). Defaults follow the paper (§5) for its attack and common practice for the others.
 */
import type { BoundRule } from './bounds';
import { PAPER_FRACTION } from './bounds';

export const ATTACKS = ['paper', 'fgsm', 'bim', 'pgd', 'deepfool'] as const;
export type AttackName = (typeof ATTACKS)[number];

export const ATTACK_LABELS: Record<AttackName, string> = {
  paper: 'Paper §5: ±2.5 % per pixel until 90 %',
  fgsm: 'FGSM (one step of ε)',
  bim: 'BIM (iterative, L∞ ε)',
  pgd: 'PGD (iterative, L∞ ε, random start)',
  deepfool: 'DeepFool (smallest L2 change that flips the label)',
};

export interface AttackSettings {
  attack: AttackName;
  /** Paper attack: which reading of "2.5 % of its value". */
  rule: BoundRule;
  /** Paper attack: the share (0.025). */
  fraction: number;
  /** FGSM / BIM / PGD: L∞ radius in levels. */
  epsilon: number;
  /** FGSM / BIM / PGD: aim at the other class (true) or just away from the true one (false). */
  targeted: boolean;
  /** Levels per step, the first one when decaying (FGSM ignores it: its one step is ε). */
  stepSize: number;
  maxSteps: number;
  /** Paper attack: stop once the target class reaches this probability. */
  stopConfidence: number;
  /** Attack the 8-bit image that will be saved (bounds rounded inwards), not a float image. */
  quantised: boolean;
  /** PGD's random start. */
  seed: number;
  /**
   * Paper attack, BIM, PGD: 'sign' steps α·sign(∇) (steepest ascent under L∞, FGSM/BIM/PGD) or 'gradient', the
   * paper's own words ("gradient ascent"): α·∇/max|∇| per image. Absent = the default.
   */
  update?: 'sign' | 'gradient';
  /** 'decay': α halves at 40, 60, 80 and 90 % of the step limit; 'fixed': α every step. Absent = the default. */
  schedule?: 'fixed' | 'decay';
}

export const DEFAULT_ATTACK: AttackSettings = {
  attack: 'paper',
  rule: 'relative',
  fraction: PAPER_FRACTION,
  epsilon: 8,
  targeted: true,
  // Sign steps of 2 levels halved at 40/60/80/90 % of the limit, best image kept: the strongest variant within
  // the same bound in docs/attack-comparison.md (0.5-level fixed steps fooled 93 % of a real-photo model's
  // faces under the range reading, this 100 %; BIM/PGD keep fixed steps, see stepRule in attackKinds.ts).
  stepSize: 2,
  maxSteps: 100,
  stopConfidence: 0.9,
  quantised: true,
  seed: 1,
  update: 'sign',
  schedule: 'decay',
};

/** The class an attack aims at: the other class, or with 3+ classes the most probable wrong one. */
export function targetClass(label: number, probs: ArrayLike<number>): number {
  if (probs.length === 2) return 1 - label;
  let best = -1;
  for (let i = 0; i < probs.length; i++) if (i !== label && (best < 0 || probs[i] > probs[best])) best = i;
  return best;
}
