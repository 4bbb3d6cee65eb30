/** Tests for survey kit / result JSON round trips, their validation errors, and result merging. */
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';
import { checkResultAgainstKit, kitFromJson, kitToJson, mergeResults, resultFromJson, resultToJson } from './kitFile';
import type { ParticipantResult, SurveyKit } from './types';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const pixels = (seed: number): Uint8Array =>
  Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, i) => (i * 31 + seed * 7) & 255);

function makeKit(): SurveyKit {
  return {
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
  };
}

/** Serialise the kit, edit the plain JSON object, and parse it back. */
function tampered(
  edit: (
    o: Record<string, unknown> & { images: Array<Record<string, unknown>>; pairs: Array<Record<string, unknown>> },
  ) => void,
): string {
  const o = JSON.parse(kitToJson(makeKit()));
  edit(o);
  return JSON.stringify(o);
}

function makeResult(participantId: string, kitId = 'kit-1'): ParticipantResult {
  return {
    format: 'lookalike-lab-survey-result/1',
    kitId,
    participantId,
    condition: 'post',
    seenBefore: null,
    startedAt: '2024-05-02T09:00:00Z',
    trials: [
      {
        pairIndex: 1,
        same: false,
        answer: 'same',
        correct: false,
        shownMs: 449.9,
        targetMs: 450,
        frameMs: 16.67,
        overran: false,
        responseMs: 912,
      },
    ],
    features: ['eyes', 'nose'],
    otherFeatures: 'hairline',
  };
}

describe('base64', () => {
  it('round-trips every byte value and buffers larger than one chunk', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(Uint8Array.of(77, 97, 110))).toBe('TWFu');
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    const big = Uint8Array.from({ length: 0x8000 * 2 + 5 }, (_, i) => (i * 131) & 255);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
    expect(() => base64ToBytes('ab!=')).toThrow(/base64/);
  });
});

describe('kit JSON', () => {
  it('round-trips with byte-identical pixels', () => {
    const kit = makeKit();
    const back = kitFromJson(kitToJson(kit));
    expect(back).toEqual(kit);
    back.images.forEach((im, i) => {
      expect(im.pixels).toBeInstanceOf(Uint8Array);
      expect(Array.from(im.pixels)).toEqual(Array.from(kit.images[i].pixels));
    });
  });

  it.each([
    ['not JSON', () => '{nope', /Survey kit: not valid JSON/],
    [
      'deeply nested',
      () => '['.repeat(100_000) + ']'.repeat(100_000),
      /^Survey kit: the file nests more than 16 levels deep; refusing it$/,
    ],
    [
      'wrong format',
      () =>
        tampered((o) => {
          o.format = 'other/1';
        }),
      /format must be "lookalike-lab-survey\/1", got "other\/1"/,
    ],
    [
      'missing name',
      () =>
        tampered((o) => {
          delete o.name;
        }),
      /missing field "name"/,
    ],
    [
      'missing pairs',
      () =>
        tampered((o) => {
          Reflect.deleteProperty(o, 'pairs');
        }),
      /missing field "pairs"/,
    ],
    [
      'missing image field',
      () =>
        tampered((o) => {
          delete o.images[1].modified;
        }),
      /missing field "images\[1\]\.modified"/,
    ],
    [
      'short pixels',
      () =>
        tampered((o) => {
          o.images[2].pixels = bytesToBase64(new Uint8Array(12287));
        }),
      /image "b0" has 12287 pixel bytes, expected 12288/,
    ],
    [
      'bad base64',
      () =>
        tampered((o) => {
          o.images[0].pixels = '***';
        }),
      /image "a0" pixels: not valid base64/,
    ],
    [
      'pair id not in images',
      () =>
        tampered((o) => {
          o.pairs[1].b = 'ghost';
        }),
      /pairs\[1\] refers to image "ghost", which is not in images/,
    ],
    [
      'training id not in images',
      () =>
        tampered((o) => {
          o.training = ['a0', 'nobody'];
        }),
      /training\[1\] refers to image "nobody"/,
    ],
    [
      'duplicate image ids',
      () =>
        tampered((o) => {
          o.images[3].id = 'a1';
        }),
      /duplicate image id "a1"/,
    ],
    [
      'self pair',
      () =>
        tampered((o) => {
          o.pairs[0].b = 'a0';
        }),
      /pairs\[0\] pairs image "a0" with itself/,
    ],
    [
      'same vs labels',
      () =>
        tampered((o) => {
          o.pairs[0].same = false;
        }),
      /pairs\[0\]\.same disagrees/,
    ],
    [
      'label out of range',
      () =>
        tampered((o) => {
          o.images[0].label = 2;
        }),
      /label 2, outside 0\.\.1/,
    ],
    [
      'bad condition',
      () =>
        tampered((o) => {
          o.condition = 'during';
        }),
      /"condition" must be one of pre, post/,
    ],
    [
      'bad prediction',
      () =>
        tampered((o) => {
          o.cnnPredictions = { a0: 'x' };
        }),
      /"cnnPredictions\["a0"\]" must be an integer/,
    ],
    // Issue 18: kits that used to be stored and then crashed the kiosk or the page.
    [
      'no pairs',
      () =>
        tampered((o) => {
          o.pairs = [];
        }),
      /"pairs" is empty: a survey needs at least 1 pair/,
    ],
    [
      'empty predictions',
      () =>
        tampered((o) => {
          o.cnnPredictions = {};
        }),
      /pairs\[0\] shows image "a0", which has no entry in cnnPredictions/,
    ],
    [
      'prediction out of range',
      () =>
        tampered((o) => {
          o.cnnPredictions = { a0: 0, a1: 5, b0: 1, b1: 1 };
        }),
      /cnnPredictions\["a1"\] is 5, outside 0\.\.1/,
    ],
    [
      'one person',
      () =>
        tampered((o) => {
          o.classNames = ['Ann'];
        }),
      /"classNames" must name at least 2 people, got 1/,
    ],
  ])('rejects %s', (_name, make, message) => {
    expect(() => kitFromJson(make())).toThrow(message);
  });
});

describe('result JSON', () => {
  it('round-trips', () => {
    const r = makeResult('P1');
    expect(resultFromJson(resultToJson(r))).toEqual(r);
    expect(resultFromJson(resultToJson({ ...r, seenBefore: true })).seenBefore).toBe(true);
  });

  const edited = (edit: (o: Record<string, unknown> & { trials: Array<Record<string, unknown>> }) => void): string => {
    const o = JSON.parse(resultToJson(makeResult('P1')));
    edit(o);
    return JSON.stringify(o);
  };

  it.each([
    [
      'wrong format',
      () =>
        edited((o) => {
          o.format = 'lookalike-lab-survey/1';
        }),
      /Survey result: format must be "lookalike-lab-survey-result\/1"/,
    ],
    [
      'missing kitId',
      () =>
        edited((o) => {
          delete o.kitId;
        }),
      /missing field "kitId"/,
    ],
    [
      'empty participant',
      () =>
        edited((o) => {
          o.participantId = ' ';
        }),
      /"participantId" must not be empty/,
    ],
    [
      'bad seenBefore',
      () =>
        edited((o) => {
          o.seenBefore = 'yes';
        }),
      /"seenBefore" must be true, false or null/,
    ],
    [
      'bad answer',
      () =>
        edited((o) => {
          o.trials[0].answer = 'maybe';
        }),
      /"trials\[0\]\.answer" must be one of same, different/,
    ],
    [
      'inconsistent correct',
      () =>
        edited((o) => {
          o.trials[0].correct = true;
        }),
      /"trials\[0\]\.correct" disagrees/,
    ],
    [
      'missing shownMs',
      () =>
        edited((o) => {
          delete o.trials[0].shownMs;
        }),
      /missing field "trials\[0\]\.shownMs"/,
    ],
    [
      'unknown feature',
      () =>
        edited((o) => {
          o.features = ['ears'];
        }),
      /unknown feature "ears"/,
    ],
  ])('rejects %s', (_name, make, message) => {
    expect(() => resultFromJson(make())).toThrow(message);
  });
});

describe('checkResultAgainstKit', () => {
  it('accepts a result of the kit and refuses a pair index past its pairs, a wrong same, another kit', () => {
    const kit = makeKit();
    expect(() => checkResultAgainstKit(kit, makeResult('P1'))).not.toThrow();
    const far = makeResult('P2');
    far.trials[0] = { ...far.trials[0], pairIndex: 999999 };
    expect(() => checkResultAgainstKit(kit, far)).toThrow(/trials\[0\]\.pairIndex is 999999, but the kit has 2 pairs/);
    const wrong = makeResult('P3');
    wrong.trials[0] = { ...wrong.trials[0], pairIndex: 0 };
    expect(() => checkResultAgainstKit(kit, wrong)).toThrow(/trials\[0\]\.same disagrees with the kit's pair 0/);
    expect(() => checkResultAgainstKit(kit, makeResult('P4', 'kit-2'))).toThrow(
      /belongs to another survey \(kit "kit-2"\)/,
    );
  });
});

describe('mergeResults', () => {
  it('adds new (kitId, participantId) pairs, keeps existing ones, reports duplicates', () => {
    const oldP1 = makeResult('P1');
    const newP1 = { ...makeResult('P1'), otherFeatures: 'changed' };
    const { merged, added, duplicates } = mergeResults(
      [oldP1, makeResult('P2')],
      [newP1, makeResult('P3'), makeResult('P1', 'kit-2'), makeResult('P3')],
    );
    expect(merged.map((r) => `${r.kitId}/${r.participantId}`)).toEqual([
      'kit-1/P1',
      'kit-1/P2',
      'kit-1/P3',
      'kit-2/P1',
    ]);
    expect(merged[0]).toBe(oldP1);
    expect(added).toBe(2);
    expect(duplicates).toEqual(['P1', 'P3']);
  });
});
