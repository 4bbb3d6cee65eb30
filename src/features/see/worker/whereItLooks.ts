/**
 * "Where does the network look?", measured (issue #4): saliency maps of N test faces for each method, scored
 * against region masks — each region's share of the attribution mass against its share of the area
 * (regionTable), and the pointing game on the regions that tell the two people apart (eyes, nose, mouth).
 * Explains each face's true class. The masks are the synthetic faces' true ones, or on photos approximate ones
 * from the detector's keypoints (photoRegions.ts; `regions` then names their ids).
 */
import type * as tf from '@tensorflow/tfjs';
import { DISCRIMINATIVE_REGIONS, REGION_NAMES } from '../../../shared/synthetic/lookalikes';
import type { SaliencyMethodName, WhereItLooks } from '../shared/protocol';
import { pointingGame, regionTable } from './regions';
import { saliencyMap } from './saliency';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { abortPoint } from '../../../ml/abortPoint';

export interface RegionSet {
  /** Region id → name. */
  names: readonly string[];
  /** The pointing game's target regions (by name). */
  targets: readonly string[];
  /** true: approximate masks (from face keypoints), not ground truth. */
  approximate: boolean;
  /** Test faces left out because they have no masks (crops without keypoints). */
  skipped: number;
}

export const TRUE_SYNTHETIC_REGIONS: RegionSet = {
  names: REGION_NAMES,
  targets: DISCRIMINATIVE_REGIONS,
  approximate: false,
  skipped: 0,
};

export async function whereItLooks(
  model: tf.LayersModel,
  images: { pixels: Uint8Array; labels: ArrayLike<number>; masks: Uint8Array[] },
  methods: SaliencyMethodName[],
  progress: (done: number, total: number) => void = () => {},
  signal?: AbortSignal,
  regions: RegionSet = TRUE_SYNTHETIC_REGIONS,
): Promise<WhereItLooks> {
  const n = images.masks.length;
  const count = regions.names.length;
  const targets = regions.targets.map((r) => regions.names.indexOf(r));
  const rows = [];
  let done = 0;
  for (const method of methods) {
    const t0 = performance.now();
    const maps: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      await abortPoint(signal);
      const image = Float32Array.from(
        images.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        (v) => v / 255,
      );
      const map = await saliencyMap(model, image, { method, classIndex: images.labels[i] });
      maps.push(Float32Array.from(map, Math.abs));
      progress(++done, n * methods.length);
    }
    const table = regionTable(maps, images.masks, count);
    const pointing = pointingGame(maps, images.masks, targets);
    rows.push({ method, ...table, pointing, msPerImage: (performance.now() - t0) / n });
  }
  return {
    images: n,
    regions: [...regions.names],
    targets: [...regions.targets],
    approximate: regions.approximate,
    skipped: regions.skipped,
    rows,
  };
}
