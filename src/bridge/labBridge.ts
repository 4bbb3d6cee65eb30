/**
 * Main-thread side of the lab worker: typed calls with AbortSignal and progress callbacks, plus training
 * controls (pause / resume / stop). The only place that knows the worker's URL.
 */
import type { ControlAction, FromWorker, LabApi, LabMethod, LabProgress, ToWorker } from '../shared/protocol';

type Args<M extends LabMethod> = Parameters<LabApi[M]>[0];
type Result<M extends LabMethod> = Awaited<ReturnType<LabApi[M]>>;

interface Pending {
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

export class LabBridge {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      const err = new Error(`The lab worker crashed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  call<M extends LabMethod>(method: M, args: Args<M>, opts: CallOptions<M> = {}): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
      this.pending.set(id, {
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
