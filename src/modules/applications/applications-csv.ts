/**
 * A round's applications as CSV: one builder for the staff page (`/staff/rounds/:id/applications.csv`)
 * and the API (`/api/v1/rounds/:id/applications.csv`), so both give the same columns, the same
 * cells and the same protection against formulas.
 */
import { londonTimestamp } from '../../platform/web/forms';
import type { FundingRound } from '../funds';
import type { Organisation } from '../identity';
import type { ApplicationRow } from './applications.service';
import { APPLICATION_STATUS_TAGS } from './pages/status-tags';

import { type CsvValue, csvLine } from '../../platform/web/csv';
import type { TableDownload } from '../../platform/web/table-export';
export { sendCsv } from '../../platform/web/csv';

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

/** The export's rows, one per application, in CSV_HEADER's order: the one builder for CSV and XLSX. */
export function applicationRows({ round, rows, references, areaNames }: ApplicationsCsvInput): CsvValue[][] {
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  return rows.map((r) => {
    const a = r.application;
    const o = r.organisation;
    return [
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
    ];
  });
}

/** The export's name: the round's prefix and today's London date. */
function exportName(input: ApplicationsCsvInput): string {
  return `${input.round.referencePrefix}-applications-${londonTimestamp(input.now).slice(0, 10)}`;
}

/** The file name and the text of the export. */
export function applicationsCsv(input: ApplicationsCsvInput): { filename: string; body: string } {
  // A byte-order mark, so spreadsheet programs read the file as UTF-8 (names have ’ and é).
  let body = '\uFEFF' + csvLine(CSV_HEADER);
  for (const row of applicationRows(input)) body += csvLine(row);
  return { filename: `${exportName(input)}.csv`, body };
}

/** The same rows as a table download (CSV or XLSX). */
export function applicationsTable(input: ApplicationsCsvInput): TableDownload {
  return { name: exportName(input), sheet: 'Applications', header: CSV_HEADER, rows: applicationRows(input) };
}
