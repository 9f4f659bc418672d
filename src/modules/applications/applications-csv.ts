/**
 * A round's applications as CSV: one builder for the staff page (`/staff/rounds/:id/applications.csv`)
 * and the API (`/api/v1/rounds/:id/applications.csv`), so both give the same columns, the same
 * cells and the same protection against formulas.
 */
import type { Response } from 'express';
import { londonTimestamp } from '../../platform/web/forms';
import type { FundingRound } from '../funds';
import type { Organisation } from '../identity';
import type { ApplicationRow } from './applications.service';
import { APPLICATION_STATUS_TAGS } from './pages/status-tags';

/**
 * One CSV cell. A spreadsheet would run text starting with = + - @ (or a tab or carriage return,
 * which some treat the same) as a formula, so such text gets a leading apostrophe; then the cell
 * is quoted when it holds a quote, comma or line break (RFC 4180).
 */
/** What a cell holds: text, a number, or nothing. */
export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: CsvValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export const CSV_HEADER = [
  'Reference',
  'Organisation',
  'Organisation identifier',
  'Charity number',
  'Company number',
  'Area',
  'Category',
  'Amount requested (£)',
  'Status',
  'Submitted at (London time)',
  'Screening reason',
  'Duplicate flags',
];

export function areaLabel(o: Pick<Organisation, 'outsideForceArea' | 'areaDescription' | 'areaOnsCode'>, areaNames: Map<string, string>): string {
  if (o.outsideForceArea) return `Outside the West Midlands${o.areaDescription ? ` (${o.areaDescription})` : ''}`;
  return o.areaOnsCode ? (areaNames.get(o.areaOnsCode) ?? o.areaOnsCode) : '';
}

export interface ApplicationsCsvInput {
  round: FundingRound;
  /** The rows to export (already filtered). */
  rows: ApplicationRow[];
  /** Every application in the round, id → reference, so duplicate flags name the other application. */
  references: Map<string, string | null>;
  areaNames: Map<string, string>;
  now: Date;
}

/** The file name and the text of the export. */
export function applicationsCsv({ round, rows, references, areaNames, now }: ApplicationsCsvInput): { filename: string; body: string } {
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  const today = londonTimestamp(now).slice(0, 10);
  const filename = `${round.referencePrefix}-applications-${today}.csv`;
  // A byte-order mark, so spreadsheet programs read the file as UTF-8 (names have ’ and é).
  let body = '\uFEFF' + csvLine(CSV_HEADER);
  for (const r of rows) {
    const a = r.application;
    const o = r.organisation;
    body += csvLine([
      a.reference ?? '',
      o.name,
      o.orgId,
      o.charityNumber ?? '',
      o.companyNumber ?? '',
      areaLabel(o, areaNames),
      a.category ? (categoryNames.get(a.category) ?? a.category) : '',
      a.amountRequestedPence !== null ? (a.amountRequestedPence / 100).toFixed(2) : '',
      APPLICATION_STATUS_TAGS[a.status].text,
      a.submittedAt ? londonTimestamp(a.submittedAt) : '',
      a.screeningReason ?? '',
      a.duplicateFlags.map((f) => `${references.get(f.applicationId) ?? `draft ${f.applicationId}`} (${f.reason})`).join('; '),
    ]);
  }
  return { filename, body };
}

/** Sends the export as a download that is never cached (it holds organisations' details). */
export function sendCsv(res: Response, csv: { filename: string; body: string }): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csv.filename.replace(/[^\w.-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(csv.body);
}
