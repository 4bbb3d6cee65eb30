/**
 * The CNN's score on the survey's own pairs: it "answers" Same iff it predicts the same class for
 * both images, so its accuracy is directly comparable with the participants'.
 */
import { wilsonInterval } from './stats';
import type { SurveyKit } from './types';

export interface CnnPairsScore {
  trials: number;
  correct: number;
  /** correct / trials; NaN with no pairs. */
  accuracy: number;
  ci: { lo: number; hi: number };
}

export function cnnOnPairs(kit: SurveyKit): CnnPairsScore {
  const predicted = (id: string): number => {
    const c = kit.cnnPredictions[id];
    if (typeof c !== 'number') throw new Error(`CNN on pairs: no prediction for image "${id}"`);
    return c;
  };
  let correct = 0;
  for (const pair of kit.pairs) {
    const saysSame = predicted(pair.a) === predicted(pair.b);
    if (saysSame === pair.same) correct++;
  }
  const { p, lo, hi } = wilsonInterval(correct, kit.pairs.length);
  return { trials: kit.pairs.length, correct, accuracy: p, ci: { lo, hi } };
}
