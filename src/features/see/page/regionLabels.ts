/**
 * How the region table names where its masks came from, the same on the page, in the CSV and in the figure:
 * ground truth only for the synthetic faces; on photos approximate masks drawn around the face detector's
 * keypoints (src/features/see/shared/keypointRegions.ts), which a reader must not take for ground truth. Pure.
 */
import { APPROX_REGIONS_LABEL } from '../shared/keypointRegions';
import type { WhereItLooks } from '../shared/protocol';

export const TRUE_MASKS_LABEL = 'true (synthetic faces)';

export function masksLabel(result: Pick<WhereItLooks, 'approximate'>): string {
  return result.approximate ? APPROX_REGIONS_LABEL : TRUE_MASKS_LABEL;
}

/** The sentence under the table: which masks, and how many test faces were left out for having none. */
export function masksNote(result: Pick<WhereItLooks, 'approximate' | 'skipped' | 'images'>): string {
  if (!result.approximate) return 'Regions: true masks of the synthetic faces.';
  const skipped = result.skipped
    ? ` ${result.skipped} of the first ${result.images + result.skipped} test faces skipped: stored without face keypoints.`
    : '';
  return (
    `Regions: ${APPROX_REGIONS_LABEL} — eyes, brows, nose and mouth drawn around the detector's keypoints, sized from the ` +
    `distance between the eyes; face: the ellipse in the detector's box; hair and background together are the rest.${skipped}`
  );
}
