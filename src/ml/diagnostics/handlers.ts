/**
 * Lab-worker calls for benchmarks and tests only (protocol: src/shared/diagnosticsProtocol.ts): no page calls them.
 * The debug calls are refused unless the page was opened with `?fault=debug`.
 */
import { faultActive } from '../../db/faults';
import type { DiagnosticsApi, DiagnosticsProgress } from '../../shared/diagnosticsProtocol';
import { requireBackend, type HandlersOf } from '../core/callContext';
import { destroyDevice } from '../deviceLoss';
import { benchTraining } from './benchTraining';
import { convGradients } from './debugConvGradients';

export const diagnosticsHandlers: HandlersOf<DiagnosticsApi, DiagnosticsProgress> = {
  async benchTraining(args, ctx) {
    await requireBackend();
    return benchTraining(args, ctx.signal);
  },
  async debugConvGradients(args) {
    if (!faultActive('debug')) throw new Error('Debug calls are off (they need ?fault=debug in the page URL).');
    await requireBackend();
    return convGradients(args);
  },
  async debugFault(args) {
    if (!faultActive('debug')) throw new Error('Debug faults are off (they need ?fault=debug in the page URL).');
    if (args.fault === 'lose-device') {
      destroyDevice();
      return { injected: 'WebGPU device destroyed' };
    }
    // Uncaught and asynchronous, as a bug in a callback would be: the page gets the worker's error event.
    setTimeout(() => {
      throw new Error('injected crash (test hook)');
    });
    return { injected: 'uncaught error' };
  },
};
