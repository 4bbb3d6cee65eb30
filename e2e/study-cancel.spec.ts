/**
 * "Stop the study" mid-way (wasm, 64 synthetic lookalikes, compact × 0.25, a one-minute budget): stopped while
 * the chosen preset trains, after its first checkpoint. A stop keeps exactly what store/study.ts says: the steps
 * already over stay as they were (the comparison done, with its run), the training step is `cut` and its run is a
 * normal stopped run at its last checkpoint (nothing of the epoch under way), every later step is `skipped` with
 * no numbers, and no other store changes. The page does not call it finished, its report shows the cut and the
 * skips (no validation or attack numbers), and "Run the study" starts a new study, which stops as cleanly in its
 * first step (the noise sorting, cancelled: no bins stored).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures/lab';
import { readStore } from './fixtures/labDb';
import { studyOnDemo } from './fixtures/study';
import { snapshotDb } from './fixtures/cancelJob';

const TRAIN_EPOCHS = 200;
const STOP_SKIP = { status: 'skipped', note: 'Skipped: the study was stopped.' };

interface Step {
  status: string;
  note?: string;
  runIds?: string[];
  presetsDone?: string[];
  [numbers: string]: unknown;
}
interface Study {
  id: string;
  finished: boolean;
  stoppedByUser?: boolean;
  steps: Record<string, Step>;
}
interface Run {
  id: string;
  status: string;
  epochsDone: number;
  checkpointEpoch: number | null;
  epochs: Array<{ epoch: number }>;
  config: { architecture: string; epochs: number };
}

test('Stop the study mid-training keeps the steps done, the cut run at its checkpoint, and nothing else', async ({
  page,
}) => {
  // One minute: the noise sorting is cut at its 6 s allowance (it needs 40–70 s here), the one-epoch comparison
  // is done in seconds, and 200 epochs keep the training busy until the stop.
  const section = await studyOnDemo(page, { budgetMinutes: 1, trainingEpochs: TRAIN_EPOCHS });
  const before = await snapshotDb(page);
  await section.getByRole('button', { name: 'Run the study' }).click();

  // Part-way: the training step is under way and its run has stored at least its epoch-1 checkpoint.
  let midway: Study | undefined;
  let trainId = '';
  await expect
    .poll(
      async () => {
        [midway] = await readStore<Study>(page, 'studies');
        trainId = midway?.steps.train.runIds?.[0] ?? '';
        const run = trainId ? (await readStore<Run>(page, 'runs')).find((r) => r.id === trainId) : undefined;
        return midway?.steps.train.status === 'running' && run?.status === 'running' && (run.checkpointEpoch ?? 0) >= 1;
      },
      { timeout: 120_000, intervals: [100] },
    )
    .toBe(true);
  const progress = section.getByRole('status', { name: 'Study progress' });
  await expect(progress).toHaveText('Running: Training of the chosen preset (§4)');
  expect(midway!.finished).toBe(false);
  expect(midway!.steps.compare.status).toBe('done');
  await section.getByRole('button', { name: 'Stop the study' }).click();
  await expect(progress).toHaveText(
    'The study was stopped: its report says which steps ran. Run the study to start it again.',
    { timeout: 60_000 },
  );

  const [study, ...others] = await readStore<Study>(page, 'studies');
  expect(others).toHaveLength(0);
  expect(study.id).toBe(midway!.id);
  expect({ finished: study.finished, stoppedByUser: study.stoppedByUser }).toEqual({
    finished: true,
    stoppedByUser: true,
  });
  // The steps over before the stop are stored as they were (the noise sorting cut at its allowance, stored nothing).
  expect(study.steps.noise).toEqual(midway!.steps.noise);
  expect(study.steps.noise.status).toBe('cut');
  expect(study.steps.compare).toEqual(midway!.steps.compare);
  const [compareId] = study.steps.compare.runIds!;
  expect(study.steps.compare).toMatchObject({ status: 'done', runIds: [compareId], presetsDone: ['compact'] });
  // The training step: cut by the stop, its run named, no numbers of its own; every later step skipped, bare.
  const runs = await readStore<Run>(page, 'runs');
  const trained = runs.find((r) => r.id === trainId)!;
  const { ms, allowanceMs, ...train } = study.steps.train;
  expect(typeof ms).toBe('number');
  expect(typeof allowanceMs).toBe('number');
  expect(train).toEqual({
    status: 'cut',
    runIds: [trainId],
    note: `Stopped by you after ${trained.epochsDone} of ${TRAIN_EPOCHS} epochs; the run keeps its last checkpoint.`,
  });
  for (const step of ['validate', 'attack', 'lastLayer', 'survey']) expect(study.steps[step], step).toEqual(STOP_SKIP);
  console.log(`[e2e] study stopped: train ${trained.status} after ${trained.epochsDone} of ${TRAIN_EPOCHS} epochs`);

  // Runs: the comparison's (completed) and the cut one, a normal stopped run: every stored epoch whole, its
  // checkpoint at the last of them (Resume on the Train page continues it), nothing of the epoch under way.
  expect(runs.map((r) => r.id).sort()).toEqual([compareId, trainId].sort());
  const compared = runs.find((r) => r.id === compareId)!;
  expect({ status: compared.status, epochsDone: compared.epochsDone, epochs: compared.epochs.length }).toEqual({
    status: 'completed',
    epochsDone: 1,
    epochs: 1,
  });
  expect(trained.epochsDone).toBeGreaterThanOrEqual(1);
  expect(trained.epochsDone).toBeLessThan(TRAIN_EPOCHS);
  expect({
    status: trained.status,
    checkpointEpoch: trained.checkpointEpoch,
    epochs: trained.epochs.map((e) => e.epoch),
  }).toEqual({
    status: 'stopped',
    checkpointEpoch: trained.epochsDone,
    epochs: Array.from({ length: trained.epochsDone }, (_, i) => i + 1),
  });
  // Nothing else stored: only the study, the two runs and their checkpoints (a model this small has no
  // checkpointParts) differ from before the click.
  const after = await snapshotDb(page);
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  console.log(`[e2e] stores changed by the stopped study: ${changed.join(', ')}`);
  expect(changed.sort()).toEqual(['checkpoints', 'runs', 'studies']);
  expect(after.checkpoints).toMatch(/^2 records/);
  expect(after.noiseBins).toMatch(/^0 records/);

  // The page's table says the same; the report is offered as what it is: the cut and the skips, no later numbers.
  await expect(section.locator('tr[data-step="train"]')).toHaveAttribute('data-status', 'cut');
  await expect(section.locator('tr[data-step="attack"]')).toHaveAttribute('data-status', 'skipped');
  const download = page.waitForEvent('download');
  await section.getByRole('button', { name: 'Download report (HTML)' }).click();
  const html = readFileSync((await (await download).path())!, 'utf8');
  const report = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    return {
      statuses: Object.fromEntries(
        Array.from(doc.querySelectorAll('p.status')).map((p) => [
          p.getAttribute('data-step'),
          p.getAttribute('data-status'),
        ]),
      ),
      keys: Array.from(doc.querySelectorAll('[data-key]')).map((el) => el.getAttribute('data-key')!),
    };
  }, html);
  expect(report.statuses).toMatchObject({ train: 'cut', validate: 'skipped', attack: 'skipped', lastLayer: 'skipped' });
  expect(report.keys.filter((k) => /^(validate|attack|lastLayer)\./.test(k))).toEqual([]);
  expect(report.keys).toContain('study.stopped');

  // Started again: a new study, stopped in its first step, stores its cancelled sorting as cut and nothing else.
  await section.getByRole('button', { name: 'Run the study' }).click();
  await expect(progress).toHaveText('Running: Noise bins (§3.3)');
  await expect
    .poll(async () => (await readStore<Study>(page, 'studies')).find((s) => s.id !== study.id)?.steps.noise.status, {
      intervals: [100],
    })
    .toBe('running');
  await section.getByRole('button', { name: 'Stop the study' }).click();
  await expect(progress).toHaveText(
    'The study was stopped: its report says which steps ran. Run the study to start it again.',
    { timeout: 60_000 },
  );
  const again = (await readStore<Study>(page, 'studies')).find((s) => s.id !== study.id)!;
  expect(again.steps.noise).toMatchObject({ status: 'cut', note: 'Stopped by you.' });
  expect(again.steps.noise.noise).toBeUndefined();
  for (const step of ['compare', 'train', 'validate', 'attack', 'lastLayer', 'survey'])
    expect(again.steps[step], step).toEqual(STOP_SKIP);
  const last = await snapshotDb(page);
  expect(Object.keys(last).filter((k) => last[k] !== after[k])).toEqual(['studies']);
});
