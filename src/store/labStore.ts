/**
 * The one zustand store: serialisable snapshots only (ids, metrics, status). Models and tensors live in the
 * worker; pixels shown in the UI are read from IndexedDB by the components that show them.
 */
import { create } from 'zustand';
import type { BackendTiming } from '../shared/backendChoice';
import type { DatasetRecord, RunRecord } from '../db/schema';
import type { BatchMetric, EpochMetric, Evaluation } from '../features/train/shared/protocol';
import type { BackendInfo, ModelSummary } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainingConfig } from '../shared/trainingConfig';

export type TrainingStatus = 'idle' | 'starting' | 'running' | 'paused' | 'stopping';

export interface CompareEntry {
  runId: string | null;
  label: string;
  epochs: EpochMetric[];
  status: 'waiting' | 'running' | 'done' | 'failed';
  error?: string;
}

export interface LabState {
  backend: {
    status: 'idle' | 'loading' | 'ready' | 'error';
    info: BackendInfo | null;
    error: string | null;
    /** Backend choice by measurement in progress: the preset and the backends timed so far. */
    measuring?: { preset: string; timings: BackendTiming[] };
  };
  datasets: DatasetRecord[];
  selectedDatasetId: string | null;
  generation: { done: number; total: number } | null;
  lastGeneration: { count: number; ms: number } | null;
  dataError: string | null;
  /** Photo-folder ingest in progress (files done / total, faces so far, when it started for rate and ETA). */
  ingest: { done: number; total: number; faces: number; skipped: number; startedAt: number; resuming: boolean } | null;
  lastIngest: {
    datasetId: string | null;
    crops: number;
    photos: number;
    files: number;
    ms: number;
    report: Array<{ file: string; reason: string }>;
    cancelled: boolean;
    /** Files an earlier run of the same folder had finished. */
    skipped: number;
    duplicates: number;
    /** Face crops used as is (no detection): the split made or kept from the folder's train/ test/ level. */
    asIs?: { split: { train: number; test: number; validation: number } };
  } | null;

  config: TrainingConfig;
  summary: ModelSummary | null;
  summaryError: string | null;
  summaryLoading: boolean;
  training: {
    status: TrainingStatus;
    callId: number | null;
    runId: string | null;
    batchesPerEpoch: number;
    batches: BatchMetric[];
    epochs: EpochMetric[];
    checkpoint: { epoch: number; bytes: number; ms: number } | null;
    error: string | null;
  };
  runs: RunRecord[];
  evaluation: { loading: boolean; result: Evaluation | null; error: string | null };
  compare: { running: boolean; entries: CompareEntry[] };
  /** The hosted demo (synthetic data + shipped pretrained model), installed on `?demo` or on request. */
  demo: {
    status: 'idle' | 'installing' | 'ready' | 'error';
    runId: string | null;
    ms: number | null;
    error: string | null;
  };
  /** Surveys saved in this browser (the header's Survey step); the Survey page keeps it current. */
  surveyCount: number;
}

export const initialTraining: LabState['training'] = {
  status: 'idle',
  callId: null,
  runId: null,
  batchesPerEpoch: 0,
  batches: [],
  epochs: [],
  checkpoint: null,
  error: null,
};

export const useLab = create<LabState>(() => ({
  backend: { status: 'idle', info: null, error: null },
  datasets: [],
  selectedDatasetId: null,
  generation: null,
  lastGeneration: null,
  dataError: null,
  ingest: null,
  lastIngest: null,
  config: DEFAULT_CONFIG,
  summary: null,
  summaryError: null,
  summaryLoading: false,
  training: initialTraining,
  runs: [],
  evaluation: { loading: false, result: null, error: null },
  compare: { running: false, entries: [] },
  demo: { status: 'idle', runId: null, ms: null, error: null },
  surveyCount: 0,
}));

export function patchTraining(patch: Partial<LabState['training']>): void {
  useLab.setState((s) => ({ training: { ...s.training, ...patch } }));
}
