/**
 * "Say what happened" (issue #16 item 7): every attacked face is fooled (target ≥ threshold), flipped (target
 * on top, below the threshold) or not flipped, never "not fooled" while the target is already on top; a face
 * not fooled says whether the bound or the step limit stopped it; the saved-file line tells "still fools",
 * "now fails" and "never fooled" apart.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { ruleBounds } from '../shared/bounds';
import { attackBounds } from '../shared/attackKinds';
import {
  classifyOutcome,
  classifyUntargeted,
  describeOutcome,
  failureReason,
  savedVerdict,
  shareAtLimit,
} from '../shared/outcome';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const names = ['Asha', 'Bela'];
const original = Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, i) => 40 + (i % 160));
const range = { ...DEFAULT_ATTACK, rule: 'range' as const };
/** What the worker sends with a result: the share of movable values at the attack's own bounds. */
const atLimitOf = (modified: Uint8Array) => {
  const b = attackBounds(range, original);
  return shareAtLimit(original, modified, b.lo, b.hi);
};

describe('attack outcome per face', () => {
  it('classifies fooled / flipped / not flipped by arg max and threshold', () => {
    expect(classifyOutcome([0.05, 0.95], 1, 0.9)).toBe('fooled');
    expect(classifyOutcome([0.1, 0.9], 1, 0.9)).toBe('fooled');
    expect(classifyOutcome([0.365, 0.635], 1, 0.9)).toBe('flipped');
    expect(classifyOutcome([0.67, 0.33], 1, 0.9)).toBe('not-flipped');
    expect(classifyOutcome([0.4, 0.6], 1, 0)).toBe('fooled'); // no threshold: arg max is enough
    expect(classifyOutcome([0.2, 0.3, 0.5], 1, 0.9)).toBe('not-flipped');
    expect(classifyUntargeted([0.3, 0.7], 0)).toBe('fooled');
    expect(classifyUntargeted([0.7, 0.3], 0)).toBe('not-flipped');
  });

  it('a face at 63.5 % for the target is "flipped", not "not fooled"', () => {
    const modified = Uint8Array.from(original, (v, i) => v + (i % 2 ? 6 : -6));
    const d = describeOutcome({
      settings: range,
      names,
      label: 0,
      target: 1,
      steps: 100,
      probsAfter: [0.365, 0.635],
      atLimit: atLimitOf(modified),
    });
    expect(d.kind).toBe('flipped');
    expect(d.heading).toBe('flipped to Bela 63.5 %, below the 90.0 % bar after 100 steps');
    expect(d.heading).not.toMatch(/not fooled/);
    // Every value moved by the full ±6 levels: the bound is spent.
    expect(d.why).toMatch(/^Bound reached: 100\.0 % of the values that may move sit at their limit/);
  });

  it('a face the model still calls by its own name is "not flipped", with the reason (step limit)', () => {
    const modified = Uint8Array.from(original, (v, i) => v + (i % 10 === 0 ? 6 : i % 10 === 1 ? 2 : 0));
    const d = describeOutcome({
      settings: range,
      names,
      label: 0,
      target: 1,
      steps: 100,
      probsAfter: [0.67, 0.33],
      atLimit: atLimitOf(modified),
    });
    expect(d.kind).toBe('not-flipped');
    expect(d.heading).toBe('not flipped: Asha still 67.0 % after 100 steps (Bela 33.0 %)');
    expect(d.why).toBe(
      'Step limit reached (100 steps) with 10.0 % of the values that may move at their limit: more steps may help.',
    );
  });

  it('one step is "1 step", not "1 steps"', () => {
    const d = describeOutcome({
      settings: range,
      names,
      label: 0,
      target: 1,
      steps: 1,
      probsAfter: [0.67, 0.33],
      atLimit: atLimitOf(original),
    });
    expect(d.heading).toBe('not flipped: Asha still 67.0 % after 1 step (Bela 33.0 %)');
    expect(d.why).toBe(
      'Step limit reached (1 step) with 0.0 % of the values that may move at their limit: more steps may help.',
    );
  });

  it('a fooled face says so with the target confidence, and no reason', () => {
    const d = describeOutcome({
      settings: range,
      names,
      label: 0,
      target: 1,
      steps: 7,
      probsAfter: [0.093, 0.907],
      atLimit: atLimitOf(original),
    });
    expect(d).toEqual({ kind: 'fooled', heading: 'fooled: Bela 90.7 %', why: null });
  });

  it('shareAtLimit counts moved values at lo or hi among those that may move', () => {
    const x = Uint8Array.from([10, 100, 200, 0]);
    const b = ruleBounds(x, 'relative', 0.025, true); // 10 may not move; 100: ±2; 200: ±5; 0: fixed
    expect(shareAtLimit(x, Uint8Array.from([10, 102, 201, 0]), b.lo, b.hi)).toBe(0.5);
    const none = ruleBounds(x, 'relative', 0.001, true); // under ½ level everywhere: nothing may move
    expect(shareAtLimit(x, x, none.lo, none.hi)).toBe(1);
    expect(failureReason(0.5)).toBe('bound');
    expect(failureReason(0.49)).toBe('steps');
  });

  it('the saved-file line tells still fools / now fails / never fooled apart', () => {
    expect(savedVerdict(true, true)).toMatch(/still fools/);
    expect(savedVerdict(true, false)).toMatch(/now fails/);
    expect(savedVerdict(false, false)).toMatch(/never fooled/);
    expect(savedVerdict(false, false)).not.toMatch(/no longer/);
  });
});
