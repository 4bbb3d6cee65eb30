/**
 * What the Fool page asks of the lab worker, on plain arrays: fool one image (with replay frames and the
 * "saved means saved" check), fool a batch and summarise it as the paper's §5 experiment, and export the
 * adversarial set as a zip. The PNG codec is injected: the browser's in the worker, a JS one in Node tests.
 */
import type * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import type { AttackSettings } from '../shared/attackSettings';
import { firstOutOfBounds, perturbationNorms } from '../shared/bounds';
import type { PerturbationNorms } from '../shared/bounds';
import { attackKind, isFooled, ruleBoundsOf } from '../shared/attackKinds';
import { noiseImage } from '../shared/noiseImage';
import { shareAtLimit } from '../shared/outcome';
import type { FoolBatchReport, FoolBatchRow, FoolImageResult, SavedCheck } from '../shared/protocol';
import { runAttack } from './attacks';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import type { PngCodec } from './pngCodec';
import { csvText } from '../../../shared/csv';
import { argMax } from '../../../shared/argMax';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { abortPoint } from '../../../ml/abortPoint';

export function ruleText(settings: AttackSettings): string {
  return attackKind(settings).ruleText(settings);
}

/** Does the saved image satisfy the attack's real-valued rule (no rounding slack)? */
export function withinRule(settings: AttackSettings, original: Uint8Array, saved: Uint8Array): boolean {
  return firstOutOfBounds(saved, ruleBoundsOf(settings, original)) < 0;
}

/** Encodes, decodes and re-classifies a saved image. */
async function savedCheck(
  model: tf.LayersModel,
  codec: PngCodec,
  settings: AttackSettings,
  modified: Uint8Array,
  label: number,
  target: number,
): Promise<SavedCheck> {
  const png = await codec.encode(modified, IMAGE_SIDE, IMAGE_SIDE);
  const decoded = await codec.decode(png);
  const identical = decoded.rgb.length === modified.length && decoded.rgb.every((v, i) => v === modified[i]);
  const probs = Array.from(await probabilitiesOf(model, decoded.rgb, 1));
  return { png, probs, fooled: isFooled(settings, probs, label, target), identical };
}

export async function foolOneImage(
  model: tf.LayersModel,
  codec: PngCodec,
  image: { index: number; pixels: Uint8Array; label: number },
  settings: AttackSettings,
  signal?: AbortSignal,
  onStep?: (step: number) => void,
): Promise<Omit<FoolImageResult, 'classNames'>> {
  const run = await runAttack(
    model,
    settings,
    { pixels: image.pixels, labels: [image.label], recordFrames: 100 },
    signal,
    (s) => onStep?.(s),
  );
  const o = run.outcomes[0];
  const modified = Uint8Array.from(o.adversarial, (v) => Math.round(v));
  const target = run.targets[0];
  const b = run.bounds;
  return {
    index: image.index,
    label: image.label,
    target,
    settings,
    ruleText: ruleText(settings),
    original: image.pixels,
    modified,
    probsBefore: o.probsBefore,
    probsAfter: o.probsAfter,
    success: o.success,
    steps: o.steps,
    ms: run.ms,
    history: run.history,
    frames: run.frames,
    norms: perturbationNorms(image.pixels, modified),
    withinBound: withinRule(settings, image.pixels, modified),
    atLimit: shareAtLimit(image.pixels, modified, b.lo, b.hi),
    saved: await savedCheck(model, codec, settings, modified, image.label, target),
  };
}

const median = (v: number[]) => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

/**
 * Walks the split in order, 64 images at a time, and keeps the first `perClass` correctly classified images of
 * each class (the paper attacked 200 correctly classified images per class). Stops reading once it has them.
 */
export async function pickCorrectlyClassified(
  model: tf.LayersModel,
  indices: ArrayLike<number>,
  read: (indices: number[]) => Promise<{ pixels: Uint8Array; labels: ArrayLike<number> }>,
  perClass: number,
  numClasses: number,
): Promise<BatchImages & { examined: number; correct: number }> {
  const taken = new Array<number>(numClasses).fill(0);
  const chosen: BatchImages = { indices: [], pixels: new Uint8Array(0), labels: [] };
  const parts: Uint8Array[] = [];
  let examined = 0;
  let correct = 0;
  for (let start = 0; start < indices.length && taken.some((t) => t < perClass); start += 64) {
    const batch = Array.from(indices).slice(start, start + 64);
    const { pixels, labels } = await read(batch);
    const probs = await probabilitiesOf(model, pixels, batch.length);
    for (let i = 0; i < batch.length; i++) {
      examined++;
      const ok = argMax(probs.subarray(i * numClasses, (i + 1) * numClasses)) === labels[i];
      if (!ok) continue;
      correct++;
      if (taken[labels[i]] >= perClass) continue;
      taken[labels[i]]++;
      chosen.indices.push(batch[i]);
      chosen.labels.push(labels[i]);
      parts.push(pixels.slice(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE));
    }
  }
  chosen.pixels = new Uint8Array(parts.length * PIXELS_PER_IMAGE);
  parts.forEach((p, i) => chosen.pixels.set(p, i * PIXELS_PER_IMAGE));
  return { ...chosen, examined, correct };
}

export interface BatchImages {
  indices: number[];
  pixels: Uint8Array;
  labels: number[];
}

/** Fools every given image, `chunk` at a time, and reports the paper's §5 numbers. */
export async function foolBatch(
  model: tf.LayersModel,
  codec: PngCodec,
  images: BatchImages,
  settings: AttackSettings,
  opts: {
    chunk?: number;
    keepImages?: boolean;
    signal?: AbortSignal;
    progress?: (done: number, total: number) => void;
  } = {},
): Promise<{
  report: Omit<FoolBatchReport, 'classNames' | 'split' | 'examined' | 'modelAccuracy'>;
  modified: Uint8Array[];
  pngs: Uint8Array[];
}> {
  const chunk = opts.chunk ?? 16;
  const n = images.labels.length;
  const rows: FoolBatchRow[] = [];
  const modified: Uint8Array[] = [];
  const pngs: Uint8Array[] = [];
  let totalMs = 0;
  let totalSteps = 0;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const run = await runAttack(
      model,
      settings,
      {
        pixels: images.pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE),
        labels: images.labels.slice(start, end),
      },
      opts.signal,
    );
    totalMs += run.ms;
    // Every step costs one forward + backward over the images still running; count those image-steps.
    totalSteps += run.outcomes.reduce((s, o) => s + Math.max(1, o.steps), 0);
    for (const [j, o] of run.outcomes.entries()) {
      const i = start + j;
      const original = images.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
      const adv = Uint8Array.from(o.adversarial, (v) => Math.round(v));
      const saved = await savedCheck(model, codec, settings, adv, images.labels[i], run.targets[j]);
      const norms: PerturbationNorms = perturbationNorms(original, adv);
      const lo = run.bounds.lo.subarray(j * PIXELS_PER_IMAGE, (j + 1) * PIXELS_PER_IMAGE);
      const hi = run.bounds.hi.subarray(j * PIXELS_PER_IMAGE, (j + 1) * PIXELS_PER_IMAGE);
      rows.push({
        index: images.indices[i],
        label: images.labels[i],
        target: run.targets[j],
        success: o.success,
        savedSuccess: saved.fooled,
        steps: o.steps,
        linf: norms.linf,
        l2: norms.l2,
        maxRelative: norms.maxRelative,
        withinBound: withinRule(settings, original, adv),
        probsBefore: o.probsBefore,
        probsAfter: o.probsAfter,
        savedProbs: saved.probs,
        atLimit: shareAtLimit(original, adv, lo, hi),
      });
      if (opts.keepImages) {
        modified.push(adv);
        pngs.push(saved.png);
      }
    }
    opts.progress?.(end, n);
  }
  const correctAfter = rows.filter((r) => argMax(r.probsAfter) === r.label).length;
  const correctAfterSaved = rows.filter((r) => argMax(r.savedProbs) === r.label).length;
  const correctBefore = rows.filter((r) => argMax(r.probsBefore) === r.label).length;
  const steps = rows.map((r) => r.steps);
  return {
    report: {
      settings,
      ruleText: ruleText(settings),
      images: n,
      successRate: n ? rows.filter((r) => r.success).length / n : NaN,
      savedSuccessRate: n ? rows.filter((r) => r.savedSuccess).length / n : NaN,
      accuracyBefore: n ? correctBefore / n : NaN,
      accuracyAfter: n ? correctAfter / n : NaN,
      accuracyAfterSaved: n ? correctAfterSaved / n : NaN,
      medianSteps: median(steps),
      maxSteps: Math.max(0, ...steps),
      meanLinf: mean(rows.map((r) => r.linf)),
      maxLinf: Math.max(0, ...rows.map((r) => r.linf)),
      meanL2: mean(rows.map((r) => r.l2)),
      maxL2: Math.max(0, ...rows.map((r) => r.l2)),
      maxRelative: Math.max(0, ...rows.map((r) => r.maxRelative)),
      allWithinBound: rows.every((r) => r.withinBound),
      msPerImage: n ? totalMs / n : NaN,
      msPerStep: totalSteps ? totalMs / totalSteps : NaN,
      rows,
    },
    modified,
    pngs,
  };
}

/** The adversarial set as one zip: per image original, amplified noise and modified PNGs, plus a CSV. */
export async function adversarialZip(
  codec: PngCodec,
  report: FoolBatchReport,
  originals: Uint8Array,
  modified: Uint8Array[],
  modifiedPngs: Uint8Array[],
): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const header = [
    'index',
    'true_class',
    'target_class',
    'success',
    'saved_success',
    'steps',
    'linf_levels',
    'l2',
    'max_relative',
    'within_bound',
  ];
  const k = report.classNames.length;
  for (let c = 0; c < k; c++)
    header.push(
      `p_before_${report.classNames[c]}`,
      `p_after_${report.classNames[c]}`,
      `p_saved_${report.classNames[c]}`,
    );
  // Class names come from folder names and imported models: csvText quotes them and neutralises formulas (issue 18).
  const rows: Array<Array<string | number | boolean>> = [header];
  for (const [i, r] of report.rows.entries()) {
    const original = originals.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
    const base = `${String(r.index).padStart(6, '0')}`;
    files[`original/${base}.png`] = await codec.encode(original, IMAGE_SIDE, IMAGE_SIDE);
    files[`noise/${base}.png`] = await codec.encode(noiseImage(original, modified[i]).pixels, IMAGE_SIDE, IMAGE_SIDE);
    files[`modified/${base}.png`] = modifiedPngs[i];
    const cells: Array<string | number | boolean> = [
      r.index,
      report.classNames[r.label],
      report.classNames[r.target],
      r.success,
      r.savedSuccess,
      r.steps,
      r.linf,
      r.l2.toFixed(5),
      r.maxRelative.toFixed(5),
      r.withinBound,
    ];
    for (let c = 0; c < k; c++)
      cells.push(r.probsBefore[c].toFixed(6), r.probsAfter[c].toFixed(6), r.savedProbs[c].toFixed(6));
    rows.push(cells);
  }
  files['attack.csv'] = strToU8(csvText(rows));
  files['README.txt'] = strToU8(
    `Lookalike Lab adversarial set\nattack: ${report.settings.attack}\nrule: ${report.ruleText}\n` +
      `images: ${report.images}, success ${(report.successRate * 100).toFixed(1)} %, after PNG round trip ${(report.savedSuccessRate * 100).toFixed(1)} %\n` +
      'noise/ PNGs show 128 + scale·(modified − original), the scale chosen per image so the largest change spans the range.\n',
  );
  return zipSync(files, { level: 0 });
}

/** The settings with one budget changed: the paper's fraction (value in %) or the L∞ ε (levels). */
export function withBudget(settings: AttackSettings, value: number): AttackSettings {
  const budget = attackKind(settings).budget;
  if (!budget) throw new Error('DeepFool has no budget to vary: its result is the smallest change itself.');
  return budget.with(settings, value);
}

/**
 * Success rate of one attack over a range of budgets on the same images (the security curve of Carlini et
 * al. 2019, "On evaluating adversarial robustness"): accuracy under attack against ε.
 */
export async function budgetCurve(
  model: tf.LayersModel,
  images: BatchImages,
  settings: AttackSettings,
  values: number[],
  opts: { signal?: AbortSignal; progress?: (done: number, total: number) => void } = {},
): Promise<Array<{ value: number; successRate: number; accuracy: number }>> {
  withBudget(settings, values[0] ?? 0); // refuses an attack with no budget before any work
  const points = [];
  for (const [i, value] of values.entries()) {
    const run = await runAttack(
      model,
      withBudget(settings, value),
      { pixels: images.pixels, labels: images.labels },
      opts.signal,
    );
    const n = run.outcomes.length;
    const ok = run.outcomes.filter((o, j) => isFooled(settings, o.probsAfter, images.labels[j], run.targets[j])).length;
    const correct = run.outcomes.filter((o, j) => argMax(o.probsAfter) === images.labels[j]).length;
    points.push({ value, successRate: n ? ok / n : NaN, accuracy: n ? correct / n : NaN });
    opts.progress?.(i + 1, values.length);
  }
  return points;
}

/**
 * Transfer (Papernot et al. 2016; Tramèr et al. 2017): adversarial images made against `source` shown to
 * `target`. The images should be classified correctly by both models (pickCorrectlyClassified on each).
 */
export async function transferAttack(
  source: tf.LayersModel,
  target: tf.LayersModel,
  images: BatchImages,
  settings: AttackSettings,
  signal?: AbortSignal,
  /** Each attack step on the source model, as the attack engine reports it (step, images still running). */
  onStep?: (step: number, running: number) => void,
): Promise<{
  images: number;
  sourceSuccess: number;
  targetFooled: number;
  targetAccuracyBefore: number;
  targetAccuracyAfter: number;
}> {
  const n = images.labels.length;
  const run = await runAttack(source, settings, { pixels: images.pixels, labels: images.labels }, signal, onStep);
  const adv = new Float32Array(n * PIXELS_PER_IMAGE);
  run.outcomes.forEach((o, i) =>
    adv.set(
      o.adversarial.map((v) => Math.round(v)),
      i * PIXELS_PER_IMAGE,
    ),
  );
  const k = target.outputs[0].shape[target.outputs[0].shape.length - 1] as number;
  const before = await probabilitiesOf(target, images.pixels, n);
  const after = await probabilitiesOf(target, adv, n);
  let sourceOk = 0;
  let fooled = 0;
  let correctBefore = 0;
  let correctAfter = 0;
  for (let i = 0; i < n; i++) {
    const label = images.labels[i];
    const pb = before.subarray(i * k, (i + 1) * k);
    const pa = after.subarray(i * k, (i + 1) * k);
    if (isFooled(settings, run.outcomes[i].probsAfter, label, run.targets[i])) sourceOk++;
    if (argMax(pb) === label) correctBefore++;
    if (argMax(pa) === label) correctAfter++;
    // On the target, "fooled" means misclassified: a transferred image rarely reaches the source's 90 % bar.
    if (argMax(pa) !== label) fooled++;
  }
  return {
    images: n,
    sourceSuccess: n ? sourceOk / n : NaN,
    targetFooled: n ? fooled / n : NaN,
    targetAccuracyBefore: n ? correctBefore / n : NaN,
    targetAccuracyAfter: n ? correctAfter / n : NaN,
  };
}

/**
 * Accuracy of a model on the same images, clean and under each attack (untargeted attacks move away from the
 * true class; misclassified images count as wrong whatever the attack does) — the defence's report card.
 */
export async function robustnessReport(
  model: tf.LayersModel,
  images: BatchImages,
  attacks: AttackSettings[],
  signal?: AbortSignal,
  /** Chunks of images attacked so far, over every attack: (done, total). */
  progress?: (done: number, total: number) => void,
): Promise<{ clean: number; underAttack: Array<{ settings: AttackSettings; ruleText: string; accuracy: number }> }> {
  const n = images.labels.length;
  const k = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
  const probs = await probabilitiesOf(model, images.pixels, n);
  const correct = images.labels.map((label, i) => argMax(probs.subarray(i * k, (i + 1) * k)) === label);
  const clean = n ? correct.filter(Boolean).length / n : NaN;
  const underAttack = [];
  const chunks = Math.ceil(n / 32);
  let chunksDone = 0;
  for (const settings of attacks) {
    let right = 0;
    for (let start = 0; start < n; start += 32) {
      await abortPoint(signal);
      const end = Math.min(n, start + 32);
      const run = await runAttack(
        model,
        settings,
        {
          pixels: images.pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE),
          labels: images.labels.slice(start, end),
        },
        signal,
      );
      run.outcomes.forEach((o, j) => {
        if (correct[start + j] && argMax(o.probsAfter) === images.labels[start + j]) right++;
      });
      progress?.(++chunksDone, chunks * attacks.length);
    }
    underAttack.push({ settings, ruleText: ruleText(settings), accuracy: n ? right / n : NaN });
  }
  return { clean, underAttack };
}
