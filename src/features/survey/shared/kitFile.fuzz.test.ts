/**
 * Issue #9 item 7 — hostile survey files, fuzzed with fast-check: random text and bytes, mutated valid kits
 * (nodes replaced by hostile values, deleted, duplicated) and mutated participant results. kitFromJson and
 * resultFromJson must either return a file that passes its own checks again (a round trip gives the same
 * value) or throw a plain Error naming the file kind — never a TypeError from reading a field of null, never
 * slow. mergeResults must take whatever the parser accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEdit, mutateJson, type Json } from '../../../test/jsonFuzz';
import { kitFromJson, kitToJson, mergeResults, resultFromJson, resultToJson } from './kitFile';
import type { ParticipantResult, SurveyKit } from './types';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const CASE_MS = 2_000;
const pixels = (seed: number): Uint8Array =>
  Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, i) => (i * 31 + seed * 7) & 255);

const kit: SurveyKit = {
  format: 'lookalike-lab-survey/1',
  id: 'kit-1',
  name: 'Pilot',
  createdAt: '2024-05-01T10:00:00Z',
  classNames: ['Ann', 'Bob'],
  displayMs: 450,
  condition: 'pre',
  seed: 42,
  training: ['a0', 'b0'],
  pairs: [
    { a: 'a0', b: 'a1', same: true },
    { a: 'b1', b: 'a0', same: false },
  ],
  images: [
    { id: 'a0', label: 0, pixels: pixels(0), modified: false },
    { id: 'a1', label: 0, pixels: pixels(1), modified: true },
    { id: 'b0', label: 1, pixels: pixels(2), modified: false },
    { id: 'b1', label: 1, pixels: pixels(3), modified: false },
  ],
  cnnPredictions: { a0: 0, a1: 1, b0: 1, b1: 1 },
  runId: 'run-1',
};

const result: ParticipantResult = {
  format: 'lookalike-lab-survey-result/1',
  kitId: 'kit-1',
  participantId: 'P1',
  condition: 'post',
  seenBefore: null,
  startedAt: '2024-05-02T09:00:00Z',
  trials: [
    {
      pairIndex: 0,
      same: true,
      answer: 'same',
      correct: true,
      shownMs: 449.9,
      targetMs: 450,
      frameMs: 16.67,
      overran: false,
      responseMs: 912,
    },
    {
      pairIndex: 1,
      same: false,
      answer: 'same',
      correct: false,
      shownMs: 450.2,
      targetMs: 450,
      frameMs: 16.67,
      overran: true,
      responseMs: 640,
    },
  ],
  features: ['eyes', 'nose'],
  otherFeatures: 'hairline',
};

/** Parsed, or refused with a plain Error whose message starts with what the file is; fast either way. */
function outcome<T>(parse: (text: string) => T, text: string, what: string): T | null {
  const t0 = performance.now();
  try {
    return parse(text);
  } catch (err) {
    expect((err as Error).constructor).toBe(Error);
    expect((err as Error).message.startsWith(`${what}: `)).toBe(true);
    return null;
  } finally {
    expect(performance.now() - t0).toBeLessThan(CASE_MS);
  }
}

/** An accepted kit is internally consistent: every reference resolves, every image is 64×64×3, labels fit. */
function expectConsistent(k: SurveyKit): void {
  const ids = new Map(k.images.map((im) => [im.id, im.label]));
  expect(ids.size).toBe(k.images.length);
  for (const im of k.images) {
    expect(im.pixels).toBeInstanceOf(Uint8Array);
    expect(im.pixels.length).toBe(12288);
    expect(Number.isInteger(im.label) && im.label >= 0 && im.label < k.classNames.length).toBe(true);
  }
  for (const p of k.pairs) {
    expect(ids.has(p.a) && ids.has(p.b) && p.a !== p.b).toBe(true);
    expect(ids.get(p.a) === ids.get(p.b)).toBe(p.same);
  }
  for (const id of k.training) expect(ids.has(id)).toBe(true);
  expect(Number.isFinite(k.displayMs) && k.displayMs > 0).toBe(true);
  // What the parser returns parses again to the same kit (nothing it let through breaks its own checks).
  expect(kitFromJson(kitToJson(k))).toEqual(k);
}

describe('survey files under hostile input (fast-check)', () => {
  it('the unmutated kit and result parse (so the properties below are not vacuous)', () => {
    expect(kitFromJson(kitToJson(kit))).toEqual(kit);
    expect(resultFromJson(resultToJson(result))).toEqual(result);
  });

  it('random text, random bytes and random JSON: refused with a "Survey kit:" / "Survey result:" Error', () => {
    const both = (text: string) => {
      expect(outcome(kitFromJson, text, 'Survey kit')).toBeNull();
      expect(outcome(resultFromJson, text, 'Survey result')).toBeNull();
    };
    fc.assert(fc.property(fc.string({ maxLength: 500 }), both), { numRuns: 300 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (b) => both(new TextDecoder().decode(b))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => both(JSON.stringify(v) ?? 'null')),
      { numRuns: 300 },
    );
  });

  it('mutated kits: accepted ones are consistent, the rest refused with a clear Error', () => {
    const json = JSON.parse(kitToJson(kit)) as Json;
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(jsonEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        const parsed = outcome(kitFromJson, JSON.stringify(mutateJson(json, edits)), 'Survey kit');
        if (parsed) {
          accepted++;
          expectConsistent(parsed);
        } else refused++;
      }),
      { numRuns: 500 },
    );
    console.log(`[fuzz] mutated survey kits: ${refused} refused with an Error, ${accepted} accepted and consistent`);
    expect(refused).toBeGreaterThan(250);
    expect(accepted).toBeGreaterThan(0);
  });

  it('mutated results: accepted ones round-trip and merge, the rest refused with a clear Error', () => {
    const json = JSON.parse(resultToJson(result)) as Json;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(jsonEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        const parsed = outcome(resultFromJson, JSON.stringify(mutateJson(json, edits)), 'Survey result');
        if (!parsed) {
          refused++;
          return;
        }
        expect(resultFromJson(resultToJson(parsed))).toEqual(parsed);
        for (const t of parsed.trials) expect(t.correct).toBe((t.answer === 'same') === t.same);
        const merged = mergeResults([result], [parsed, parsed]);
        // The same (kitId, participantId) twice is added at most once.
        expect(merged.added).toBeLessThanOrEqual(1);
        expect(merged.merged[0]).toBe(result);
      }),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(500);
  });

  it('large and deep inputs stay fast: 5,000 pairs, 100,000-deep nesting, a 10 MB pixel string', () => {
    const many = JSON.parse(kitToJson(kit));
    many.pairs = Array.from({ length: 5000 }, (_, i) =>
      i % 2 ? { a: 'a0', b: 'a1', same: true } : { a: 'b1', b: 'a0', same: false },
    );
    expect(outcome(kitFromJson, JSON.stringify(many), 'Survey kit')!.pairs.length).toBe(5000);
    // JSON.parse refuses very deep nesting with a RangeError; the parser must still say "Survey kit: …".
    expect(outcome(kitFromJson, '['.repeat(100_000) + ']'.repeat(100_000), 'Survey kit')).toBeNull();
    const big = JSON.parse(kitToJson(kit));
    big.images[0].pixels = 'A'.repeat(10 * 1024 * 1024);
    expect(() => kitFromJson(JSON.stringify(big))).toThrow(
      /Survey kit: image "a0" has \d+ pixel bytes, expected 12288/,
    );
  });
});
