/** Survey supply check (issue 16 item 7): the message names the person and the real shortage. */
import { describe, expect, it } from 'vitest';
import { makePairs, pickTraining } from './pairs';
import { surveyShortage } from './supply';

const names = ['Asha', 'Bela'];
const labelsOf = (asha: number, bela: number) => [...Array<number>(asha).fill(0), ...Array<number>(bela).fill(1)];

describe('surveyShortage', () => {
  it('names the person with too few correctly classified test faces and what is needed (the defaults: 20 training faces)', () => {
    const message = surveyShortage(labelsOf(40, 3), names, 20);
    expect(message).toBe(
      'Survey: only 3 correctly classified test faces of Bela; need 22 of each person (20 training faces + 2 to pair). ' +
        'Lower "Training faces per person", or use a model that classifies more test faces correctly (more training or more photos).',
    );
  });

  it('the issue\'s case: two people, both short — what the pair maker said was "need at least 2 people, got 0"', () => {
    const labels = labelsOf(12, 3);
    expect(surveyShortage(labels, names, 20)).toMatch(
      /^Survey: only 12 correctly classified test faces of Asha, only 3 correctly classified test faces of Bela; need 22 of each person \(20 training faces \+ 2 to pair\)\./,
    );
    // Before: every face went to training, the pool left to pair was empty.
    const all = labels.map((label, i) => ({ id: `img-${i}`, label }));
    const training = new Set(pickTraining(all, 20, 1));
    expect(() =>
      makePairs(
        all.filter((x) => !training.has(x.id)),
        20,
        2,
      ),
    ).toThrow('need at least 2 people, got 0');
  });

  it('names every short person, including one with none', () => {
    expect(surveyShortage(labelsOf(0, 21), names, 20)).toMatch(
      /^Survey: only 0 correctly classified test faces of Asha, only 21 correctly classified test faces of Bela; need 22 of each person/,
    );
    expect(surveyShortage(labelsOf(1, 30), names, 5)).toMatch(
      /^Survey: only 1 correctly classified test face of Asha; need 7 of each person \(5 training faces \+ 2 to pair\)/,
    );
  });

  it('passes when every person has the training faces and two to pair', () => {
    expect(surveyShortage(labelsOf(22, 22), names, 20)).toBeNull();
    expect(surveyShortage(labelsOf(21, 40), names, 20)).not.toBeNull();
  });

  it('with 3 people, one short person is left out of the pairs as before; two short ones are named', () => {
    const three = ['Asha', 'Bela', 'Cleo'];
    expect(surveyShortage([...labelsOf(22, 22), ...Array<number>(5).fill(2)], three, 20)).toBeNull();
    expect(surveyShortage([...labelsOf(22, 21), ...Array<number>(5).fill(2)], three, 20)).toMatch(
      /^Survey: only 21 correctly classified test faces of Bela, only 5 correctly classified test faces of Cleo; need 22/,
    );
  });

  it('says when the dataset has fewer than 2 people', () => {
    expect(surveyShortage(labelsOf(50, 0), ['Asha'], 20)).toMatch(/has 1 person; it needs at least 2/);
  });
});
