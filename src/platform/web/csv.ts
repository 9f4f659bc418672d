import type { Response } from 'express';

/**
 * CSV for spreadsheets and finance systems: one writer for every export (a round's applications,
 * a payment run), so each gets the same protection against formulas.
 */

/** What a cell holds: text, a number, or nothing. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV cell. A spreadsheet would run text starting with = + - @ (or a tab or carriage return,
 * which some treat the same) as a formula, so such text gets a leading apostrophe; then the cell
 * is quoted when it holds a quote, comma or line break (RFC 4180).
 */
export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: CsvValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** Sends a CSV file as a download that no cache keeps and no browser runs as anything else. */
export function sendCsv(res: Response, csv: { filename: string; body: string }): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csv.filename.replace(/[^\w.-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(csv.body);
}
