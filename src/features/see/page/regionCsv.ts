/**
 * The "where it looks" region table as CSV, laid out like the table on the page: one row per region (its
 * share of the face area, whether it tells the two people apart, and for each method its share of the
 * attribution mass and mass ÷ area), then one row for the pointing game (area column = the chance rate,
 * share column = the hit rate, ratio = hit rate ÷ chance). Shares are fractions (0.051, not 5.1 %), to six
 * significant digits; an undefined ratio is an empty field. The last column says on every row which masks
 * the numbers come from: the synthetic faces' true ones, or approximate ones from face keypoints (photos). Pure.
 */
import { csvRow } from '../../../shared/csv';
import type { WhereItLooks } from '../shared/protocol';
import { masksLabel } from './regionLabels';

export { csvField } from '../../../shared/csv';

export function regionCsv(result: WhereItLooks): string {
  const header = ['region', 'discriminative', 'area_share'];
  for (const r of result.rows) header.push(`${r.method}_attribution_share`, `${r.method}_ratio`);
  header.push('masks');
  const masks = masksLabel(result);
  const lines = [csvRow(header)];
  const area = result.rows[0]?.area ?? [];
  result.regions.forEach((region, i) => {
    const row: Array<string | number> = [region, result.targets.includes(region) ? 'yes' : 'no', area[i] ?? NaN];
    for (const r of result.rows) row.push(r.attribution[i], r.ratio[i]);
    lines.push(csvRow([...row, masks]));
  });
  const chance = result.rows[0]?.pointing.chance ?? NaN;
  const pointing: Array<string | number> = [`pointing game (${result.targets.join('/')})`, '', chance];
  for (const r of result.rows)
    pointing.push(r.pointing.rate, r.pointing.chance > 0 ? r.pointing.rate / r.pointing.chance : NaN);
  lines.push(csvRow([...pointing, masks]));
  return lines.join('\r\n') + '\r\n';
}
