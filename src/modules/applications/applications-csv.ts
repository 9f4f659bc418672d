/**
 * A round's applications as CSV or XLSX: one builder for the staff page
 * (`/staff/rounds/:id/applications.csv`, `.xlsx`) and the API (`/api/v1/rounds/:id/applications.csv`),
 * so both give the same columns, the same cells and the same protection against formulas.
 */
import type { CsvValue } from '../../platform/web/csv';
import { londonTimestamp } from '../../platform/web/forms';
import type { TableDownload } from '../../platform/web/table-export';
import type { FundingRound } from '../funds';
import type { Organisation } from '../identity';
import type { ApplicationExportBatch, ApplicationRow } from './applications.service';
import { APPLICATION_STATUS_TAGS } from './pages/status-tags';

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

export interface ApplicationsTableInput {
  round: FundingRound;
  areaNames: Map<string, string>;
  now: Date;
}

/**
 * One application's cells, in CSV_HEADER's order: the one builder for CSV and XLSX. `references`
 * names the applications it is flagged as a duplicate of (id → reference).
 */
export function applicationRow(
  r: ApplicationRow,
  references: Map<string, string | null>,
  round: Pick<FundingRound, 'categories'>,
  areaNames: Map<string, string>,
): CsvValue[] {
  const a = r.application;
  const o = r.organisation;
  const category = a.category ? (round.categories.find((c) => c.code === a.category)?.name ?? a.category) : '';
  return [
    a.reference ?? '',
    o.name,
    o.orgId,
    o.charityNumber ?? '',
    o.companyNumber ?? '',
    areaLabel(o, areaNames),
    category,
    // Pounds as a number: two decimals in CSV, a number in XLSX.
    a.amountRequestedPence !== null ? a.amountRequestedPence / 100 : null,
    APPLICATION_STATUS_TAGS[a.status].text,
    a.submittedAt ? londonTimestamp(a.submittedAt) : '',
    a.screeningReason ?? '',
    a.duplicateFlags.map((f) => `${references.get(f.applicationId) ?? `draft ${f.applicationId}`} (${f.reason})`).join('; '),
  ];
}

/** The export's name: the round's prefix and today's London date. */
export function applicationsExportName(round: Pick<FundingRound, 'referencePrefix'>, now: Date): string {
  return `${round.referencePrefix}-applications-${londonTimestamp(now).slice(0, 10)}`;
}

/** A round's applications as a table download (CSV or XLSX), row by row as the batches come from the database. */
export function applicationsTable(
  { round, areaNames, now }: ApplicationsTableInput,
  batches: AsyncIterable<ApplicationExportBatch> | Iterable<ApplicationExportBatch>,
): TableDownload {
  return {
    name: applicationsExportName(round, now),
    sheet: 'Applications',
    header: CSV_HEADER,
    rows: (async function* () {
      for await (const batch of batches) for (const r of batch.rows) yield applicationRow(r, batch.references, round, areaNames);
    })(),
  };
}
