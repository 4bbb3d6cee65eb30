/** Stratified, seeded train/test split (paper §3.4: 80/20), with a separately sourced validation set. */
import { SPLIT_CODES, type SplitRecord } from '../../db/schema';
import { shuffleInPlace } from '../../shared/shuffle';
import { Rng } from '../../shared/synthetic/rng';

/**
 * labels: one class per image. isValidation marks images that belong to the separate validation set.
 * Within each class, round(80 %) of the remaining images go to train (at most all but one), the rest to test.
 */
export function stratifiedSplit(
  datasetId: string,
  labels: ArrayLike<number>,
  isValidation: (i: number) => boolean,
  seed: number,
  trainFraction = 0.8,
): SplitRecord {
  // Every image its own group: the grouped split with singleton groups is exactly the per-image one.
  const ownGroup = Array.from({ length: labels.length }, (_, i) => String(i));
  return groupedStratifiedSplit(datasetId, labels, ownGroup, isValidation, seed, trainFraction);
}

/**
 * Like stratifiedSplit, but whole groups (e.g. all crops of one source photo) go to train or to test
 * together, so no photo straddles the two. Groups are shuffled within their class (a group's class is the
 * label of its first image; photo folders give every crop of a photo the same label) and round(80 %) of a
 * class's groups go to train — but at least one goes to test when the class has two groups or more.
 */
export function groupedStratifiedSplit(
  datasetId: string,
  labels: ArrayLike<number>,
  groups: ArrayLike<string>,
  isValidation: (i: number) => boolean,
  seed: number,
  trainFraction = 0.8,
): SplitRecord {
  const codes = new Uint8Array(labels.length);
  const members = new Map<string, number[]>();
  const groupsByClass = new Map<number, string[]>();
  for (let i = 0; i < labels.length; i++) {
    if (isValidation(i)) {
      codes[i] = SPLIT_CODES.validation;
      continue;
    }
    const g = groups[i];
    let list = members.get(g);
    if (!list) {
      list = [];
      members.set(g, list);
      const ofClass = groupsByClass.get(labels[i]) ?? [];
      ofClass.push(g);
      groupsByClass.set(labels[i], ofClass);
    }
    list.push(i);
  }
  const rng = new Rng(seed);
  for (const classGroups of [...groupsByClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])) {
    shuffleInPlace(classGroups, rng);
    let nTrain = Math.round(classGroups.length * trainFraction);
    if (classGroups.length >= 2) nTrain = Math.min(nTrain, classGroups.length - 1);
    classGroups.forEach((g, k) => {
      for (const i of members.get(g)!) codes[i] = k < nTrain ? SPLIT_CODES.train : SPLIT_CODES.test;
    });
  }
  const count = (c: number) => codes.reduce((n, v) => n + (v === c ? 1 : 0), 0);
  return {
    datasetId,
    seed,
    codes,
    counts: {
      train: count(SPLIT_CODES.train),
      test: count(SPLIT_CODES.test),
      validation: count(SPLIT_CODES.validation),
    },
  };
}
