/**
 * Whether a run's correctly classified test faces can fill a survey, and if not, which person falls short by
 * how much (issue 16 item 7): a person needs `trainPerClass` named training faces plus at least 2 faces left to
 * pair (with two people, both must have them). Checked before any pair is drawn, so the message names the real shortage instead of what an
 * empty pool looks like further down ("need at least 2 people, got 0").
 */

/** Faces left to pair per person, at least: a same-person pair needs two. */
export const MIN_PAIR_FACES_PER_PERSON = 2;

const faces = (n: number) => `${n} correctly classified test face${n === 1 ? '' : 's'}`;

/** The shortage in words, or null when every person has enough. `labels`: one per correctly classified face. */
export function surveyShortage(
  labels: readonly number[],
  classNames: readonly string[],
  trainPerClass: number,
): string | null {
  if (classNames.length < 2)
    return `A survey compares people: this run's dataset has ${classNames.length} ${classNames.length === 1 ? 'person' : 'people'}; it needs at least 2.`;
  const need = trainPerClass + MIN_PAIR_FACES_PER_PERSON;
  const counts = classNames.map(() => 0);
  for (const label of labels) if (label >= 0 && label < counts.length) counts[label]++;
  // Training takes up to trainPerClass of each person; what is left is paired. The pairs need 2 or more people
  // with at least 2 faces left, and none with exactly 1 (makePairs' rules). With 3 or more people, one with too
  // few faces may be left out of the pairs, as before.
  const left = counts.map((n) => Math.max(0, n - trainPerClass));
  if (!left.includes(1) && left.filter((n) => n >= MIN_PAIR_FACES_PER_PERSON).length >= 2) return null;
  const short = classNames.map((name, i) => ({ name, n: counts[i] })).filter((c) => c.n < need);
  const what = short.map((c) => `only ${faces(c.n)} of ${c.name}`).join(', ');
  return (
    `Survey: ${what}; need ${need} of each person (${trainPerClass} training faces + ${MIN_PAIR_FACES_PER_PERSON} to pair). ` +
    'Lower "Training faces per person", or use a model that classifies more test faces correctly (more training or more photos).'
  );
}
