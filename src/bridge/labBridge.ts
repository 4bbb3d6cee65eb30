/**
 * Main-thread side of the lab worker: typed calls with AbortSignal and progress callbacks, plus training
 * controls (pause / resume / stop). The only place that knows the worker's URL. A worker that crashes is
 * replaced by a fresh one (not yet initialised: src/store/recovery.ts re-inits it and tells the user).
 */
import type { FromWorker, LabApi, LabMethod, LabProgress, ToWorker } from '../features/labApi';
import type { ControlAction, WorkerNotice } from '../shared/protocol';

type Args<M extends LabMethod> = Parameters<LabApi[M]>[0];
type Result<M extends LabMethod> = Awaited<ReturnType<LabApi[M]>>;

interface Pending {
  method: LabMethod;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (data: unknown) => void;
}

export interface CallOptions<M extends LabMethod> {
  signal?: AbortSignal;
  onProgress?: (data: LabProgress[M]) => void;
  /** Receives the call id, needed to pause / resume / stop a training call. */
  onStart?: (callId: number) => void;
}

/** What the bridge tells its listeners: the worker's own notices, and a crash (the calls it cut off, by method). */
export type LabNotice = WorkerNotice | { type: 'crash'; message: string; lost: LabMethod[]; replaced: boolean };

/** More crashes than this within CRASH_WINDOW_MS means the worker cannot even start: stop replacing it. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 30_000;

export class LabBridge {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(notice: LabNotice) => void>();
  private crashes: number[] = [];

  constructor() {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' });
    // A replaced worker's messages still queued (a late notice) are dropped.
    worker.onmessage = (e: MessageEvent<FromWorker>) => worker === this.worker && this.receive(e.data);
    worker.onerror = (e) => {
      if (worker !== this.worker) return;
      // Reported to the user by the listeners, with what was lost; not also as an uncaught page error.
      e.preventDefault();
      const message = e.message || 'unknown error';
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
      const replaced = this.crashes.length <= MAX_CRASHES;
      // The worker's state is unknown after an uncaught error (it may even go on training): replace it.
      const lost = replaced
        ? this.restart(`The lab worker crashed: ${message}`)
        : this.cutOff(`The lab worker crashed: ${message}`);
      for (const listener of this.listeners) listener({ type: 'crash', message, lost, replaced });
    };
    return worker;
  }

  /** Listens for crashes and worker notices (a lost GPU); returns the unsubscribe function. */
  onNotice(listener: (notice: LabNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Terminates the worker, rejects every pending call with `reason` and starts a fresh worker (which waits
   * for `init`). Returns the methods of the calls it cut off.
   */
  restart(reason: string): LabMethod[] {
    const lost = this.cutOff(reason);
    this.worker.terminate();
    this.worker = this.spawn();
    return lost;
  }

  private cutOff(reason: string): LabMethod[] {
    const lost = [...this.pending.values()].map((p) => p.method);
    const err = new Error(reason);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    return lost;
  }

  call<M extends LabMethod>(method: M, args: Args<M>, opts: CallOptions<M> = {}): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: opts.onProgress as ((d: unknown) => void) | undefined,
      });
      opts.signal?.addEventListener('abort', () => this.send({ kind: 'abort', id }), { once: true });
      this.send({ kind: 'call', id, method, args });
      opts.onStart?.(id);
    });
  }

  control(callId: number, action: ControlAction): void {
    this.send({ kind: 'control', id: callId, action });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private send(msg: ToWorker) {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker) {
    if (msg.kind === 'notice') {
      for (const listener of this.listeners) listener(msg.notice);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') p.onProgress?.(msg.data);
    else {
      this.pending.delete(msg.id);
      if (msg.kind === 'result') p.resolve(msg.value);
      else p.reject(new Error(msg.message));
    }
  }
}

let instance: LabBridge | null = null;
/** Lazy singleton: the worker (and TensorFlow.js) start on first use. */
export function labBridge(): LabBridge {
  instance ??= new LabBridge();
  return instance;
}
