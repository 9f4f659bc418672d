/**
 * A payment run as the finance system imports it: one line per unpaid payment, columns in this
 * order (documented in the README, "Payment run export"). Cells go through the one CSV writer, so
 * a payee called "=HYPERLINK(…)" arrives as text, never as a formula.
 */
import { csvLine } from '../../platform/web/csv';

export const PAYMENT_RUN_CSV_HEADER = [
  'Payee',
  'Sort code',
  'Account number',
  'Amount (£)',
  'Payment reference',
  'Grant',
  'Cost centre',
  'Run',
  'Payment ID',
] as const;

export interface PaymentRunLine {
  payee: string;
  /** Six digits. */
  sortCode: string;
  /** Eight digits. */
  accountNumber: string;
  amountPence: number;
  reference: string;
  grant: string;
  costCentre: string | null;
  run: string;
  paymentId: string;
}

/** "12-34-56", as bank forms and finance systems show a sort code. */
export function formatSortCode(digits: string): string {
  return digits.replace(/^(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3');
}

/** Pounds with two decimals and no separators ("1250.00"): what finance systems import. */
export function poundsForImport(pence: number): string {
  return `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

export function paymentRunCsv(lines: PaymentRunLine[]): string {
  let body = '\uFEFF' + csvLine([...PAYMENT_RUN_CSV_HEADER]);
  for (const l of lines)
    body += csvLine([
      l.payee,
      formatSortCode(l.sortCode),
      l.accountNumber,
      poundsForImport(l.amountPence),
      l.reference,
      l.grant,
      l.costCentre,
      l.run,
      l.paymentId,
    ]);
  return body;
}

/** "PR-0007": a run's number as people and the finance system say it. */
export function runNumber(n: number): string {
  return `PR-${String(n).padStart(4, '0')}`;
}
