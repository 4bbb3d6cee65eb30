/**
 * The one IndexedDB schema of Lookalike Lab. DOM-free: used by the page and by the workers.
 *
 * DO NOT CHANGE STORE NAMES OR KEY PATHS WITHOUT A MIGRATION: add a new numbered step to `MIGRATIONS`
 * and bump DB_VERSION; old steps stay as they are so any older database upgrades in order.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { EpochMetric } from '../features/train/shared/protocol';
import type { ModelSummary } from '../shared/protocol';
import type { ParticipantResult, SurveyKit } from '../features/survey/shared/types';
import type { SweepSpec, SweepTrial } from '../features/train/shared/sweep';
import type { TrainingConfig } from '../shared/trainingConfig';
import { IMAGE_CHANNELS } from '../shared/imageGeometry';
import type { StudyRecord } from '../features/share/shared/study/types';

export const DB_NAME = 'lookalike-lab';
export const DB_VERSION = 7;

export const STORES = {
  datasets: 'datasets',
  images: 'images',
  splits: 'splits',
  models: 'models',
  checkpoints: 'checkpoints',
  runs: 'runs',
  /** v2: saved surveys (kits) and the participants' results. */
  surveys: 'surveys',
  surveyResults: 'surveyResults',
  /** v3: 128×128 display copies of photo crops, chunked like `images` (kept apart so training never reads them). */
  thumbs: 'thumbs',
  /**
   * v4: the floats of a large checkpoint, in parts of at most CHECKPOINT_PART_FLOATS (Chromium refuses one
   * IndexedDB value over ≈ 128 MB: a VGG16 checkpoint with Adam's state is 189 MB, the paper model's 775 MB).
   */
  checkpointParts: 'checkpointParts',
  /** v5: the noise sorting's label-confidence bins of a dataset (one record per dataset, db/noiseBins.ts). */
  noiseBins: 'noiseBins',
  /** v6: hyperparameter sweeps (one record per sweep, db/sweeps.ts), so a sweep resumes after a reload. */
  sweeps: 'sweeps',
  /** v7: the paper study's progress (steps done, ids and numbers each produced; db/studies.ts), so it resumes after a reload. */
  studies: 'studies',
} as const;

/** Image pixels are stored in chunks of this many 64×64 RGB crops (≈3 MB a chunk): see docs/architecture.md, "Storage". */
export const CHUNK_SIZE = 256;
// One 64×64 RGB image and its mask (shared/imageGeometry.ts), re-exported beside the chunk layout they size.
export { MASK_PER_IMAGE, PIXELS_PER_IMAGE } from '../shared/imageGeometry';
/** Side of the display copy of a photo crop (review grid); the training crop stays 64. */
export const THUMB_SIZE = 128;
export const PIXELS_PER_THUMB = THUMB_SIZE * THUMB_SIZE * IMAGE_CHANNELS;

export interface DatasetRecord {
  id: string;
  name: string;
  kind: 'synthetic' | 'photos';
  classNames: string[];
  createdAt: number;
  /** Images in the dataset, all splits together. */
  count: number;
  /** Images per class, all splits together. */
  classCounts: number[];
  seed?: number;
  /** Present while a dataset is still being written; a reload finds it and can finish or discard it. */
  complete: boolean;
  /**
   * Photo datasets: every file path the ingest has finished with (faces stored or reported), saved with the
   * images in the same transaction, so dropping the same folder again skips them (resume after reload/Cancel).
   */
  processed?: string[];
  /** Photo datasets: the ingest report so far (kept so a resumed ingest reports the whole folder). */
  ingestReport?: Array<{ file: string; reason: string }>;
}

/** CHUNK_SIZE images at most; image i of the dataset is chunk floor(i / CHUNK_SIZE), slot i % CHUNK_SIZE. */
export interface ImageChunkRecord {
  datasetId: string;
  chunk: number;
  count: number;
  /** count × 64 × 64 × 3 RGB bytes, HWC. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Ground-truth region masks (synthetic data only): count × 64 × 64 region ids. */
  masks?: Uint8Array;
  // Optional fields added with photo ingest (issue 3). Optional fields need no migration: records written
  // before them simply lack them, and IndexedDB stores whatever properties a record has.
  /** Photo datasets: the source file (relative path) of each crop. */
  sources?: string[];
  /** Photo datasets: the face detector's score for each crop. */
  scores?: Float32Array;
  /** Photo datasets: count × [x, y, width, height] detection boxes in source-photo pixels. */
  boxes?: Float32Array;
  /** Photo datasets: count × 12 — BlazeFace's six keypoints (x, y) in source-photo pixels. */
  keypoints?: Float32Array;
}

/** Display copies (THUMB_SIZE² RGB) of the crops of one image chunk; same key as the chunk. */
export interface ThumbChunkRecord {
  datasetId: string;
  chunk: number;
  count: number;
  pixels: Uint8Array;
}

export const SPLIT_CODES = { train: 0, test: 1, validation: 2 } as const;

/** Why an image is left out of every split (SplitRecord.excluded). */
export const EXCLUDED = { kept: 0, rejected: 1, duplicate: 2 } as const;

export interface SplitRecord {
  datasetId: string;
  seed: number;
  /** One code per image (SPLIT_CODES): the split it was assigned, kept even when the image is excluded. */
  codes: Uint8Array;
  /** Images per split, excluded ones not counted. */
  counts: { train: number; test: number; validation: number };
  /** Photo datasets: per image EXCLUDED code (rejected in review, or a duplicate collapsed at ingest). */
  excluded?: Uint8Array;
  /** Per image: the index of the kept image it duplicates, or -1. */
  duplicateOf?: Int32Array;
  /** Per image: 1 once a person accepted it in review (so it no longer counts as doubtful). */
  accepted?: Uint8Array;
}

export interface ModelRecord {
  id: string;
  runId: string;
  name: string;
  createdAt: number;
  config: TrainingConfig;
  summary: ModelSummary;
}

export interface StoredTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Everything needed to continue a run exactly; written in one transaction with its run record. */
export interface CheckpointRecord {
  runId: string;
  epoch: number;
  createdAt: number;
  config: TrainingConfig;
  weights: StoredTensor[];
  optimizer: StoredTensor[];
  /** Imported models only: the layers topology (model.toJSON), rebuilt instead of buildModel(config). */
  topology?: unknown;
  /**
   * Set when the floats live in `checkpointParts` (db/checkpointParts.ts): the number of parts. The tensors'
   * `data` are then empty here; their floats, weights first, then optimizer, in order, are the parts joined.
   */
  parts?: number;
}

/** Label-confidence bins, as the paper sorted its crops before manual review (§3.3): ≥ 90 %, 60–90 %, < 60 %. */
export const NOISE_BINS = { high: 0, mid: 1, low: 2 } as const;

/**
 * The noise sorting of one dataset (ml/noiseSort.ts): every crop's cross-fitted probability for its own label
 * and its bin. Written whole in one put at the end, so a cancelled sorting leaves the previous one (or none).
 */
export interface NoiseBinsRecord {
  datasetId: string;
  createdAt: number;
  /** Per image, the probability a model that did not train on it gives the image's label. */
  confidence: Float32Array;
  /** Per image, NOISE_BINS code. */
  bins: Uint8Array;
  /** Images per bin: [≥ 90 %, 60–90 %, < 60 %]. */
  counts: [number, number, number];
  /** The labels scored (a later class move makes these stale: the page says so). */
  labels: Uint8Array;
  folds: number;
  epochs: number;
  ms: number;
}

/** One part of a large checkpoint's floats (see CheckpointRecord.parts). */
export interface CheckpointPartRecord {
  runId: string;
  index: number;
  data: Float32Array;
}

export type RunStatus = 'running' | 'paused' | 'completed' | 'stopped' | 'interrupted' | 'failed';

export interface RunRecord {
  id: string;
  datasetId: string;
  createdAt: number;
  updatedAt: number;
  config: TrainingConfig;
  status: RunStatus;
  epochsDone: number;
  epochs: EpochMetric[];
  /** Per-batch metrics kept compactly: [step, loss, accuracy] triples. */
  batchLog: number[];
  backend: string;
  checkpointEpoch: number | null;
  error?: string;
  /** Runs started together by "Compare architectures" share this id. */
  compareGroup?: string;
  /** Imported models: the file (or URL) they came from. */
  importedFrom?: string;
}

/**
 * A hyperparameter sweep (shared/sweep.ts, store/sweep.ts): its plan, each trial's run and state, and the time
 * spent so far, rewritten after every trial and epoch so a reload resumes it where it was.
 */
export interface SweepRecord {
  id: string;
  datasetId: string;
  createdAt: number;
  updatedAt: number;
  /** The Train form's settings when the sweep started; each trial overrides dropout, batch size, learning rate. */
  base: TrainingConfig;
  spec: SweepSpec;
  maxTrials: number;
  /** No new trial starts once `spentMs` reaches this (a trial under way finishes). */
  budgetMs: number;
  /** Wall-clock time spent training the trials, all sessions together. */
  spentMs: number;
  trials: SweepTrial[];
  /** `running` is also what a sweep cut off by a reload says until it is resumed. */
  status: 'running' | 'finished' | 'budget' | 'cancelled' | 'failed';
}

export interface LabDB extends DBSchema {
  datasets: { key: string; value: DatasetRecord };
  images: { key: [string, number]; value: ImageChunkRecord; indexes: { byDataset: string } };
  splits: { key: string; value: SplitRecord };
  models: { key: string; value: ModelRecord };
  checkpoints: { key: string; value: CheckpointRecord };
  checkpointParts: { key: [string, number]; value: CheckpointPartRecord };
  runs: { key: string; value: RunRecord; indexes: { byDataset: string } };
  surveys: { key: string; value: SurveyKit };
  surveyResults: { key: [string, string]; value: ParticipantResult; indexes: { byKit: string } };
  thumbs: { key: [string, number]; value: ThumbChunkRecord };
  noiseBins: { key: string; value: NoiseBinsRecord };
  sweeps: { key: string; value: SweepRecord };
  studies: { key: string; value: StudyRecord };
}

type UpgradeTx = IDBPTransaction<LabDB, StoreNames<LabDB>[], 'versionchange'>;

/** Ordered migrations; MIGRATIONS[n - 1] upgrades a database from version n - 1 to n. */
export const MIGRATIONS: Array<(db: IDBPDatabase<LabDB>, tx: UpgradeTx) => void> = [
  function v1CreateStores(db) {
    db.createObjectStore(STORES.datasets, { keyPath: 'id' });
    const images = db.createObjectStore(STORES.images, { keyPath: ['datasetId', 'chunk'] });
    images.createIndex('byDataset', 'datasetId');
    db.createObjectStore(STORES.splits, { keyPath: 'datasetId' });
    db.createObjectStore(STORES.models, { keyPath: 'id' });
    db.createObjectStore(STORES.checkpoints, { keyPath: 'runId' });
    const runs = db.createObjectStore(STORES.runs, { keyPath: 'id' });
    runs.createIndex('byDataset', 'datasetId');
  },
  function v2AddSurveys(db) {
    db.createObjectStore(STORES.surveys, { keyPath: 'id' });
    const results = db.createObjectStore(STORES.surveyResults, { keyPath: ['kitId', 'participantId'] });
    results.createIndex('byKit', 'kitId');
  },
  function v3AddThumbs(db) {
    db.createObjectStore(STORES.thumbs, { keyPath: ['datasetId', 'chunk'] });
  },
  function v4AddCheckpointParts(db) {
    db.createObjectStore(STORES.checkpointParts, { keyPath: ['runId', 'index'] });
  },
  function v5AddNoiseBins(db) {
    db.createObjectStore(STORES.noiseBins, { keyPath: 'datasetId' });
  },
  function v6AddSweeps(db) {
    db.createObjectStore(STORES.sweeps, { keyPath: 'id' });
  },
  function v7AddStudies(db) {
    db.createObjectStore(STORES.studies, { keyPath: 'id' });
  },
];
