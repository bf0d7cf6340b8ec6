// CSV for French spreadsheets: UTF-8 with a BOM (so Excel reads the accents), ";" between cells
// (French Excel's separator), CRLF lines, line breaks inside cells quoted, and cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR first: CSV injection, OWASP) made plain
// text with a leading apostrophe.
import { stringify } from 'csv-stringify/sync';

export function neutraliseCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The whole file; with `continued`, more lines of one already started (no BOM, no header line). */
export function spreadsheetCsv(
  headers: string[],
  rows: Array<Array<string | number>>,
  { continued = false } = {},
): string {
  return stringify(
    rows.map((row) => row.map((cell) => (typeof cell === 'number' ? String(cell) : neutraliseCell(cell)))),
    {
      bom: !continued,
      delimiter: ';',
      record_delimiter: 'windows',
      quoted_match: /[\r\n]/,
      header: !continued,
      columns: headers,
    },
  );
}
