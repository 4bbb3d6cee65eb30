/**
 * The paper study as a resumable record (schema v7, `studies`): which steps of the protocol are done, what
 * each produced (run ids, or the numbers of results the app does not store elsewhere) and how long each took.
 * Thread-neutral plain data: written by the page-side driver (store/study.ts), read by the report builder.
 */
import type { Architecture } from '../../../../shared/trainingConfig';
import type { TrainingConfig } from '../../../../shared/trainingConfig';

/** The protocol in the paper's order (§3–§8). */
export const STUDY_STEPS = ['noise', 'compare', 'train', 'validate', 'attack', 'lastLayer', 'survey'] as const;
export type StudyStepName = (typeof STUDY_STEPS)[number];

export const STUDY_STEP_TITLES: Record<StudyStepName, string> = {
  noise: 'Noise bins (§3.3)',
  compare: 'Architecture comparison (§4)',
  train: 'Training of the chosen preset (§4)',
  validate: 'Validation (§4)',
  attack: 'Attack on correctly classified faces (§5)',
  lastLayer: 'Last-layer export (§8)',
  survey: 'People vs network: survey results (§6–§7)',
};

/**
 * pending: not reached yet; running: started (found so after a reload: it is redone, or its run resumed);
 * done; cut: stopped at its time allowance (what it kept is said in `note`); skipped: not run (`note` says why);
 * failed: an error (`note`).
 */
export type StudyStepStatus = 'pending' | 'running' | 'done' | 'cut' | 'skipped' | 'failed';

export interface ValidationNumbers {
  runId: string;
  count: number;
  accuracy: number;
  loss: number;
  confusion: number[][];
  perClassAccuracy: number[];
}

export interface AttackNumbers {
  runId: string;
  split: 'test' | 'validation';
  perClass: number;
  ruleText: string;
  examined: number;
  images: number;
  successRate: number;
  accuracyBefore: number;
  accuracyAfter: number;
  /** Mean probability the model gives each attacked face's true class, before and after the attack. */
  trueConfidenceBefore: number;
  trueConfidenceAfter: number;
  medianSteps: number;
  maxRelative: number;
}

export interface LastLayerNumbers {
  runId: string;
  layerName: string;
  width: number;
  images: number;
  /** Mean probability of the true class on the originals and on the attacked copies. */
  trueConfidenceOriginal: number;
  trueConfidenceModified: number;
}

export interface SurveyNumbers {
  surveys: number;
  participants: number;
  pre: { trials: number; correct: number };
  post: { trials: number; correct: number };
}

export interface NoiseNumbers {
  counts: [number, number, number];
  total: number;
  ms: number;
}

export interface StudyStepState {
  status: StudyStepStatus;
  /** The time this step was allowed when it started (ms). */
  allowanceMs?: number;
  /** Time it ran (ms), the last attempt. */
  ms?: number;
  /** Why it was cut, skipped or failed; what it kept. */
  note?: string;
  /** Runs it produced (compare: one per preset, in order; train: one). */
  runIds?: string[];
  /** Compare: the presets whose runs finished (a resume trains only the rest). */
  presetsDone?: Architecture[];
  noise?: NoiseNumbers;
  validation?: ValidationNumbers;
  attack?: AttackNumbers;
  lastLayer?: LastLayerNumbers;
  survey?: SurveyNumbers;
}

export interface StudySettings {
  /** The whole study's time budget (ms of active work; time while the tab is closed does not count). */
  budgetMs: number;
  /** Base training settings (the Train page's, when the study started). */
  config: TrainingConfig;
  comparePresets: Architecture[];
  compareEpochs: number;
  trainPreset: Architecture;
  trainEpochs: number;
  /** Attack and last layer: correctly classified faces per class (paper: 200). */
  attackPerClass: number;
  lastLayerPerClass: number;
}

export interface StudyRecord {
  id: string;
  datasetId: string;
  createdAt: number;
  updatedAt: number;
  settings: StudySettings;
  /** Active time spent on finished attempts of steps (ms). */
  spentMs: number;
  steps: Record<StudyStepName, StudyStepState>;
  finished: boolean;
  /** Set when the person stopped it: it ended early, so the page must not call it finished. */
  stoppedByUser?: boolean;
}
