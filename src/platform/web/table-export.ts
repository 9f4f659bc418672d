import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { type CsvValue, csvLine } from './csv';
import { drained, isHead, writeChunk } from './stream-write';

/**
 * A staff table as a download: CSV (for anything) or XLSX (for Excel), written row by row as the
 * rows come, so a long table never sits in memory whole: the rows are an async iterable that
 * reads the database a batch at a time (see platform/database/keyset.ts), and each write waits
 * for the socket to drain, so a slow reader holds back the reading.
 *
 * Formulas: CSV cells go through the one CSV writer (text starting = + - @ gets an apostrophe).
 * XLSX cells are written as typed values — text as text, numbers as numbers — and never as
 * formulas, so a payee called "=HYPERLINK(…)" is shown as those characters and nothing runs; the
 * text is kept exactly as typed.
 *
 * Columns named "… (£)" hold pounds and "… (%)" percentages: numbers, shown with two decimals in
 * CSV (as a finance system expects) and kept as numbers in XLSX.
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

/** Characters per CSV write: a few times the socket's 16 KB high-water mark, under V8's large-object size even as two-byte text. */
const CHUNK = 32 * 1024;

const logger = new Logger('TableExport');

/** A table's rows, each mapped as it comes from batches read from the database. */
export async function* rowsOf<T>(batches: AsyncIterable<T[]>, row: (item: T) => CsvValue[]): AsyncGenerator<CsvValue[]> {
  for await (const batch of batches) for (const item of batch) yield row(item);
}

/**
 * Sends the table. The first row is read before anything is sent, so a failure then (the
 * database, a record that has gone) is an ordinary error page; a failure after the start cuts the
 * connection, so the reader sees a broken download rather than a complete-looking file missing
 * rows. A reader who goes away stops the reading (the rows' generator is closed).
 */
export async function sendTable(res: Response, format: TableFormat, table: TableDownload): Promise<void> {
  const rows = each(table.rows);
  let next = await rows.next();
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${table.name.replace(/[^\w.-]/g, '_')}.${format}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    // HEAD asks for the headers only (Express sends it to the GET route): one batch read, not the whole table.
    if (isHead(res)) {
      res.end();
      return;
    }
    if (format === 'csv') {
      const decimals = table.header.map((h) => h.endsWith('(£)') || h.endsWith('(%)'));
      const cells = (row: CsvValue[]) => row.map((v, i) => (decimals[i] && typeof v === 'number' ? v.toFixed(2) : v));
      // A byte-order mark, so spreadsheet programs read the file as UTF-8 (names have ’ and é).
      let piece = '\uFEFF' + csvLine(table.header);
      while (!next.done) {
        piece += csvLine(cells(next.value));
        if (piece.length >= CHUNK) {
          if (!(await writeChunk(res, piece))) return;
          piece = '';
        }
        next = await rows.next();
      }
      if (!(await writeChunk(res, piece))) return;
      res.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet(table.sheet.slice(0, 31));
    sheet.addRow(table.header).commit();
    while (!next.done) {
      sheet.addRow(next.value.map(xlsxValue)).commit();
      // exceljs pipes its zip into the response without waiting: wait here when the socket is behind.
      if (!(await drained(res))) return;
      next = await rows.next();
    }
    sheet.commit();
    await workbook.commit();
  } catch (err) {
    logger.error(`${table.name}.${format} failed after it started: ${(err as Error)?.message ?? String(err)}`, (err as Error)?.stack);
    res.destroy(err as Error);
  } finally {
    if (!next.done) await rows.return(undefined);
  }
}

/** Any iterable of rows as one async iterator, so a sync list and a database generator are read alike. */
async function* each(rows: AsyncIterable<CsvValue[]> | Iterable<CsvValue[]>): AsyncGenerator<CsvValue[]> {
  for await (const row of rows) yield row;
}

/** A cell's value as XLSX stores it: text and numbers as they are; never an object exceljs would read as a formula. */
function xlsxValue(v: CsvValue): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}
