import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { digitsToNumber, MAX_PAGE, PageQueryDto } from '../../../platform/http/paging';
import { dayFromForm, type FormError, poundsFromForm, str } from '../../../platform/web/forms';
import { isSingleLine } from '../../../platform/validation/single-line';
import type { PaymentResultInput } from '../payments.service';

/**
 * The "record the bank's result" form for one payment: paid (the day, in a GOV.UK date input, and
 * the bank's reference) or failed (a reason). Gives the API's result line or the form's problems.
 */
export function paymentResultFromForm(body: Record<string, unknown>, paymentId: string): { value?: PaymentResultInput; errors: FormError[] } {
  const outcome = str(body.outcome);
  if (outcome === 'paid') {
    const { value: paidOn, errors } = dayFromForm(body, 'paidOn', 'the payment was made');
    const bankReference = str(body.bankReference).trim();
    if (!bankReference) errors.push({ field: 'bankReference', message: 'Enter the bank’s reference for the payment' });
    else if (bankReference.length > 100) errors.push({ field: 'bankReference', message: 'The bank’s reference must be 100 characters or fewer' });
    else if (!isSingleLine(bankReference)) errors.push({ field: 'bankReference', message: 'The bank’s reference must be on one line' });
    return errors.length ? { errors } : { value: { paymentId, outcome: 'paid', paidOn: paidOn!, bankReference }, errors };
  }
  if (outcome === 'failed') {
    const reason = str(body.reason).trim();
    if (!reason) return { errors: [{ field: 'reason', message: 'Say why the payment failed' }] };
    if (reason.length > 2000) return { errors: [{ field: 'reason', message: 'The reason must be 2,000 characters or fewer' }] };
    return { value: { paymentId, outcome: 'failed', reason }, errors: [] };
  }
  return { errors: [{ field: 'outcome', message: 'Select whether the payment was made or failed' }] };
}

/** A repayment's "received on" day from its form. */
export function receivedOnFromForm(body: Record<string, unknown>): { value?: string; errors: FormError[] } {
  return dayFromForm(body, 'receivedOn', 'the money arrived');
}

/** Money asked back from a grant: the amount in pounds and why. */
export function repaymentFromForm(body: Record<string, unknown>): { value?: { amountPence: number; reason: string }; errors: FormError[] } {
  const errors: FormError[] = [];
  const amount = poundsFromForm(body.amount, 'amount', 'how much must be paid back', errors);
  if (amount !== undefined && amount <= 0) errors.push({ field: 'amount', message: 'How much must be paid back must be more than £0' });
  const reason = str(body.reason).trim();
  if (!reason) errors.push({ field: 'reason', message: 'Say why the money must be paid back' });
  else if (reason.length > 2000) errors.push({ field: 'reason', message: 'The reason must be 2,000 characters or fewer' });
  return errors.length || amount === undefined ? { errors } : { value: { amountPence: Number(amount), reason }, errors };
}

/**
 * The runs page's address: `page` and `limit` page the runs, `readyPage` the approved payments
 * not yet in a run (50 a page), so each list keeps its place while the other is paged.
 */
export class PaymentRunsQueryDto extends PageQueryDto {
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'readyPage must be a whole number, given once' })
  @Min(1, { message: 'readyPage must be 1 or more' })
  @Max(MAX_PAGE, { message: `readyPage must be ${MAX_PAGE} or less` })
  readyPage: number = 1;
}
