/** The study's kept numbers: the paper's "99 % → 1 %" is the true class's probability, averaged over the attacked faces. */
import { describe, expect, it } from 'vitest';
import type { FoolBatchReport } from '../../../fool/shared/protocol';
import type { LastLayerExport } from '../../../survey/shared/protocol';
import { attackNumbers, lastLayerNumbers, surveyNumbers } from './numbers';

describe('study numbers', () => {
  it("attack: mean probability of each face's own class, before and after", () => {
    // Face 0 is class 0, face 1 class 1; the attack's target is the other class.
    const rows = [
      { label: 0, target: 1, probsBefore: [0.9, 0.1], probsAfter: [0.2, 0.8] },
      { label: 1, target: 0, probsBefore: [0.3, 0.7], probsAfter: [0.95, 0.05] },
    ];
    const report = {
      split: 'test',
      ruleText: 'r',
      examined: 5,
      images: 2,
      successRate: 1,
      accuracyBefore: 1,
      accuracyAfter: 0,
      medianSteps: 3,
      maxRelative: 0.025,
      rows,
    } as unknown as FoolBatchReport;
    const n = attackNumbers('run', 200, report);
    expect(n.trueConfidenceBefore).toBeCloseTo((0.9 + 0.7) / 2, 12);
    expect(n.trueConfidenceAfter).toBeCloseTo((0.2 + 0.05) / 2, 12);
    expect(n).toMatchObject({ runId: 'run', perClass: 200, images: 2, examined: 5, split: 'test' });
  });

  it('last layer: the same on the originals and the modified copies', () => {
    const e = {
      layerName: 'dense',
      width: 4,
      indices: [3, 8],
      labels: [1, 0],
      probsOriginal: [
        [0.1, 0.9],
        [0.6, 0.4],
      ],
      probsModified: [
        [0.7, 0.3],
        [0.2, 0.8],
      ],
    } as unknown as LastLayerExport;
    const n = lastLayerNumbers('run', e);
    expect(n.trueConfidenceOriginal).toBeCloseTo((0.9 + 0.6) / 2, 12);
    expect(n.trueConfidenceModified).toBeCloseTo((0.3 + 0.2) / 2, 12);
    expect(n.images).toBe(2);
  });

  it('survey: trials and correct answers per condition', () => {
    const t = (correct: boolean) => ({ correct }) as never;
    const results = [
      { participantId: 'a', condition: 'pre', trials: [t(true), t(false), t(true)] },
      { participantId: 'b', condition: 'post', trials: [t(false), t(true)] },
    ] as never;
    expect(surveyNumbers(1, results)).toEqual({
      surveys: 1,
      participants: 2,
      pre: { trials: 3, correct: 2 },
      post: { trials: 2, correct: 1 },
    });
  });
});
