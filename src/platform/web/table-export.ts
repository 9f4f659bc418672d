import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { type CsvValue, csvLine } from './csv';

/**
 * A staff table as a download: CSV (for anything) or XLSX (for Excel), written row by row as the
 * rows come, so a long table never sits in memory whole.
 *
 * Formulas: CSV cells go through the one CSV writer (text starting = + - @ gets an apostrophe).
 * XLSX cells are written as typed values — text as text, numbers as numbers — and never as
 * formulas, so a payee called "=HYPERLINK(…)" is shown as those characters and nothing runs; the
 * text is kept exactly as typed.
 */
export type TableFormat = 'csv' | 'xlsx';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'xlsx'];

export interface TableDownload {
  /** Without extension: "applications-VF7". */
  name: string;
  /** The sheet's name in XLSX. */
  sheet: string;
  header: string[];
  rows: AsyncIterable<CsvValue[]> | Iterable<CsvValue[]>;
}

const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function sendTable(res: Response, format: TableFormat, table: TableDownload): Promise<void> {
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${table.name.replace(/[^\w.-]/g, '_')}.${format}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (format === 'csv') {
    // Columns in pounds ("… (£)") show two decimals in CSV, as a finance system expects; XLSX keeps the number.
    const money = table.header.map((h) => h.endsWith('(£)'));
    const cells = (row: CsvValue[]) => row.map((v, i) => (money[i] && typeof v === 'number' ? v.toFixed(2) : v));
    await write(res, '\uFEFF' + csvLine(table.header));
    for await (const row of table.rows) if (!(await write(res, csvLine(cells(row))))) return;
    res.end();
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31));
  sheet.addRow(table.header).commit();
  for await (const row of table.rows) sheet.addRow(row.map(xlsxValue)).commit();
  sheet.commit();
  await workbook.commit();
}

/** A cell's value as XLSX stores it: text and numbers as they are; never an object exceljs would read as a formula. */
function xlsxValue(v: CsvValue): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

/** Writes a chunk, waiting for the buffer to drain when it is full; false when the reader has gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}
