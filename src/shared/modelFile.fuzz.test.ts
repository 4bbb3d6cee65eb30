/**
 * Issue #9 item 7 — hostile model files, fuzzed with fast-check: random bytes, mutated valid model.json files
 * (the hand-written Keras-converter fixture and a model this app exported), huge / negative / non-numeric
 * weight shapes, wrong weight byte counts and manifest paths of any type. The whole import path runs: the
 * file picker's join (readModelSelection), the validator (checkModelFiles) and TensorFlow.js building the
 * model (importModelFiles, cpu backend, fake IndexedDB). Every input must end in a stored run or in an Error
 * with a message; nothing may be stored on failure, no tensor may be left behind, and no case may take long.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLabDb, type LabDatabase } from '../db/open';
import { listRuns } from '../db/runs';
import { readModelSelection } from '../features/share/page/modelFiles';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { buildModel } from '../ml/models';
import { importModelFiles } from '../features/share/worker/modelIo';
import { DEFAULT_CONFIG } from './trainingConfig';
import { checkModelFiles, manifestPaths } from './modelFile';
import { jsonEdit, mutateJson, nastyJson, type Json } from '../test/jsonFuzz';
import { kerasModelFiles } from '../test/kerasFixture';

/**
 * FUZZ_TRACE=<file> writes each case there before it runs: a synchronous hang cannot be interrupted or
 * shrunk by fast-check, so this is how its input is found (it found TensorFlow.js's endless loop below).
 */
const trace = (text: string) => process.env.FUZZ_TRACE && writeFileSync(process.env.FUZZ_TRACE, text);

/** One case may not take longer than this (a hang or a huge allocation would); generous for a loaded CI box. */
const CASE_MS = 5_000;

/** A model this app exports (compact × 0.125): the other dialect (camelCase tfjs topology). */
async function exportedCompact(): Promise<{ modelJson: string; weights: Uint8Array }> {
  const model = buildModel({ ...DEFAULT_CONFIG, widthMultiplier: 0.125, batchNormLayers: 1 }, 3);
  try {
    let out: { modelJson: string; weights: Uint8Array } | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        const data = a.weightData ? tf.io.CompositeArrayBuffer.join(a.weightData) : new ArrayBuffer(0);
        out = {
          modelJson: JSON.stringify({
            format: 'layers-model',
            modelTopology: a.modelTopology,
            weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
          }),
          weights: new Uint8Array(data),
        };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return out!;
  } finally {
    model.dispose();
  }
}

/** Whatever happens, it is a stored run or an Error with a message; never anything else, never slow. */
async function importOutcome(
  db: LabDatabase,
  datasetId: string,
  modelJson: string,
  weights: Uint8Array,
): Promise<'stored' | 'refused'> {
  trace(modelJson);
  const runsBefore = (await listRuns(db)).length;
  const tensorsBefore = tf.memory().numTensors;
  const t0 = performance.now();
  let outcome: 'stored' | 'refused';
  try {
    await importModelFiles(db, { datasetId, name: 'fuzz.json', modelJson, weights });
    outcome = 'stored';
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message.trim().length).toBeGreaterThan(10);
    outcome = 'refused';
  }
  expect(performance.now() - t0).toBeLessThan(CASE_MS);
  // A refused file leaves the store and the backend as they were; an accepted one adds exactly one run.
  expect((await listRuns(db)).length).toBe(runsBefore + (outcome === 'stored' ? 1 : 0));
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  return outcome;
}

describe('model import under hostile files (fast-check)', () => {
  let db: LabDatabase;
  let datasetId: string;
  const keras = kerasModelFiles();
  let exported: { modelJson: string; weights: Uint8Array };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await openLabDb('model-file-fuzz');
    ({ datasetId } = await generateDemoDataset(db, { count: 8, seed: 2, name: 'fuzz' }));
    exported = await exportedCompact();
  });

  it('the unmutated fixtures import (so the properties below are not vacuous)', async () => {
    expect(await importOutcome(db, datasetId, keras.modelJson, keras.weights)).toBe('stored');
    expect(await importOutcome(db, datasetId, exported.modelJson, exported.weights)).toBe('stored');
  });

  it('the validator throws only plain Errors on random text and random bytes, and is fast', () => {
    const check = (text: string, bytes: number) => {
      const t0 = performance.now();
      trace(text);
      try {
        checkModelFiles(text, bytes);
      } catch (err) {
        // A TypeError or RangeError here would be a crash path (e.g. reading a field of null), not a check.
        expect((err as Error).constructor).toBe(Error);
        expect((err as Error).message.length).toBeGreaterThan(10);
      }
      expect(performance.now() - t0).toBeLessThan(CASE_MS);
      // manifestPaths never throws and returns only strings (its callers split them as paths).
      const listed = manifestPaths(text);
      if (listed) for (const p of listed) expect(typeof p).toBe('string');
    };
    fc.assert(fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: -1, max: 2 ** 31 }), check), {
      numRuns: 300,
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => check(new TextDecoder().decode(b), b.length)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => check(JSON.stringify(v) ?? 'null', 0)),
      { numRuns: 300 },
    );
  });

  it('mutated Keras-converter and exported model.json files: a stored run or a clear Error, nothing half-done', async () => {
    const outcomes = { stored: 0, refused: 0 };
    for (const files of [keras, exported]) {
      const json = JSON.parse(files.modelJson) as Json;
      await fc.assert(
        fc.asyncProperty(fc.array(jsonEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
          outcomes[await importOutcome(db, datasetId, JSON.stringify(mutateJson(json, edits)), files.weights)]++;
        }),
        { numRuns: 150, interruptAfterTimeLimit: 60_000 },
      );
    }
    console.log(
      `[fuzz] mutated model.json: ${outcomes.refused} refused with an Error, ${outcomes.stored} imported (harmless edits)`,
    );
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  it('huge, negative and non-numeric shapes with any weight byte count are refused before TensorFlow.js allocates', async () => {
    const dim = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.constantFrom<Json>(2 ** 53, 2 ** 53 + 2, 1e308, -1, 0, 1.5, '4', null, [4], true),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3),
        fc.array(dim, { maxLength: 6 }),
        fc.oneof(fc.nat(80_000), fc.constant(keras.weights.length)),
        async (which, shape, byteCount) => {
          const json = JSON.parse(keras.modelJson);
          json.weightsManifest[0].weights[which].shape = shape;
          const weights = new Uint8Array(byteCount);
          weights.set(keras.weights.subarray(0, Math.min(byteCount, keras.weights.length)));
          const outcome = await importOutcome(db, datasetId, JSON.stringify(json), weights);
          // Only the fixture's own shape with the fixture's own bytes may import (the validator reads each
          // dimension with Number(), so "4" or [4] stand for 4: lenient, but what it passes on is that number).
          const original = JSON.parse(keras.modelJson).weightsManifest[0].weights[which].shape;
          if (outcome === 'stored') {
            expect(shape.map(Number)).toEqual(original);
            expect(byteCount).toBe(keras.weights.length);
          }
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  });

  it('cases the fuzzer found stay refused, before TensorFlow.js allocates anything', async () => {
    const edit = (
      f: (json: {
        modelTopology: { model_config: { config: { layers: Array<{ config: Record<string, unknown> }> } } };
        weightsManifest: Array<{ weights: Array<{ name: string }> }>;
      }) => void,
    ) => {
      const json = JSON.parse(keras.modelJson);
      f(json);
      return JSON.stringify(json);
    };
    const layers = (j: Parameters<Parameters<typeof edit>[0]>[0]) => j.modelTopology.model_config.config.layers;
    const cases: Array<[string, Uint8Array, RegExp]> = [
      // A negative dilation: TensorFlow.js built a 2,044,256,560 × 2 kernel (16 GB) before comparing shapes.
      [edit((j) => void (layers(j)[1].config.dilation_rate = [-16485908, 1])), keras.weights, /invalid dilation/],
      // Settings that disagree with the manifest: a million filters, a 5×5 kernel, a layer without bias.
      [
        edit((j) => void (layers(j)[1].config.filters = 1_000_000)),
        keras.weights,
        /output of .* values per image|need \d+ weights/,
      ],
      [edit((j) => void (layers(j)[1].config.kernel_size = [5, 5])), keras.weights, /need \d+ weights/],
      [edit((j) => void (layers(j)[4].config.use_bias = false)), keras.weights, /need \d+ weights/],
      [
        edit((j) => void (layers(j)[0].config.batch_input_shape = [null, '64', [64], 3])),
        keras.weights,
        /input must be 64×64×3/,
      ],
      // The same weight twice (decoding keeps one tensor per name and would lose the other).
      [edit((j) => void (j.weightsManifest[0].weights[1].name = 'conv2d/kernel')), keras.weights, /listed twice/],
      // "__proto__" as a weight name: the decoded tensor landed on the name map's prototype, never disposed.
      [
        edit((j) => void (j.weightsManifest[0].weights[1].name = '__proto__')),
        keras.weights,
        /not a valid tensor name/,
      ],
    ];
    // Functional models: TensorFlow.js loops forever on a layer input that never resolves (the app's own
    // export with one layer's name deleted, or a call on node 1 that does not exist).
    const functional = (f: (layers: Array<Record<string, unknown>>) => void) => {
      const json = JSON.parse(exported.modelJson);
      f(json.modelTopology.config.layers);
      return JSON.stringify(json);
    };
    cases.push(
      [functional((l) => void delete l[5].name), exported.weights, /single chain/],
      [functional((l) => void ((l[6].inbound_nodes as unknown[][][])[0][0][1] = 1)), exported.weights, /single chain/],
      [
        functional((l) => void ((l[6].inbound_nodes as unknown[][][])[0][0][0] = 'ghost')),
        exported.weights,
        /single chain/,
      ],
    );
    for (const [modelJson, weights, message] of cases) {
      expect(() => checkModelFiles(modelJson, weights.length)).toThrow(message);
      expect(await importOutcome(db, datasetId, modelJson, weights)).toBe('refused');
    }
  });

  it('the file picker joins any manifest (paths of any type, missing files) into a result or a clear Error', async () => {
    const pathValue = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom<Json>('group1-shard1of1.bin', 'a/b/../weights.bin', '', 5, null, {}, [], true),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(pathValue, { maxLength: 4 }), nastyJson),
        fc.array(fc.constantFrom('group1-shard1of1.bin', 'weights.bin', 'other.bin', 'model.json'), { maxLength: 3 }),
        async (paths, names) => {
          const json = JSON.parse(keras.modelJson);
          json.weightsManifest[0].paths = paths;
          const files = [
            new File([JSON.stringify(json)], 'model.json'),
            ...names.map((n, i) => new File([keras.weights.slice(0, i * 100) as Uint8Array<ArrayBuffer>], n)),
          ];
          try {
            const sel = await readModelSelection(files);
            expect(typeof sel.modelJson).toBe('string');
            expect(sel.weights).toBeInstanceOf(Uint8Array);
          } catch (err) {
            expect((err as Error).constructor).toBe(Error);
            expect((err as Error).message).toMatch(/not selected|Select the model\.json/);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
