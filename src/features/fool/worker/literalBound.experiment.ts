/**
 * Experiment, not a test (issue #5; README "Fool"): does ANY setting of the paper's attack fool ≥ 95 % of the
 * faces under the literal reading of its bound (±2.5 % of each pixel's own value)? Trains the e2e's model
 * (compact, 1,024 synthetic lookalikes, 3 epochs, batch 16, wasm) and attacks the same 50 + 50 correctly
 * classified test faces with each bound/step variant, printing the success rate, the least-fooled faces'
 * target confidence and success by mean face brightness. 10–20 minutes on 2 cores, so it is not in `npm test`:
 *   EXPERIMENT=1 npx vitest run src/features/fool/worker/literalBound.experiment.ts
 *   (MSEED = weight seed, SEED = data seed, PER = faces per class, VARIANTS = bound:step:maxSteps,...)
 * Bounds: inward = the app's default (8-bit, rounded inwards: exact rule); nearest = rounded to the nearest
 * level (the ½-level slack the issue allows); float = unrounded; range = ±6.375 levels, rounded inwards.
 */
import { it } from 'vitest';
import { getSplit, readImages, splitIndices } from '../../../db/datasets';
import { openLabDb } from '../../../db/open';
import type { PixelBounds } from '../shared/bounds';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { generateDemoDataset } from '../../data/worker/demoDataset';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { TrainControl, runTraining } from '../../train/worker/train';
import { setupWasmInNode } from '../../../ml/wasmNode';
import { pickCorrectlyClassified } from './foolService';
import { iterativeAttack } from './iterativeAttack';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const SIZE = PIXELS_PER_IMAGE;

function bounds(px: Uint8Array, mode: string): PixelBounds {
  const lo = new Float32Array(px.length);
  const hi = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) {
    const x = px[i];
    const d = mode === 'range' ? 6.375 : 0.025 * x;
    const l = mode === 'float' ? x - d : mode === 'nearest' ? Math.round(x - d) : Math.ceil(x - d - 1e-9);
    const h = mode === 'float' ? x + d : mode === 'nearest' ? Math.round(x + d) : Math.floor(x + d + 1e-9);
    lo[i] = Math.max(0, l);
    hi[i] = Math.min(255, h);
  }
  return { lo, hi };
}

it('literal-bound experiment', async () => {
  await setupWasmInNode();
  const db = await openLabDb('literal-bound-experiment');
  const { datasetId } = await generateDemoDataset(db, { count: 1024, seed: Number(process.env.SEED ?? 1), name: 'x' });
  const config = { ...DEFAULT_CONFIG, epochs: 3, batchSize: 16, seed: Number(process.env.MSEED ?? 1) };
  const result = await runTraining(
    { datasetId, config },
    { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
  );
  const model = (await loadRunModel(db, result.runId)).model;
  const split = (await getSplit(db, datasetId))!;
  const read = (ix: number[]) => readImages(db, datasetId, ix);
  const picked = await pickCorrectlyClassified(
    model,
    splitIndices(split, 'test'),
    read,
    Number(process.env.PER ?? 50),
    2,
  );
  const targets = picked.labels.map((l) => 1 - l);
  const brightness = picked.labels.map(
    (_, i) => picked.pixels.subarray(i * SIZE, (i + 1) * SIZE).reduce((a, b) => a + b, 0) / SIZE,
  );
  for (const variant of (
    process.env.VARIANTS ?? 'inward:0.5:100,nearest:0.5:100,float:0.5:100,inward:1:300,range:0.5:100'
  ).split(',')) {
    const [mode, step, maxSteps] = variant.split(':');
    const t0 = Date.now();
    const run = await iterativeAttack(model, picked.pixels, {
      classes: targets,
      targeted: true,
      bounds: bounds(picked.pixels, mode),
      stepSize: Number(step),
      maxSteps: Number(maxSteps),
      earlyStop: true,
      stopConfidence: 0.9,
      quantised: mode !== 'float',
    });
    const fooled = run.outcomes.map((o) => o.success);
    const worst = run.outcomes
      .map((o, i) => o.probsAfter[targets[i]])
      .sort((a, b) => a - b)
      .slice(0, 6);
    const byBrightness = [
      [0, 100],
      [100, 120],
      [120, 140],
      [140, 256],
    ].map(([lo, hi]) => {
      const inBin = fooled.filter((_, i) => brightness[i] >= lo && brightness[i] < hi);
      return `${lo}–${hi}: ${inBin.filter(Boolean).length}/${inBin.length}`;
    });
    console.log(
      `${variant}: ${fooled.filter(Boolean).length}/${fooled.length} fooled in ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
        `least-fooled p(target) ${worst.map((p) => p.toFixed(2)).join(' ')}; by mean brightness ${byBrightness.join(', ')}`,
    );
  }
}, 3_600_000);
