/**
 * What each step of the guided path (Data → Train → See → Fool → Survey → Share) says about itself in the
 * header, from what the store knows: one short line per step, so a new user sees where they are and what is
 * missing. Pure, so the wording is unit-tested without a browser.
 */
import type { DatasetRecord, RunRecord } from '../db/schema';
import type { TrainingStatus } from '../store/labStore';
import { plural } from '../shared/plural';

export interface StepInput {
  datasets: DatasetRecord[];
  selectedDatasetId: string | null;
  runs: RunRecord[];
  training: { status: TrainingStatus; epoch: number | null };
  surveyCount: number;
}

export type StepName = 'data' | 'train' | 'see' | 'fool' | 'survey' | 'share';

/** A step's line, and whether the step can be used yet (false: it waits on an earlier step). */
export interface StepState {
  text: string;
  ready: boolean;
}

/** The run the header describes: the most recently updated one with a checkpoint (what See and Fool can open). */
export function latestModel(runs: RunRecord[]): RunRecord | null {
  let best: RunRecord | null = null;
  for (const r of runs) if (r.checkpointEpoch !== null && (!best || r.updatedAt > best.updatedAt)) best = r;
  return best;
}

export function describeModel(r: RunRecord): string {
  if (r.importedFrom) return `model: ${r.importedFrom}`;
  // Accuracy of the epoch the checkpoint holds, on the test split (the number the Train page's charts show).
  const metric = r.epochs.find((e) => e.epoch === r.checkpointEpoch) ?? r.epochs[r.epochs.length - 1];
  const acc = metric ? `, acc ${(metric.testAccuracy * 100).toFixed(0)} %` : '';
  return `trained: ${r.config.architecture} epoch ${r.checkpointEpoch}${acc}`;
}

export function stepStates(s: StepInput): Record<StepName, StepState> {
  // The dataset Train uses: the selected one (the same count the Data and Train pages show).
  const dataset = s.datasets.find((d) => d.id === s.selectedDatasetId && d.complete);
  const model = latestModel(s.runs);
  const training = s.training.status !== 'idle';
  const needsModel: StepState = { text: 'needs a model', ready: false };
  return {
    data: dataset
      ? {
          text: `${plural(dataset.count, 'image')} · ${plural(dataset.classNames.length, 'person', 'people')}`,
          ready: true,
        }
      : { text: 'no dataset', ready: false },
    train: training
      ? { text: s.training.epoch ? `training: epoch ${s.training.epoch}` : 'training…', ready: true }
      : model
        ? { text: describeModel(model), ready: true }
        : { text: 'no model yet', ready: dataset !== undefined },
    see: model ? { text: 'look inside', ready: true } : needsModel,
    fool: model ? { text: 'fool it', ready: true } : needsModel,
    survey: model || s.surveyCount > 0 ? { text: plural(s.surveyCount, 'survey'), ready: true } : needsModel,
    share: { text: model ? 'models in and out' : 'import a model', ready: true },
  };
}
