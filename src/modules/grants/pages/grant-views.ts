import { formatPounds } from '@pcc/money';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import { str } from '../../../platform/web/forms';
import type { GrantView } from '../grants.service';
import type { PccDecision } from '../../decisions';
import type { RoundBudget } from '../../allocation';

export const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
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
    paymentSchedule: v.paymentSchedule,
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

/** A budget decision's delegated awards: what it allows, what is left, and the awards so far. */
export function delegatedAwardsView(
  result: { items: GrantView[]; total: number; usedPence: number; decision: PccDecision },
  at: { page: number; limit: number },
  roundName: string,
  number: string,
) {
  const d = result.decision;
  const budget = Number(d.delegatedBudgetPence ?? 0);
  const state: ListState = { path: `/staff/decisions/${d.id}/delegated-awards`, page: at.page, limit: at.limit };
  return {
    d,
    number,
    roundName,
    budget: formatPounds(budget),
    limit: formatPounds(Number(d.delegatedAwardLimitPence ?? 0)),
    used: formatPounds(result.usedPence),
    left: formatPounds(Math.max(budget - result.usedPence, 0)),
    open: (d.status === 'approved' || d.status === 'published') && d.delegatedRoundId !== null,
    total: result.total,
    rows: result.items.map((v) => ({
      href: `/grants/${v.grant.id}`,
      reference: v.application.reference,
      organisation: v.application.organisationName,
      amount: formatPounds(Number(v.grant.amountPence)),
      tag: STATUS_TAGS[v.grant.status],
      pot: v.grant.ringFence ?? 'General pot',
    })),
    pagination: paginationFor(state, result.total),
  };
}

/** A round's grants, its budget as committed, and the reserve list still without an offer. */
export function roundGrantsView(
  round: { id: string; name: string },
  result: {
    items: GrantView[];
    total: number;
    reserve: { applicationId: string; reference: string; position: number; reason: string }[];
    decision: PccDecision | null;
  },
  budget: RoundBudget,
  at: { page: number; limit: number },
  decisionNumber: string | null,
) {
  const state: ListState = { path: `/staff/rounds/${round.id}/grants`, page: at.page, limit: at.limit };
  return {
    round,
    decision: result.decision ? { id: result.decision.id, number: decisionNumber } : null,
    pots: [
      {
        name: 'Whole round',
        amount: formatPounds(budget.budgetPence),
        committed: formatPounds(budget.committedPence),
        available: formatPounds(budget.availablePence),
      },
      ...budget.ringFences.map((f) => ({
        name: f.name,
        amount: formatPounds(f.amountPence),
        committed: formatPounds(f.committedPence),
        available: formatPounds(f.availablePence),
      })),
    ],
    total: result.total,
    rows: result.items.map((v) => ({
      href: `/grants/${v.grant.id}`,
      reference: v.application.reference,
      organisation: v.application.organisationName,
      amount: formatPounds(Number(v.grant.amountPence)),
      tag: STATUS_TAGS[v.grant.status],
      pot: v.grant.ringFence ?? 'General pot',
      fromReserve: v.grant.fromReserve,
      until: v.grant.status === 'offered' ? v.grant.offerExpiresAt : null,
    })),
    reserve: result.reserve,
    downloads: { csvHref: `/staff/rounds/${round.id}/grants.csv`, xlsxHref: `/staff/rounds/${round.id}/grants.xlsx` },
    pagination: paginationFor(state, result.total),
  };
}
