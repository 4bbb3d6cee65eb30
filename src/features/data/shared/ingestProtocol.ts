/**
 * The ingest worker's message protocol (src/workers/ingest.worker.ts ⇄ src/bridge/ingestBridge.ts): one
 * discriminated union each way, plain data only. File objects are structured-cloneable (the bytes are not
 * copied; the worker reads them lazily), so the page sends Files with their labels and relative paths.
 */

import type { LeakCheck } from './nearCopies';

export interface IngestFile {
  file: File;
  /** Relative path inside the picked folder, e.g. `photos/alice/img1.jpg`; used in the report and as group key. */
  path: string;
  label: number;
  isValidation: boolean;
}

export interface IngestReportLine {
  file: string;
  reason: string;
}

export interface IngestProgress {
  /** Files finished in this run, of `total` still to do. */
  done: number;
  total: number;
  /** Faces stored in this run. */
  faces: number;
  /** Files of the folder skipped because an earlier (interrupted or cancelled) run finished them. */
  skipped: number;
}

export interface SplitCounts {
  train: number;
  test: number;
  validation: number;
}

export interface IngestResult {
  /** null when no face was found at all (no dataset is written then). */
  datasetId: string | null;
  crops: number;
  photos: number;
  report: IngestReportLine[];
  ms: number;
  split: { train: number; test: number; validation: number } | null;
  /** Files skipped because an earlier run of the same folder finished them. */
  skipped: number;
  /** Crops left out as exact or near duplicates of another crop (the whole dataset, after this run). */
  duplicates: number;
}

/** What a zip without manifest.json holds (a plain Keras layout), shown before the user picks how to import it. */
export interface ZipLayoutSummary {
  /** The zip's top folder, or its file name when it has none. */
  root: string;
  classNames: string[];
  /** Images per class, in classNames order. */
  perClass: number[];
  /** Images per split folder; `unsplit`: in plain class folders, split by the app. */
  perSplit: { train: number; test: number; validation: number; unsplit: number };
  /** Files left out (not images, outside class folders), each with the reason. */
  report: IngestReportLine[];
}

/** How images without the app's manifest are imported: as face crops (resized, no detection) or through face detection. */
export type PlainImportMode = 'asIs' | 'findFaces';

export type ToIngestWorker =
  | {
      kind: 'start';
      id: number;
      /** The app's base URL (MediaPipe's files are under `${baseUrl}vendor/mediapipe/`). */
      baseUrl: string;
      name: string;
      classNames: string[];
      files: IngestFile[];
      seed: number;
      /** Continue this dataset: the same folder dropped again after a reload or Cancel. */
      appendTo?: string;
      /** Reliability tests only: the page's `?fault=` values (src/db/faults.ts). */
      faults?: string[];
    }
  | { kind: 'cancel'; id: number }
  /** Every face of one photo as a 64×64 crop, nothing stored (the Fool page's dropped photo). */
  | { kind: 'crop'; id: number; baseUrl: string; file: Blob }
  /** A dataset as a zip in the Keras `image_dataset_from_directory` layout (shared/datasetZip.ts). */
  | { kind: 'exportZip'; id: number; datasetId: string }
  /**
   * A zip exported by exportZip, restored as a new dataset; or a plain Keras-layout zip (no manifest.json):
   * without `mode` the worker answers `zipLayout` (nothing stored), with it imports the images that way.
   */
  | { kind: 'importZip'; id: number; file: Blob; fileName: string; mode?: PlainImportMode; baseUrl: string }
  /** Face crops of a picked or dropped folder, used as is (resized to 64×64, no detection), as a new dataset. */
  | { kind: 'importCrops'; id: number; name: string; classNames: string[]; files: IngestFile[] }
  /** The train/test leak check of a photo dataset's split (shared/nearCopies.ts); with `resplit`, split it group-aware first. */
  | { kind: 'leakCheck'; id: number; datasetId: string; resplit: boolean }
  /** Reliability tests only (honoured when the last `start` carried `?fault=debug`): an uncaught error. */
  | { kind: 'debugCrash'; id: number };

/** What the Data page shows of a split's leaks: every test/validation crop's distance to its nearest training crop. */
export interface LeakReport extends LeakCheck {
  counts: { train: number; test: number; validation: number };
}

export interface FaceCrop {
  /** 64×64 RGB, upright. */
  pixels: Uint8Array;
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

export type FromIngestWorker =
  | ({ kind: 'progress'; id: number } & IngestProgress)
  | { kind: 'done'; id: number; result: IngestResult }
  | { kind: 'crops'; id: number; crops: FaceCrop[] }
  | { kind: 'zip'; id: number; bytes: Uint8Array }
  | {
      kind: 'imported';
      id: number;
      datasetId: string;
      count: number;
      report: IngestReportLine[];
      split?: SplitCounts;
      classCounts?: number[];
    }
  | { kind: 'zipLayout'; id: number; layout: ZipLayoutSummary }
  | { kind: 'leaks'; id: number; report: LeakReport }
  | { kind: 'error'; id: number; message: string };
