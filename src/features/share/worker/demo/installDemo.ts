/**
 * Installs the demo into IndexedDB: regenerates the seeded synthetic dataset and stores the shipped
 * pretrained weights as a completed run with a checkpoint, so See and Fool work on it like on any run.
 * Idempotent: a second call finds the demo run and returns it.
 */
import type { LabDatabase } from '../../../../db/open';
import { listDatasets } from '../../../../db/datasets';
import { getCheckpoint, listRuns, writeCheckpoint } from '../../../../db/runs';
import type { RunRecord, StoredTensor } from '../../../../db/schema';
import { DEMO, DEMO_FORMAT, type DemoModelFile } from '../../../../shared/demo';
import { generateDemoDataset } from '../../../data/worker/demoDataset';
import { buildModel } from '../../../../ml/models';
import { writeModelWeights } from '../../../../ml/checkpoint';

const MAX_DEMO_BYTES = 8 * 1024 * 1024;

async function fetchBytes(url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`Could not load ${url}: HTTP ${res.status}`);
  const bytes = await res.arrayBuffer();
  if (bytes.byteLength > MAX_DEMO_BYTES)
    throw new Error(`${url} is ${bytes.byteLength} bytes, more than a demo model should be`);
  return bytes;
}

/** Parses and checks the shipped files; throws a clear error if they do not match each other or the model. */
export function parseDemoModel(meta: DemoModelFile, weights: ArrayBuffer): StoredTensor[] {
  if (meta.format !== DEMO_FORMAT) throw new Error(`demo model format ${String(meta.format)} is not ${DEMO_FORMAT}`);
  const stored = meta.weights.map((w) => {
    if (w.offset < 0 || w.offset + w.length > weights.byteLength / 4)
      throw new Error(`demo weight ${w.name} lies outside weights.bin`);
    const expected = w.shape.reduce((a, b) => a * b, 1);
    if (expected !== w.length)
      throw new Error(`demo weight ${w.name}: ${w.length} values for shape ${w.shape.join('×')}`);
    return {
      name: w.name,
      shape: w.shape,
      data: new Float32Array(weights.slice(w.offset * 4, (w.offset + w.length) * 4)),
    };
  });
  const model = buildModel(meta.config);
  try {
    writeModelWeights(model, stored); // validates count and shapes against the architecture
  } finally {
    model.dispose();
  }
  return stored;
}

export async function installDemo(
  db: LabDatabase,
  baseUrl: string,
  onProgress: (p: { done: number; total: number }) => void = () => {},
  signal?: AbortSignal,
): Promise<{ datasetId: string; runId: string; created: boolean; ms: number }> {
  const t0 = performance.now();
  const existing = (await listDatasets(db)).find((d) => d.name === DEMO.datasetName && d.complete);
  if (existing) {
    const run = (await listRuns(db)).find((r) => r.datasetId === existing.id && r.id.startsWith('demo-run'));
    if (run && (await getCheckpoint(db, run.id)))
      return { datasetId: existing.id, runId: run.id, created: false, ms: performance.now() - t0 };
  }
  const [metaBytes, weightBytes] = await Promise.all([
    fetchBytes(new URL(DEMO.metaPath, baseUrl).href, signal),
    fetchBytes(new URL(DEMO.weightsPath, baseUrl).href, signal),
  ]);
  const meta = JSON.parse(new TextDecoder().decode(metaBytes)) as DemoModelFile;
  const weights = parseDemoModel(meta, weightBytes);
  const datasetId =
    existing?.id ??
    (
      await generateDemoDataset(
        db,
        { count: meta.dataset.count, seed: meta.dataset.seed, name: DEMO.datasetName },
        onProgress,
        signal,
      )
    ).datasetId;
  const now = Date.now();
  const run: RunRecord = {
    id: `demo-run-${datasetId}`,
    datasetId,
    createdAt: now,
    updatedAt: now,
    config: meta.config,
    status: 'completed',
    epochsDone: meta.config.epochs,
    epochs: meta.epochs,
    batchLog: [],
    backend: `pretrained (${meta.backend})`,
    checkpointEpoch: meta.config.epochs,
  };
  await writeCheckpoint(db, run, {
    runId: run.id,
    epoch: meta.config.epochs,
    createdAt: now,
    config: meta.config,
    weights,
    optimizer: [],
  });
  return { datasetId, runId: run.id, created: true, ms: performance.now() - t0 };
}
