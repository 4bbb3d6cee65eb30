/**
 * The one typed message protocol between the page and the lab worker (TensorFlow.js lives only there), composed
 * from each capability's slice (src/features/<capability>/shared/protocol.ts) plus the platform's and the
 * diagnostics' calls. `LabApi` lists the calls, `LabProgress` what each call may report while it runs.
 */
import type { ControlAction, PlatformApi, PlatformProgress, WorkerNotice } from '../shared/protocol';
import type { DiagnosticsApi, DiagnosticsProgress } from '../shared/diagnosticsProtocol';
import type { DataApi, DataProgress } from './data/shared/protocol';
import type { TrainApi, TrainProgress } from './train/shared/protocol';
import type { SeeApi, SeeProgress } from './see/shared/protocol';
import type { FoolApi, FoolProgress } from './fool/shared/protocol';
import type { SurveyApi, SurveyProgress } from './survey/shared/protocol';
import type { ShareApi, ShareProgress } from './share/shared/protocol';

export type LabApi = PlatformApi & DiagnosticsApi & DataApi & TrainApi & SeeApi & FoolApi & SurveyApi & ShareApi;

export type LabProgress = PlatformProgress &
  DiagnosticsProgress &
  DataProgress &
  TrainProgress &
  SeeProgress &
  FoolProgress &
  SurveyProgress &
  ShareProgress;

export type LabMethod = keyof LabApi;

export type ToWorker =
  | { kind: 'call'; id: number; method: LabMethod; args: unknown }
  | { kind: 'abort'; id: number }
  | { kind: 'control'; id: number; action: ControlAction };

export type FromWorker =
  | { kind: 'notice'; notice: WorkerNotice }
  | { kind: 'progress'; id: number; data: unknown }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string };
