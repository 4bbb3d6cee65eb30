import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRow, csvText } from './csv';

/** An RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF), the oracle for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const FORMULA = /^[=+\-@\t\r]/;

describe('csv', () => {
  it('round-trips any strings through an RFC 4180 reader, and no cell starts a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const back = parseCsv(csvText(rows));
          expect(back.length).toBe(rows.length);
          back.forEach((cells, r) => {
            expect(cells.length).toBe(rows[r].length);
            cells.forEach((cell, c) => {
              const original = rows[r][c];
              const neutralised = FORMULA.test(original) && !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(original);
              expect(cell).toBe(neutralised ? `'${original}` : original);
              if (FORMULA.test(cell)) expect(cell).toMatch(/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i);
            });
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("neutralises the probe's participant id and keeps numbers as numbers", () => {
    const id = 'p1,"x"\n=HYPERLINK("http://evil","click")';
    const row = csvRow([id, -0.25, '-0.25', '@SUM(A1)', true, null]);
    // The id stays one quoted cell (its line break cannot start a row) and does not itself start a formula.
    expect(parseCsv(row + '\n')).toEqual([[id, '-0.25', '-0.25', "'@SUM(A1)", 'true', '']]);
    expect(csvRow(['=HYPERLINK("http://evil")'])).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField(Infinity)).toBe('');
    expect(csvField(1 / 3)).toBe('0.333333');
    expect(csvField(1234567)).toBe('1234567'); // an image index stays exact
    // A bare carriage return ends a row in Excel and many readers: it must be inside quotes, like \n.
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });
});
