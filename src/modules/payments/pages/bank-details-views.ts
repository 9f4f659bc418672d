import { formatPounds } from '@pcc/money';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import { type FormError, londonDateTimeFromForm, str } from '../../../platform/web/forms';
import { VERIFICATION_METHODS, type VerificationMethod } from '../entities/bank-details.entity';
import { formatSortCode } from '../payment-runs-csv';
import type { BankDetailsView, BankVerificationInput } from '../payments.service';

export const VERIFICATION_METHOD_NAMES: Record<VerificationMethod, string> = {
  call_back_known_number: 'Called back on a phone number we already held',
  letter_to_known_address: 'Wrote to an address we already held',
  in_person: 'In person, with identification',
  other: 'Another way (say how in the notes)',
};

/** Bank details for a page: masked unless they were revealed, with who changed and verified them. */
export function bankDetailsView(d: BankDetailsView, names: Map<string, string>) {
  return {
    accountName: d.accountName,
    sortCode: d.sortCode ? formatSortCode(d.sortCode) : '••-••-••',
    accountNumber: d.accountNumber ?? `••••${d.accountEnding}`,
    revealed: !!d.accountNumber,
    ending: d.accountEnding,
    verified: d.status === 'verified',
    tag: d.status === 'verified' ? { text: 'Verified', classes: 'govuk-tag--green' } : { text: 'Waiting for verification', classes: 'govuk-tag--yellow' },
    changedAt: d.changedAt,
    changedBy: names.get(d.changedBy) ?? null,
    verifiedAt: d.verifiedAt,
    verifiedBy: d.verifiedBy ? (names.get(d.verifiedBy) ?? 'A member of finance') : null,
    method: d.verificationMethod ? VERIFICATION_METHOD_NAMES[d.verificationMethod] : null,
    verifiedWith: d.verifiedWith,
    sameAccountAs: d.sameAccountAs.map((o) => ({ name: o.organisationName, href: `/finance/organisations/${o.organisationId}/bank-details` })),
  };
}

export function bankHoldsView(
  result: { items: (BankDetailsView & { organisationName: string; heldPence: number; heldCount: number })[]; total: number },
  at: { page: number; limit: number },
) {
  const state: ListState = { path: '/finance/bank-details', page: at.page, limit: at.limit };
  return {
    total: result.total,
    rows: result.items.map((d) => ({
      organisation: d.organisationName,
      href: `/finance/organisations/${d.organisationId}/bank-details`,
      ending: d.accountEnding,
      changedAt: d.changedAt,
      held: d.heldCount ? `${d.heldCount} instalment${d.heldCount === 1 ? '' : 's'}, ${formatPounds(d.heldPence)}` : 'Nothing held',
      duplicate: d.sameAccountAs.length > 0,
    })),
    pagination: paginationFor(state, result.total),
  };
}

/** The verification form: how, with whom and when the change was confirmed. */
export function verificationFromForm(body: Record<string, unknown>): { value?: BankVerificationInput; errors: FormError[] } {
  const errors: FormError[] = [];
  const method = str(body.method) as VerificationMethod;
  if (!VERIFICATION_METHODS.includes(method)) errors.push({ field: 'method', message: 'Select how you confirmed the new details' });
  const verifiedWith = str(body.verifiedWith).trim();
  if (!verifiedWith) errors.push({ field: 'verifiedWith', message: 'Enter who confirmed the details and how you reached them' });
  else if (verifiedWith.length > 300) errors.push({ field: 'verifiedWith', message: 'Who confirmed the details must be 300 characters or fewer' });
  const notes = str(body.notes).trim();
  if (notes.length > 2000) errors.push({ field: 'notes', message: 'Notes must be 2,000 characters or fewer' });
  const when = londonDateTimeFromForm(body, 'verifiedAt', 'you confirmed the details');
  errors.push(...when.errors);
  if (errors.length || !when.value) return { errors };
  return { value: { method, verifiedWith, verifiedAt: when.value, notes: notes || undefined }, errors };
}
