/**
 * The Fool capability's lab-worker calls: the gallery and classification of any face, the attack on one face or
 * a batch, the success-rate curve, transfer and robustness.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { SplitName } from '../../../shared/protocol';
import type { AttackSettings } from './attackSettings';
import type { PerturbationNorms } from './bounds';

/** Images of a run's split with the model's predictions (the Fool page's clickable faces). */
export interface GalleryResult {
  classNames: string[];
  indices: number[];
  labels: number[];
  /** n × 64×64×3 */
  pixels: Uint8Array;
  probs: number[][];
  /** Images in the split (the gallery shows `indices.length` of them). */
  total: number;
}

/** The modified image saved as PNG by the browser, decoded again and re-classified. */
export interface SavedCheck {
  png: Uint8Array;
  probs: number[];
  /** Does the decoded file still fool the model (same success rule as the attack)? */
  fooled: boolean;
  /** Did decoding give back exactly the pixels that were encoded? */
  identical: boolean;
}

export interface FoolImageResult {
  index: number;
  label: number;
  target: number;
  classNames: string[];
  settings: AttackSettings;
  /** The bound actually applied, in words (the panel prints it). */
  ruleText: string;
  original: Uint8Array;
  /** The 8-bit modified image (what is saved). */
  modified: Uint8Array;
  probsBefore: number[];
  probsAfter: number[];
  success: boolean;
  steps: number;
  ms: number;
  /** Class probabilities after each step (index = step), for the chart and the replay slider. */
  history: number[][];
  frames: Array<{ step: number; pixels: Uint8Array }>;
  norms: PerturbationNorms;
  /** The saved pixels satisfy the rule exactly (no rounding slack). */
  withinBound: boolean;
  /** Share of the values that may move that sit at the attack's bound (why a face not fooled stopped). */
  atLimit: number;
  saved: SavedCheck;
}

export interface FoolBatchRow {
  index: number;
  label: number;
  target: number;
  success: boolean;
  savedSuccess: boolean;
  steps: number;
  linf: number;
  l2: number;
  maxRelative: number;
  withinBound: boolean;
  probsBefore: number[];
  probsAfter: number[];
  savedProbs: number[];
  /** Share of the values that may move that sit at their limit (why a face was not fooled: bound or steps). */
  atLimit?: number;
}

export interface FoolBatchReport {
  settings: AttackSettings;
  ruleText: string;
  classNames: string[];
  split: SplitName;
  /** Images of the split classified to find correctly classified ones, and the model's accuracy on them. */
  examined: number;
  modelAccuracy: number;
  images: number;
  successRate: number;
  savedSuccessRate: number;
  accuracyBefore: number;
  accuracyAfter: number;
  accuracyAfterSaved: number;
  medianSteps: number;
  maxSteps: number;
  meanLinf: number;
  maxLinf: number;
  meanL2: number;
  maxL2: number;
  maxRelative: number;
  allWithinBound: boolean;
  msPerImage: number;
  msPerStep: number;
  rows: FoolBatchRow[];
}

export interface BudgetCurve {
  settings: AttackSettings;
  /** 'fraction' (paper attack, values in %) or 'epsilon' (levels). */
  parameter: 'fraction' | 'epsilon';
  images: number;
  points: Array<{ value: number; successRate: number; accuracy: number }>;
}

export interface TransferReport {
  settings: AttackSettings;
  images: number;
  sourceSuccess: number;
  /** Share of the transferred images the target model misclassifies. */
  targetFooled: number;
  targetAccuracyBefore: number;
  targetAccuracyAfter: number;
}

export interface RobustnessRow {
  runId: string;
  clean: number;
  underAttack: Array<{ settings: AttackSettings; ruleText: string; accuracy: number }>;
}

export interface FoolApi {
  gallery(args: { runId: string; split: SplitName; limit: number }): Promise<GalleryResult>;
  classify(args: { runId: string; pixels: Uint8Array }): Promise<{ probs: number[]; classNames: string[] }>;
  /** Fools dataset image `imageIndex`, or `pixels` (a dropped photo's face; its label is the model's prediction). */
  foolImage(args: {
    runId: string;
    imageIndex: number;
    pixels?: Uint8Array;
    settings: AttackSettings;
  }): Promise<FoolImageResult>;
  foolBatch(args: {
    runId: string;
    split: SplitName;
    perClass: number;
    settings: AttackSettings;
  }): Promise<{ report: FoolBatchReport; zip: Uint8Array }>;
  budgetCurve(args: {
    runId: string;
    split: SplitName;
    perClass: number;
    settings: AttackSettings;
    values: number[];
  }): Promise<BudgetCurve>;
  transfer(args: {
    sourceRunId: string;
    targetRunId: string;
    split: SplitName;
    perClass: number;
    settings: AttackSettings;
  }): Promise<TransferReport>;
  /** Clean accuracy and accuracy under each attack, for several runs on the same first `count` images of a split. */
  robustness(args: {
    runIds: string[];
    split: SplitName;
    count: number;
    attacks: AttackSettings[];
  }): Promise<{ images: number; rows: RobustnessRow[] }>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface FoolProgress {
  gallery: never;
  classify: never;
  foolImage: { step: number };
  foolBatch: { done: number; total: number };
  budgetCurve: { done: number; total: number };
  transfer: { done: number; total: number };
  robustness: { done: number; total: number };
}
