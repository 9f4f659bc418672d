import { londonTimestamp } from '../../../platform/web/forms';
import { rowsOf, type TableDownload } from '../../../platform/web/table-export';
import type { PaymentRun } from '../entities/payment-run.entity';
import { runNumber } from '../payment-runs-csv';
import type { ReadyPaymentRow, RunPaymentRow } from '../payments.service';
import { PAYMENT_TAGS, WAITING_TEXT } from './payment-runs-views';

/**
 * Finance's tables as downloads, as their pages show them but every row: a run's payments
 * (`/finance/payment-runs/{id}/payments.csv`, `.xlsx`) and the approved payments not yet in a run
 * (`/finance/payment-runs/ready.csv`, `.xlsx`). Neither holds bank details beyond an account's
 * last four digits: the file for the finance system is the run's export.csv.
 */

export const RUN_PAYMENTS_HEADER = [
  'Payment reference',
  'Grant',
  'Organisation',
  'Amount (£)',
  'Account ending',
  'Result',
  'Paid on',
  'Bank’s reference',
  'Why it failed',
  'Run',
];

export function runPaymentsTable(run: PaymentRun, batches: AsyncIterable<RunPaymentRow[]>): TableDownload {
  const number = runNumber(run.number);
  return {
    name: `payment-run-${number}-payments`,
    sheet: `Payments ${number}`,
    header: RUN_PAYMENTS_HEADER,
    rows: rowsOf(batches, ({ payment: p, grant, accountEnding }) => [
      p.reference,
      grant?.reference ?? '',
      grant?.organisationName ?? '',
      Number(p.amountPence) / 100,
      accountEnding,
      PAYMENT_TAGS[p.status].text,
      p.paidOn ?? '',
      p.bankReference ?? '',
      p.failureReason ?? '',
      number,
    ]),
  };
}

export const READY_PAYMENTS_HEADER = ['Grant', 'Organisation', 'Round', 'Instalment', 'Amount (£)', 'Approved at (London time)', 'Next run'];

export function readyPaymentsTable(batches: AsyncIterable<ReadyPaymentRow[]>): TableDownload {
  return {
    name: 'payments-approved-not-in-a-run',
    sheet: 'Approved payments',
    header: READY_PAYMENTS_HEADER,
    rows: rowsOf(batches, (r) => [
      r.grant?.reference ?? '',
      r.grant?.organisationName ?? '',
      r.grant?.roundName ?? '',
      r.instalment.seq,
      Number(r.request.amountPence) / 100,
      r.request.decidedAt ? londonTimestamp(r.request.decidedAt) : '',
      r.waiting ? `Waits: ${WAITING_TEXT[r.waiting]}` : 'Goes into the next run',
    ]),
  };
}
