/**
 * The markdown result tables every bench script prints (and bench/run.mjs writes to its .md): one row per
 * result, cells separated by ` | `; an empty cell is written `| |` (a row that says "skipped" leaves the rest blank).
 *
 *   console.log(mdTable(['item', 'result'], [['store 6,000 crops', '2 s']]).join('\n'));
 */

/** `| a | b |` from ['a', 'b']. */
export const mdRow = (cells) => `|${cells.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;

/** The header row, the `|---|` separator and the rows, as lines. */
export const mdTable = (header, rows) => [mdRow(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(mdRow)];
