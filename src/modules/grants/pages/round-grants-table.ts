import { londonTimestamp } from '../../../platform/web/forms';
import { rowsOf, type TableDownload } from '../../../platform/web/table-export';
import type { RoundGrantRow } from '../grants.service';
import { STATUS_TAGS } from './grant-views';

/**
 * A round's grants as a download (`/staff/rounds/{id}/grants.csv`, `.xlsx`): the page's offers
 * table, newest offer first, with every grant rather than a page, and what the page shows beside
 * each (where it is paid from, whether it came from the reserve list, how long the offer is open).
 */
export const ROUND_GRANTS_HEADER = [
  'Reference',
  'Organisation',
  'Amount requested (£)',
  'Grant (£)',
  'Paid from',
  'From the reserve list',
  'State',
  'Offered at (London time)',
  'Offer open until (London time)',
  'Answered at (London time)',
  'PCC decision',
];

export function roundGrantCells(r: RoundGrantRow): (string | number | null)[] {
  const g = r.grant;
  return [
    r.application.reference ?? '',
    r.application.organisationName,
    r.application.amountRequestedPence !== null ? r.application.amountRequestedPence / 100 : null,
    Number(g.amountPence) / 100,
    g.ringFence ?? 'General pot',
    g.fromReserve ? 'Yes' : 'No',
    STATUS_TAGS[g.status].text,
    londonTimestamp(g.offeredAt),
    londonTimestamp(g.offerExpiresAt),
    g.respondedAt ? londonTimestamp(g.respondedAt) : '',
    r.decisionNumber,
  ];
}

export function roundGrantsTable(round: { referencePrefix: string }, batches: AsyncIterable<RoundGrantRow[]>): TableDownload {
  return { name: `${round.referencePrefix}-grants`, sheet: 'Grants', header: ROUND_GRANTS_HEADER, rows: rowsOf(batches, roundGrantCells) };
}
