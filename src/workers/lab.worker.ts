/**
 * The lab worker: owns TensorFlow.js, the backend, models and tensors. It only composes the capabilities' handlers
 * (src/features/<capability>/worker/handlers.ts), the platform's and the diagnostics'; the page talks to it through
 * the typed protocol in src/features/labApi.ts. Every call gets an AbortSignal and may stream progress.
 */
import type { FromWorker, LabApi, LabMethod, LabProgress, ToWorker } from '../features/labApi';
import { dataHandlers } from '../features/data/worker/handlers';
import { foolHandlers } from '../features/fool/worker/handlers';
import { seeHandlers } from '../features/see/worker/handlers';
import { shareHandlers } from '../features/share/worker/handlers';
import { surveyHandlers } from '../features/survey/worker/handlers';
import { controlTraining, trainHandlers } from '../features/train/worker/handlers';
import type { CallContext, HandlersOf } from '../ml/core/callContext';
import { diagnosticsHandlers } from '../ml/diagnostics/handlers';
import { errorMessage } from '../shared/errorMessage';
import { sameOriginOnly } from '../shared/sameOriginOnly';
import { platformHandlers } from './labPlatform';

declare const self: DedicatedWorkerGlobalScope;
sameOriginOnly(self); // the page's CSP does not reach workers

function post(msg: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(msg, transfer);
}

const handlers: HandlersOf<LabApi, LabProgress> = {
  ...platformHandlers((notice) => post({ kind: 'notice', notice })),
  ...dataHandlers,
  ...trainHandlers,
  ...seeHandlers,
  ...foolHandlers,
  ...surveyHandlers,
  ...shareHandlers,
  ...diagnosticsHandlers,
};

const controllers = new Map<number, AbortController>();

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.kind === 'abort') {
    controllers.get(msg.id)?.abort();
    controlTraining(msg.id, 'stop');
    return;
  }
  if (msg.kind === 'control') {
    controlTraining(msg.id, msg.action);
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  const handler = handlers[msg.method as LabMethod] as (args: unknown, ctx: CallContext<unknown>) => Promise<unknown>;
  const cleanups: Array<() => void> = [];
  try {
    const value = await handler(msg.args, {
      id: msg.id,
      signal: controller.signal,
      progress: (data) => post({ kind: 'progress', id: msg.id, data }),
      defer: (cleanup) => cleanups.push(cleanup),
    });
    post({ kind: 'result', id: msg.id, value });
  } catch (err) {
    post({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    controllers.delete(msg.id);
    for (const cleanup of cleanups) cleanup();
  }
};
