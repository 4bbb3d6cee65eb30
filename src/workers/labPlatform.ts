/**
 * The lab worker's platform calls (protocol: src/shared/protocol.ts): choosing and starting the backend, describing a
 * model, timing a backend for the page's choice, and the device's limits.
 */
import { faultActive, setFaults } from '../db/faults';
import { selectBackend, softwareOnly } from '../ml/backend';
import { currentBackend, requireBackend, setBackend, type HandlersOf } from '../ml/core/callContext';
import { readDeviceLimits } from '../ml/deviceLimits';
import { watchDeviceLoss } from '../ml/deviceLoss';
import { benchTraining } from '../ml/diagnostics/benchTraining';
import { buildModel } from '../ml/models';
import { summarizeModel } from '../ml/summary';
import type { PlatformApi, PlatformProgress, WorkerNotice } from '../shared/protocol';

export function platformHandlers(notify: (notice: WorkerNotice) => void): HandlersOf<PlatformApi, PlatformProgress> {
  return {
    async init(args) {
      setFaults(args.faults ?? []);
      // `?fault=init-hang:N`: a replacement worker that never starts (the page passes it to the first N only).
      if (args.after && faultActive('init-hang')) await new Promise<never>(() => {});
      // A worker replacing one whose GPU was lost: under `?fault=webgpu-unavailable` the GPU does not come back.
      const refused =
        args.after === 'device-lost' && faultActive('webgpu-unavailable')
          ? { webgpu: 'injected fault: WebGPU did not come back after the device loss' }
          : {};
      const backend = currentBackend() ?? (await selectBackend(args.backend, args.baseUrl, refused, args.wasmThreads));
      // tfjs ignores a lost device; the page replaces this worker when it happens (src/store/recovery.ts).
      if (backend.name === 'webgpu')
        watchDeviceLoss((info) => notify({ type: 'device-lost', backend: 'webgpu', ...info }));
      setBackend(backend);
      return backend;
    },
    async summarize(options) {
      await requireBackend();
      const model = buildModel(options);
      try {
        return summarizeModel(model);
      } finally {
        model.dispose();
      }
    },
    async timeBackend(args) {
      // Only in a throwaway probe worker (src/bridge/measureBackends.ts): it starts on exactly this backend.
      // A software-emulated GPU (SwiftShader, llvmpipe) is 10–40× slower than wasm wherever we measured
      // (docs/performance.md): not timed unless asked (`?probe=all`), which saves a first visit two 6-s caps.
      const software = args.includeSoftware ? null : await softwareOnly(args.backend);
      if (software) throw new Error(`not timed: ${software}`);
      setBackend(currentBackend() ?? (await selectBackend(args.backend, args.baseUrl, {}, args.wasmThreads)));
      // One warm-up and one timed step of the app's own training step (src/ml/diagnostics/benchTraining.ts).
      const r = await benchTraining({
        preset: args.preset,
        batchSize: args.batchSize,
        steps: 1,
        warmup: 1,
        inferenceRuns: 0,
      });
      if (!r.fits) throw new Error(`${args.backend} could not train ${args.preset} (${r.stage}: ${r.error})`);
      return { warmupMs: r.warmupMs[0], stepMs: r.stepMs[0] };
    },
    async deviceLimits() {
      const { adapter } = await requireBackend();
      return readDeviceLimits(
        adapter ? [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') : '',
      );
    },
  };
}
