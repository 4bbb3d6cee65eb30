/**
 * The attack table: each kind's stopping rule, bounds and budget, and the table's promise that a setting an
 * attack does not read (so the form hides it and a link drops it) changes nothing the attack does.
 */
import { describe, expect, it } from 'vitest';
import { ATTACK_KINDS, attackBounds, attackKind, isFooled, readsSetting, ruleBoundsOf, stepRule } from './attackKinds';
import { ATTACKS, DEFAULT_ATTACK, type AttackSettings } from './attackSettings';

const paper = DEFAULT_ATTACK;
const pgd: AttackSettings = { ...DEFAULT_ATTACK, attack: 'pgd', epsilon: 4, targeted: true };
const x = Uint8Array.from([0, 10, 100, 200, 255]);

describe('the attack table', () => {
  it('stopping rule: the paper needs the target at its confidence, L∞ attacks the arg max, untargeted ones any other class', () => {
    expect(isFooled(paper, [0.15, 0.85], 0, 1)).toBe(false); // target on top but under 90 %
    expect(isFooled(paper, [0.1, 0.9], 0, 1)).toBe(true);
    expect(isFooled(pgd, [0.45, 0.55], 0, 1)).toBe(true);
    expect(isFooled({ ...pgd, targeted: false }, [0.2, 0.3, 0.5], 0, 1)).toBe(true); // away from 0 is enough
    expect(isFooled(pgd, [0.2, 0.3, 0.5], 0, 1)).toBe(false); // targeted at 1, 2 is on top
    expect(isFooled({ ...paper, attack: 'deepfool' }, [0.4, 0.6], 0, 1)).toBe(true);
    expect(isFooled({ ...paper, attack: 'deepfool' }, [0.6, 0.4], 0, 1)).toBe(false);
  });

  it('bounds: the paper rule (literal, quantised inwards), the L∞ ball, DeepFool only [0, 255]', () => {
    expect(Array.from(attackBounds(paper, x).lo)).toEqual([0, 10, 98, 195, 249]);
    expect(Array.from(attackBounds(paper, x).hi)).toEqual([0, 10, 102, 205, 255]);
    expect(Array.from(ruleBoundsOf(paper, x).lo)).toEqual([0, 9.75, 97.5, 195, 248.625]);
    expect(Array.from(attackBounds(pgd, x).lo)).toEqual([0, 6, 96, 196, 251]);
    expect(Array.from(attackBounds({ ...pgd, epsilon: 4.6 }, x).hi)).toEqual([4, 14, 104, 204, 255]); // ⌊4.6⌋ when quantised
    const df = attackBounds({ ...paper, attack: 'deepfool' }, x);
    expect([Array.from(df.lo), Array.from(df.hi)]).toEqual([
      [0, 0, 0, 0, 0],
      [255, 255, 255, 255, 255],
    ]);
  });

  it('budgets: the paper varies its fraction (in %), the L∞ attacks ε (levels), DeepFool has none', () => {
    expect(ATTACK_KINDS.paper.budget!.with(paper, 5).fraction).toBe(0.05);
    expect(ATTACK_KINDS.paper.budget!.value(paper)).toBeCloseTo(2.5, 10);
    expect(ATTACK_KINDS.pgd.budget!.with(pgd, 16).epsilon).toBe(16);
    expect(ATTACK_KINDS.fgsm.budget!.parameter).toBe('epsilon');
    expect(ATTACK_KINDS.deepfool.budget).toBeNull();
  });

  it('engine settings: FGSM is one step of ε; PGD starts at its seed; the paper stops early and keeps its best image', () => {
    expect(ATTACK_KINDS.fgsm.iterative({ ...pgd, attack: 'fgsm' })).toMatchObject({
      stepSize: 4,
      maxSteps: 1,
      update: 'sign',
    });
    expect(ATTACK_KINDS.pgd.iterative({ ...pgd, seed: 9 })!.randomStartSeed).toBe(9);
    expect(ATTACK_KINDS.bim.iterative({ ...pgd, attack: 'bim', seed: 9 })!.randomStartSeed).toBeNull();
    expect(ATTACK_KINDS.paper.iterative(paper)).toMatchObject({
      earlyStop: true,
      keepBest: true,
      maxSteps: paper.maxSteps,
    });
    expect(ATTACK_KINDS.deepfool.iterative(paper)).toBeNull();
    expect(stepRule({ ...pgd, update: undefined, schedule: undefined })).toEqual({ update: 'sign', schedule: 'fixed' });
    expect(stepRule({ ...paper, update: undefined, schedule: undefined })).toEqual({
      update: DEFAULT_ATTACK.update,
      schedule: DEFAULT_ATTACK.schedule,
    });
  });

  it('a setting an attack does not read changes nothing it does (so hiding it in the form and the link is safe)', () => {
    const changed: Partial<AttackSettings> = {
      rule: 'range',
      fraction: 0.1,
      epsilon: 12.5,
      targeted: false,
      stepSize: 3,
      maxSteps: 7,
      stopConfidence: 0.6,
      quantised: false,
      seed: 99,
      update: 'gradient',
      schedule: 'fixed',
    };
    const effect = (s: AttackSettings) => {
      const kind = attackKind(s);
      return JSON.stringify({
        targeted: kind.targeted(s),
        threshold: kind.threshold(s),
        bounds: [
          Array.from(attackBounds(s, x).lo),
          Array.from(attackBounds(s, x).hi),
          Array.from(ruleBoundsOf(s, x).lo),
        ],
        rule: kind.ruleText(s),
        budget: kind.budget?.value(s) ?? null,
        steps: kind.stepLimit(s),
        iterative: kind.iterative(s),
        fooled: [isFooled(s, [0.3, 0.7], 0, 1), isFooled(s, [0.05, 0.95], 0, 1)],
      });
    };
    for (const attack of ATTACKS) {
      const base: AttackSettings = { ...DEFAULT_ATTACK, attack, epsilon: 4 };
      for (const [key, value] of Object.entries(changed) as Array<[keyof AttackSettings, never]>) {
        if (readsSetting(base, key)) continue;
        expect(effect({ ...base, [key]: value }), `${attack} ignores ${key}`).toBe(effect(base));
      }
    }
  });
});
