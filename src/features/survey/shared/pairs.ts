/**
 * Seeded, balanced trial pairs for the survey (half same-person, half different-person) and the
 * per-class pick of named "training" images shown before the trials.
 */
import { Rng, hashSeed } from '../../../shared/synthetic/rng';
import { shuffleInPlace } from '../../../shared/shuffle';
import type { SurveyPair } from './types';

export interface LabelledId {
  id: string;
  label: number;
}

/** Group ids by label (labels ascending); throws on duplicate ids. */
function groupByLabel(images: readonly LabelledId[]): { labels: number[]; byLabel: Map<number, string[]> } {
  const seen = new Set<string>();
  const byLabel = new Map<number, string[]>();
  for (const { id, label } of images) {
    if (seen.has(id)) throw new Error(`Survey pairs: duplicate image id "${id}"`);
    seen.add(id);
    const list = byLabel.get(label);
    if (list) list.push(id);
    else byLabel.set(label, [id]);
  }
  return { labels: [...byLabel.keys()].sort((x, y) => x - y), byLabel };
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Draw `need` pairs, avoiding repeats while unused unordered pairs remain (then repeats are allowed).
 * `drawOne` samples quickly; `enumerate` lists every candidate, used only when sampling keeps hitting
 * already-used pairs.
 */
function drawPairs(
  need: number,
  total: number,
  rng: Rng,
  drawOne: () => [string, string],
  enumerate: () => Array<[string, string]>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let used = new Set<string>();
  while (out.length < need) {
    if (used.size >= total) used = new Set<string>();
    let pick: [string, string] | null = null;
    for (let attempt = 0; attempt < 64 && !pick; attempt++) {
      const p = drawOne();
      if (!used.has(pairKey(p[0], p[1]))) pick = p;
    }
    if (!pick) {
      const left = enumerate().filter(([a, b]) => !used.has(pairKey(a, b)));
      pick = left[rng.int(0, left.length - 1)];
    }
    used.add(pairKey(pick[0], pick[1]));
    out.push(rng.next() < 0.5 ? pick : [pick[1], pick[0]]);
  }
  return out;
}

/**
 * Exactly floor(count/2) same-person pairs and the rest different-person pairs, shuffled. Unordered
 * pairs do not repeat until every possible pair of that kind has been used.
 */
export function makePairs(images: readonly LabelledId[], count: number, seed: number): SurveyPair[] {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`Survey pairs: count must be a whole number ≥ 0, got ${count}`);
  const { labels, byLabel } = groupByLabel(images);
  if (labels.length < 2) throw new Error(`Survey pairs: need at least 2 people, got ${labels.length}`);
  for (const label of labels) {
    const n = byLabel.get(label)?.length ?? 0;
    if (n < 2) throw new Error(`Survey pairs: person ${label} has ${n} image; every person needs at least 2`);
  }
  const rng = new Rng(hashSeed(seed, count, images.length));
  const ids = (label: number): string[] => byLabel.get(label) ?? [];
  const pickFrom = (list: readonly string[]): string => list[rng.int(0, list.length - 1)];
  const nSame = Math.floor(count / 2);
  const sizes = labels.map((l) => ids(l).length);
  const totalSame = sizes.reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  const totalDiff = (images.length * (images.length - 1)) / 2 - totalSame;

  const same = drawPairs(
    nSame,
    totalSame,
    rng,
    () => {
      const list = ids(labels[rng.int(0, labels.length - 1)]);
      const i = rng.int(0, list.length - 1);
      const j = (i + rng.int(1, list.length - 1)) % list.length; // never i itself
      return [list[i], list[j]];
    },
    () => labels.flatMap((l) => ids(l).flatMap((a, i, list) => list.slice(i + 1).map((b): [string, string] => [a, b]))),
  );
  const diff = drawPairs(
    count - nSame,
    totalDiff,
    rng,
    () => {
      const i = rng.int(0, labels.length - 1);
      const j = (i + rng.int(1, labels.length - 1)) % labels.length; // a different person
      return [pickFrom(ids(labels[i])), pickFrom(ids(labels[j]))];
    },
    () =>
      labels.flatMap((la, i) =>
        labels.slice(i + 1).flatMap((lb) => ids(la).flatMap((a) => ids(lb).map((b): [string, string] => [a, b]))),
      ),
  );
  const pairs: SurveyPair[] = [
    ...same.map(([a, b]) => ({ a, b, same: true })),
    ...diff.map(([a, b]) => ({ a, b, same: false })),
  ];
  return shuffleInPlace(pairs, rng);
}

/**
 * `perClass` distinct ids of each person (fewer if a person has fewer images), seeded, grouped by
 * label ascending.
 */
export function pickTraining(images: readonly LabelledId[], perClass: number, seed: number): string[] {
  if (!Number.isInteger(perClass) || perClass < 0) {
    throw new Error(`Survey training: perClass must be a whole number ≥ 0, got ${perClass}`);
  }
  const { labels, byLabel } = groupByLabel(images);
  const rng = new Rng(hashSeed(seed, perClass, 0x7a11));
  return labels.flatMap((label) => shuffleInPlace([...(byLabel.get(label) ?? [])], rng).slice(0, perClass));
}
