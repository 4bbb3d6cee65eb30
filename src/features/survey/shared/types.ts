/**
 * Data types for the human "Same / Different person" survey: the kit a facilitator exports (images,
 * pairs, display time) and the result file each participant's session produces.
 */

export type SurveyCondition = 'pre' | 'post';

/** One face shown in the survey. `pixels` is 64*64*3 RGB, row-major. */
export interface SurveyImage {
  id: string;
  label: number;
  pixels: Uint8Array;
  modified: boolean;
}

/** A trial: two image ids, and whether they show the same person. */
export interface SurveyPair {
  a: string;
  b: string;
  same: boolean;
}

export interface SurveyKit {
  format: 'lookalike-lab-survey/1';
  id: string;
  name: string;
  createdAt: string;
  classNames: string[];
  displayMs: number;
  condition: SurveyCondition;
  seed: number;
  /** Image ids shown with names before the trials. */
  training: string[];
  pairs: SurveyPair[];
  images: SurveyImage[];
  /** CNN's predicted class per image id, for the CNN-on-pairs score. */
  cnnPredictions: Record<string, number>;
  /** The run (model) the kit was built from, in the browser that built it: for "where the network looks". */
  runId?: string;
}

export const FEATURES = [
  'nose',
  'eyes',
  'face structure',
  'lips/mouth',
  'skin tone',
  'cheeks',
  'forehead',
  'eyebrows',
  'facial expression',
] as const;

export type Feature = (typeof FEATURES)[number];

export interface TrialRecord {
  pairIndex: number;
  same: boolean;
  answer: 'same' | 'different';
  correct: boolean;
  /** Measured on-screen time from animation-frame timestamps. */
  shownMs: number;
  targetMs: number;
  frameMs: number;
  overran: boolean;
  responseMs: number;
}

export interface ParticipantResult {
  format: 'lookalike-lab-survey-result/1';
  kitId: string;
  participantId: string;
  condition: SurveyCondition;
  seenBefore: boolean | null;
  startedAt: string;
  trials: TrialRecord[];
  features: string[];
  otherFeatures: string;
}
