import { formatPounds } from '@pcc/money';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import { str } from '../../../platform/web/forms';
import type { GrantView } from '../grants.service';
import { PAYMENT_SCHEDULE_SUMMARY } from '../grants.service';

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  offered: { text: 'Offered', classes: 'govuk-tag--blue' },
  accepted: { text: 'Accepted', classes: 'govuk-tag--green' },
  declined: { text: 'Declined', classes: 'govuk-tag--grey' },
  lapsed: { text: 'Lapsed', classes: 'govuk-tag--grey' },
};

/** The form's fields as the API's body: the declaration checkbox posts "yes". */
export function acceptBody(body: Record<string, unknown>): Record<string, unknown> {
  return { fullName: str(body.fullName), ...(str(body.declaration) === 'yes' ? { declaration: true } : {}) };
}

/** What the offer page shows: the grant, its terms and, for an owner while it is open, the forms to accept or decline. */
export function grantPageView(v: GrantView, values: Record<string, unknown>) {
  const g = v.grant;
  const requested = Number(v.application.amountRequestedPence ?? 0);
  const amount = Number(g.amountPence);
  return {
    v,
    g,
    tag: STATUS_TAGS[g.status],
    amountText: amount < requested ? `${formatPounds(amount)} (you asked for ${formatPounds(requested)})` : formatPounds(amount),
    conditions: g.conditions
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    paymentSchedule: PAYMENT_SCHEDULE_SUMMARY,
    values: { fullName: str(values.fullName), declaration: str(values.declaration), reason: str(values.reason) },
  };
}

/** The organisation's grants, for "Your grants". */
export function grantsListView(result: { items: GrantView[]; total: number }, at: { page: number; limit: number }) {
  const state: ListState = { path: '/grants', page: at.page, limit: at.limit };
  return {
    total: result.total,
    rows: result.items.map((v) => ({
      href: `/grants/${v.grant.id}`,
      reference: v.application.reference,
      organisation: v.application.organisationName,
      round: v.roundName,
      amount: formatPounds(Number(v.grant.amountPence)),
      tag: STATUS_TAGS[v.grant.status],
      respondBy: v.canRespond ? v.grant.offerExpiresAt : null,
    })),
    pagination: paginationFor(state, result.total),
  };
}
