/**
 * The one CSV writer of the app (issue 18): every CSV a user downloads (survey trials, last-layer activations,
 * the fool set's attack.csv, See's region table) goes through `csvRow`. RFC 4180 quoting (a field holding a
 * comma, quote or line break is quoted, quotes doubled), and formula injection neutralised: a text cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by Excel, LibreOffice or
 * Google Sheets (OWASP "CSV injection"), so it gets a leading apostrophe. Text that is a plain number ("-0.25")
 * is left alone: a spreadsheet reads it as a number, never a formula. Pure.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export type CsvValue = string | number | boolean | null | undefined;

/** One field: integers exactly, other numbers to six significant digits ('' when not finite), booleans as true/false, null/undefined as ''. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  let s = String(value);
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',');
}

/** Rows joined with LF and a final line break. */
export function csvText(rows: ReadonlyArray<readonly CsvValue[]>): string {
  return rows.map(csvRow).join('\n') + '\n';
}
