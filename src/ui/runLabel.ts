/** How a run is named in every model picker: architecture and epoch, or the file an imported model came from. */
import type { RunRecord } from '../db/schema';

export function runLabel(r: RunRecord): string {
  const what = r.importedFrom
    ? `imported: ${r.importedFrom}`
    : `${r.config.architecture}${r.config.adversarial ? ' (adversarial)' : ''} · epoch ${r.checkpointEpoch}`;
  return `${what} · ${new Date(r.createdAt).toLocaleString()}`;
}
