/**
 * JSON files for the survey: the kit (images as base64 pixels) and a participant's result, each
 * parsed back with validation that throws clear errors, plus merging imported results.
 */
import { base64ToBytes, bytesToBase64 } from './base64';
import { Checker } from './guards';
import { FEATURES } from './types';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import type { ParticipantResult, SurveyCondition, SurveyImage, SurveyKit, SurveyPair, TrialRecord } from './types';
import { errorMessage } from '../../../shared/errorMessage';

const KIT_FORMAT = 'lookalike-lab-survey/1';
const RESULT_FORMAT = 'lookalike-lab-survey-result/1';
const CONDITIONS: readonly SurveyCondition[] = ['pre', 'post'];

export function kitToJson(kit: SurveyKit): string {
  return JSON.stringify({ ...kit, images: kit.images.map((im) => ({ ...im, pixels: bytesToBase64(im.pixels) })) });
}

export function kitFromJson(text: string): SurveyKit {
  const c: Checker = new Checker('Survey kit');
  const o = c.parse(text);
  if (o.format !== KIT_FORMAT) c.fail(`format must be "${KIT_FORMAT}", got ${JSON.stringify(o.format ?? null)}`);
  const classNames = c.strings(o, 'classNames');
  if (classNames.length < 2) c.fail(`"classNames" must name at least 2 people, got ${classNames.length}`);
  if (new Set(classNames).size !== classNames.length) c.fail('"classNames" must not repeat a name');
  const images = c.arr(o, 'images').map((raw, i): SurveyImage => {
    const im = c.obj(raw, `images[${i}]`);
    const id = c.str(im, 'id', `images[${i}].id`);
    const label = c.num(im, 'label', `images[${i}].label`, true);
    if (label < 0 || label >= classNames.length)
      c.fail(`image "${id}" has label ${label}, outside 0..${classNames.length - 1}`);
    let pixels: Uint8Array;
    try {
      pixels = base64ToBytes(c.str(im, 'pixels', `images[${i}].pixels`));
    } catch (e) {
      c.fail(`image "${id}" pixels: ${errorMessage(e)}`);
    }
    if (pixels.length !== PIXELS_PER_IMAGE)
      c.fail(`image "${id}" has ${pixels.length} pixel bytes, expected ${PIXELS_PER_IMAGE}`);
    return { id, label, pixels, modified: c.bool(im, 'modified', `images[${i}].modified`) };
  });
  const labelOf = new Map<string, number>();
  for (const im of images) {
    if (labelOf.has(im.id)) c.fail(`duplicate image id "${im.id}"`);
    labelOf.set(im.id, im.label);
  }
  const known = (id: string, where: string): number => {
    const label = labelOf.get(id);
    if (label === undefined) c.fail(`${where} refers to image "${id}", which is not in images`);
    return label;
  };
  const pairs = c.arr(o, 'pairs').map((raw, i): SurveyPair => {
    const p = c.obj(raw, `pairs[${i}]`);
    const a = c.str(p, 'a', `pairs[${i}].a`);
    const b = c.str(p, 'b', `pairs[${i}].b`);
    const same = c.bool(p, 'same', `pairs[${i}].same`);
    if (a === b) c.fail(`pairs[${i}] pairs image "${a}" with itself`);
    if ((known(a, `pairs[${i}]`) === known(b, `pairs[${i}]`)) !== same)
      c.fail(`pairs[${i}].same disagrees with the image labels`);
    return { a, b, same };
  });
  // A kit with no pair would start a kiosk with nothing to show (it crashed reading pair 0).
  if (pairs.length === 0) c.fail('"pairs" is empty: a survey needs at least 1 pair');
  const training = c.strings(o, 'training');
  training.forEach((id, i) => known(id, `training[${i}]`));
  const preds = c.obj(o.cnnPredictions, 'cnnPredictions');
  const cnnPredictions: Record<string, number> = {};
  for (const key of Object.keys(preds)) {
    const p = c.num(preds, key, `cnnPredictions["${key}"]`, true);
    if (p < 0 || p >= classNames.length)
      c.fail(`cnnPredictions["${key}"] is ${p}, outside 0..${classNames.length - 1}`);
    cnnPredictions[key] = p;
  }
  // Every paired image needs the network's answer (the results page compares people with it).
  for (const [i, p] of pairs.entries()) {
    for (const id of [p.a, p.b])
      if (!(id in cnnPredictions)) c.fail(`pairs[${i}] shows image "${id}", which has no entry in cnnPredictions`);
  }
  const displayMs = c.num(o, 'displayMs');
  if (displayMs <= 0) c.fail(`"displayMs" must be positive, got ${displayMs}`);
  return {
    format: KIT_FORMAT,
    id: c.str(o, 'id'),
    name: c.str(o, 'name'),
    createdAt: c.str(o, 'createdAt'),
    classNames,
    displayMs,
    condition: c.oneOf(o, 'condition', CONDITIONS),
    seed: c.num(o, 'seed', 'seed', true),
    training,
    pairs,
    images,
    cnnPredictions,
    ...(typeof o.runId === 'string' ? { runId: o.runId } : {}),
  };
}

export function resultToJson(r: ParticipantResult): string {
  return JSON.stringify(r, null, 2);
}

export function resultFromJson(text: string): ParticipantResult {
  const c: Checker = new Checker('Survey result');
  const o = c.parse(text);
  if (o.format !== RESULT_FORMAT) c.fail(`format must be "${RESULT_FORMAT}", got ${JSON.stringify(o.format ?? null)}`);
  const participantId = c.str(o, 'participantId');
  if (participantId.trim() === '') c.fail('"participantId" must not be empty');
  if (o.seenBefore !== null && typeof o.seenBefore !== 'boolean') c.fail('"seenBefore" must be true, false or null');
  const trials = c.arr(o, 'trials').map((raw, i): TrialRecord => {
    const t = c.obj(raw, `trials[${i}]`);
    const f = (key: string): string => `trials[${i}].${key}`;
    const pairIndex = c.num(t, 'pairIndex', f('pairIndex'), true);
    if (pairIndex < 0) c.fail(`"${f('pairIndex')}" must be ≥ 0`);
    const same = c.bool(t, 'same', f('same'));
    const answer = c.oneOf(t, 'answer', ['same', 'different'] as const, f('answer'));
    const correct = c.bool(t, 'correct', f('correct'));
    if (correct !== ((answer === 'same') === same)) c.fail(`"${f('correct')}" disagrees with its answer`);
    return {
      pairIndex,
      same,
      answer,
      correct,
      shownMs: c.num(t, 'shownMs', f('shownMs')),
      targetMs: c.num(t, 'targetMs', f('targetMs')),
      frameMs: c.num(t, 'frameMs', f('frameMs')),
      overran: c.bool(t, 'overran', f('overran')),
      responseMs: c.num(t, 'responseMs', f('responseMs')),
    };
  });
  const features = c.strings(o, 'features');
  for (const ft of features) if (!(FEATURES as readonly string[]).includes(ft)) c.fail(`unknown feature "${ft}"`);
  return {
    format: RESULT_FORMAT,
    kitId: c.str(o, 'kitId'),
    participantId,
    condition: c.oneOf(o, 'condition', CONDITIONS),
    seenBefore: o.seenBefore as boolean | null,
    startedAt: c.str(o, 'startedAt'),
    trials,
    features,
    otherFeatures: c.str(o, 'otherFeatures'),
  };
}

/**
 * A result checked against the kit it claims to answer: same kit id, every trial's pair index inside the kit's
 * pairs and its `same` equal to that pair's. Throws with the first problem.
 */
export function checkResultAgainstKit(kit: SurveyKit, r: ParticipantResult): void {
  const c: Checker = new Checker(`Result of ${JSON.stringify(r.participantId)}`);
  if (r.kitId !== kit.id) c.fail(`it belongs to another survey (kit ${JSON.stringify(r.kitId)})`);
  for (const [i, t] of r.trials.entries()) {
    if (t.pairIndex >= kit.pairs.length)
      c.fail(`trials[${i}].pairIndex is ${t.pairIndex}, but the kit has ${kit.pairs.length} pairs`);
    if (kit.pairs[t.pairIndex].same !== t.same)
      c.fail(`trials[${i}].same disagrees with the kit's pair ${t.pairIndex}`);
  }
}

export interface MergeOutcome {
  merged: ParticipantResult[];
  added: number;
  /** participantId of each incoming result dropped because (kitId, participantId) was already present. */
  duplicates: string[];
}

/** Append incoming results whose (kitId, participantId) is new; existing ones always win. */
export function mergeResults(
  existing: readonly ParticipantResult[],
  incoming: readonly ParticipantResult[],
): MergeOutcome {
  const key = (r: ParticipantResult): string => JSON.stringify([r.kitId, r.participantId]);
  const seen = new Set(existing.map(key));
  const merged = [...existing];
  const duplicates: string[] = [];
  for (const r of incoming) {
    if (seen.has(key(r))) duplicates.push(r.participantId);
    else {
      seen.add(key(r));
      merged.push(r);
    }
  }
  return { merged, added: merged.length - existing.length, duplicates };
}
