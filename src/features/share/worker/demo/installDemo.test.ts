/**
 * The shipped demo model (public/demo) installs into IndexedDB as a run, the regenerated dataset is the one it
 * was trained on (its test accuracy is reproduced), a second install reuses it, and broken files give clear
 * errors. fetch is served from public/ on disk: the network is not what is tested here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLabDb } from '../../../../db/open';
import { listRuns } from '../../../../db/runs';
import { DEMO, type DemoModelFile } from '../../../../shared/demo';
import { evaluateModel } from '../../../train/worker/evaluate';
import { loadRunModel } from '../../../../ml/core/loadRunModel';
import { setupWasmInNode } from '../../../../ml/wasmNode';
import { installDemo, parseDemoModel } from './installDemo';

const PUBLIC = join(process.cwd(), 'public');
const BASE = 'http://app.test/lookalike-lab/';

async function shipped(): Promise<{ meta: DemoModelFile; weights: ArrayBuffer }> {
  const meta = JSON.parse(await readFile(join(PUBLIC, DEMO.metaPath), 'utf8')) as DemoModelFile;
  const bin = await readFile(join(PUBLIC, DEMO.weightsPath));
  return { meta, weights: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) };
}

describe('demo install', () => {
  beforeAll(async () => {
    await setupWasmInNode();
    vi.stubGlobal('fetch', async (url: string) => {
      const path = new URL(url).pathname.replace('/lookalike-lab/', '');
      try {
        return new Response(await readFile(join(PUBLIC, path)));
      } catch {
        return new Response('not found', { status: 404 });
      }
    });
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('installs the shipped model as a completed run whose test accuracy is the recorded one; a second call reuses it', async () => {
    const { meta } = await shipped();
    const db = await openLabDb('demo-install-test');
    const first = await installDemo(db, BASE);
    expect(first.created).toBe(true);
    const again = await installDemo(db, BASE);
    expect(again).toMatchObject({ created: false, runId: first.runId, datasetId: first.datasetId });
    const runs = await listRuns(db);
    expect(runs.map((r) => r.id)).toEqual([first.runId]);
    expect(runs[0]).toMatchObject({ status: 'completed', checkpointEpoch: meta.config.epochs });

    const { model } = await loadRunModel(db, first.runId);
    const test = await evaluateModel(db, model, first.runId, first.datasetId, 2, 'test');
    model.dispose();
    console.log(
      `shipped demo model: recorded test accuracy ${meta.testAccuracy}, reproduced ${test.accuracy} on ${test.count} images`,
    );
    expect(test.count).toBe(Math.round(DEMO.count * 0.2));
    expect(Math.abs(test.accuracy - meta.testAccuracy)).toBeLessThanOrEqual(0.005);
  }, 120_000);

  it('refuses broken files with a message that says what is wrong', async () => {
    const { meta, weights } = await shipped();
    expect(() => parseDemoModel(meta, weights.slice(0, weights.byteLength - 4))).toThrow(/lies outside weights.bin/);
    expect(() => parseDemoModel({ ...meta, format: 'other/1' as DemoModelFile['format'] }, weights)).toThrow(/format/);
    const badShape = {
      ...meta,
      weights: meta.weights.map((w, i) => (i === 0 ? { ...w, shape: [3, 3, 3, 8], length: 216 } : w)),
    };
    expect(() => parseDemoModel(badShape, weights)).toThrow(/shape/);
    const missing = { ...meta, weights: meta.weights.slice(1) };
    expect(() => parseDemoModel(missing, weights)).toThrow(/weights/);
    const db = await openLabDb('demo-install-404');
    await expect(installDemo(db, 'http://app.test/elsewhere/')).rejects.toThrow(/HTTP 404/);
  });
});
