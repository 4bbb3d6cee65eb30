/** The Share capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts. */
import { withLab, type HandlersOf } from '../../../ml/core/callContext';
import type { ShareApi, ShareProgress } from '../shared/protocol';
import { installDemo } from './demo/installDemo';
import { exportKerasModel, exportRunModel, importKerasModel, importModelFiles } from './modelIo';

export const shareHandlers: HandlersOf<ShareApi, ShareProgress> = {
  async exportModel(args) {
    return exportRunModel(await withLab(), args.runId);
  },
  async importModel(args) {
    return importModelFiles(await withLab(), args);
  },
  async exportKerasModel(args) {
    return { bytes: await exportKerasModel(await withLab(), args.runId, args.format) };
  },
  async importKerasModel(args) {
    return importKerasModel(await withLab(), args);
  },
  async installDemo(args, ctx) {
    return installDemo(await withLab(), args.baseUrl, ctx.progress, ctx.signal);
  },
};
