import { formatPounds } from '@pcc/money';
import { DEFAULT_PAGE_SIZE, type ListState, paginationFor } from '../../../platform/http/paging';
import type { GrantSummary } from '../../grants';
import type { PaymentRun } from '../entities/payment-run.entity';
import type { Payment } from '../entities/payment.entity';
import { runNumber } from '../payment-runs-csv';
import type { TableDownload } from '../../../platform/web/table-export';
import type { LedgerLine, ReadyPage, ReadyPayment, RoundLedger } from '../payments.service';

export const PAYMENT_TAGS: Record<string, { text: string; classes: string }> = {
  in_run: { text: 'In the run', classes: 'govuk-tag--blue' },
  paid: { text: 'Paid', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
};

export const WAITING_TEXT: Record<NonNullable<ReadyPayment['waiting']>, string> = {
  on_hold: 'On hold: the organisation changed its bank details',
  no_bank_details: 'The organisation has not given bank details',
  unverified_bank_details: 'New bank details wait for verification',
};

type Grants = Map<string, GrantSummary>;

/** Where the runs page is: the page of runs and the page of approved payments, each kept when the other is paged. */
export interface RunsPageAt {
  page: number;
  limit: number;
  readyPage: number;
}

/**
 * Finance's runs page: the approved payments not yet in a run, a page at a time (those the next
 * run takes first, then those that wait and why), what the next run would take over all of them,
 * and the runs so far.
 */
export function runsView(ready: ReadyPage, grants: Grants, runs: { items: PaymentRun[]; total: number }, at: RunsPageAt) {
  const path = '/finance/payment-runs';
  const runsState: ListState = { path, filters: { readyPage: at.readyPage > 1 ? String(at.readyPage) : undefined }, page: at.page, limit: at.limit };
  const readyState: ListState = {
    path,
    filters: { page: at.page > 1 ? String(at.page) : undefined, limit: at.limit !== DEFAULT_PAGE_SIZE ? String(at.limit) : undefined },
    page: at.readyPage,
    pageParam: 'readyPage',
  };
  return {
    approved: ready.items.map((r) => {
      const g = grants.get(r.instalment.grantId);
      return {
        reference: g?.reference ?? '',
        organisation: g?.organisationName ?? '',
        requestHref: `/finance/payment-requests/${r.request.id}`,
        amount: formatPounds(Number(r.request.amountPence)),
        waiting: r.waiting ? WAITING_TEXT[r.waiting] : null,
        bankHref: `/finance/organisations/${r.instalment.organisationId}/bank-details`,
      };
    }),
    approvedTotal: ready.total,
    approvedPagination: paginationFor(readyState, ready.total),
    readyCount: ready.readyCount,
    readyTotal: formatPounds(ready.readyPence),
    waitingCount: ready.waitingCount,
    downloads: { csvHref: `${path}/ready.csv`, xlsxHref: `${path}/ready.xlsx` },
    runsTotal: runs.total,
    runs: runs.items.map((r) => ({
      number: runNumber(r.number),
      href: `/finance/payment-runs/${r.id}`,
      createdAt: r.createdAt,
      payments: r.paymentCount,
      total: formatPounds(Number(r.totalPence)),
      exportedAt: r.exportedAt,
    })),
    pagination: paginationFor(runsState, runs.total),
  };
}

/** One run: its payments, each with its account's last digits and where it has got to. */
export function runView(run: PaymentRun & { payments: Payment[] }, grants: Grants, endings: Map<string, string>, canRecord: boolean) {
  const outstanding = run.payments.filter((p) => p.status === 'in_run').length;
  return {
    id: run.id,
    number: runNumber(run.number),
    createdAt: run.createdAt,
    exportedAt: run.exportedAt,
    total: formatPounds(Number(run.totalPence)),
    count: run.paymentCount,
    outstanding,
    canRecord,
    downloads: { csvHref: `/finance/payment-runs/${run.id}/payments.csv`, xlsxHref: `/finance/payment-runs/${run.id}/payments.xlsx` },
    payments: run.payments.map((p) => {
      const g = grants.get(p.grantId);
      return {
        id: p.id,
        reference: p.reference,
        organisation: g?.organisationName ?? '',
        grantReference: g?.reference ?? '',
        amount: formatPounds(Number(p.amountPence)),
        ending: endings.get(p.bankDetailsId) ?? '',
        tag: PAYMENT_TAGS[p.status],
        paidOn: p.paidOn,
        bankReference: p.bankReference,
        failureReason: p.failureReason,
        recordHref: p.status === 'in_run' && canRecord ? `/finance/payments/${p.id}/result` : null,
      };
    }),
  };
}

function line(l: LedgerLine) {
  return {
    budget: formatPounds(l.budgetPence),
    committed: formatPounds(l.committedPence),
    paid: formatPounds(l.paidPence),
    repaid: formatPounds(l.repaidPence),
    outstanding: formatPounds(l.outstandingPence),
    available: formatPounds(l.availablePence),
    overCommitted: l.availablePence < 0,
  };
}

/** A round's ledger in pounds: the round, the general pot, each ring-fence, and each financial year. */
export function ledgerView(ledger: RoundLedger, roundName: string) {
  return {
    roundId: ledger.roundId,
    roundName,
    pots: [
      { name: 'Whole round', ...line(ledger.round), total: true },
      ...(ledger.ringFences.length ? [{ name: 'General pot', ...line(ledger.generalPot), total: false }] : []),
      ...ledger.ringFences.map((f) => ({ name: `Ring-fence: ${f.name}`, ...line(f), total: false })),
    ],
    years: ledger.financialYears.map((y) => ({
      year: y.year.replace('-', '–'),
      committed: formatPounds(y.committedPence),
      paid: formatPounds(y.paidPence),
      repaid: formatPounds(y.repaidPence),
    })),
  };
}

/** A round's ledger as a download: a line per pot, then a line per financial year, amounts in pounds (numbers in XLSX). */
export function ledgerTable(ledger: RoundLedger, round: { name: string; referencePrefix: string }): TableDownload {
  const pounds = (pence: number) => Math.round(pence) / 100;
  const pot = (name: string, l: LedgerLine) => [
    name,
    '',
    pounds(l.budgetPence),
    pounds(l.committedPence),
    pounds(l.paidPence),
    pounds(l.repaidPence),
    pounds(l.outstandingPence),
    pounds(l.availablePence),
  ];
  const rows = [
    pot(`Whole round: ${round.name}`, ledger.round),
    ...(ledger.ringFences.length ? [pot('General pot', ledger.generalPot)] : []),
    ...ledger.ringFences.map((f) => pot(`Ring-fence: ${f.name}`, f)),
    ...ledger.financialYears.map((y) => ['', y.year, null, pounds(y.committedPence), pounds(y.paidPence), pounds(y.repaidPence), null, null]),
  ];
  return {
    name: `${round.referencePrefix}-ledger`,
    sheet: 'Ledger',
    header: ['Pot', 'Financial year', 'Budget (£)', 'Committed (£)', 'Paid (£)', 'Paid back (£)', 'Outstanding (£)', 'Available (£)'],
    rows,
  };
}
