/**
 * Whether our WebGPU kernels (src/ml/webgpuKernels.ts) or tfjs' own run on the adapter at hand (issue 17 item 3).
 * Ours were written and measured on SwiftShader, a CPU emulating a GPU (compact batch 8 trains at 6.4–6.6
 * images/s with them against 4.3–4.4 without, docs/performance.md). Nobody has measured them on a real GPU, where
 * tfjs' tiled kernels with workgroup memory may well be faster: the emulator's winner is not assumed to win on
 * hardware. So: on a fallback (software) adapter, ours; on any other, ours only when a quick A/B on that adapter
 * at backend selection measured them clearly faster; without a measurement, tfjs'. Pure and thread-neutral.
 */
export interface KernelTiming {
  /** Median ms of the probe step with our kernels and with tfjs' (same inputs, alternated). */
  oursMs: number;
  tfjsMs: number;
}

export interface KernelChoice {
  ours: boolean;
  why: string;
  timing?: KernelTiming;
}

/** Ours must be at least this much faster to be chosen on hardware (the probe is short and noisy). */
export const HARDWARE_MARGIN = 0.9;

export function chooseWebgpuKernels(
  adapter: { isFallbackAdapter: boolean } | null,
  timing: KernelTiming | null,
): KernelChoice {
  if (adapter?.isFallbackAdapter) {
    return { ours: true, why: 'software adapter: our kernels, measured faster on SwiftShader' };
  }
  if (!timing || !(timing.oursMs > 0) || !(timing.tfjsMs > 0)) {
    return { ours: false, why: "tfjs' kernels: ours are not measured on this adapter" };
  }
  const ms = `${timing.oursMs.toFixed(1)} vs ${timing.tfjsMs.toFixed(1)} ms a probe step`;
  return timing.oursMs <= timing.tfjsMs * HARDWARE_MARGIN
    ? { ours: true, why: `our kernels: measured faster on this adapter (${ms})`, timing }
    : { ours: false, why: `tfjs' kernels: ours were not clearly faster on this adapter (${ms})`, timing };
}
