import { formatPounds } from '@pcc/money';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import type { Instalment } from '../entities/instalment.entity';
import type { PaymentRequest } from '../entities/payment-request.entity';

type Summaries = Map<string, { reference: string | null; organisationName: string; roundName: string; grantId: string }>;

const REQUEST_TAGS: Record<string, { text: string; classes: string }> = {
  pending: { text: 'Waiting for approval', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
};

/** Finance's queue of instalments due and not yet requested. */
export function dueView(result: { items: Instalment[]; total: number }, grants: Summaries, at: { page: number; limit: number }) {
  const state: ListState = { path: '/finance/payments', page: at.page, limit: at.limit };
  return {
    total: result.total,
    rows: result.items.map((i) => {
      const g = grants.get(i.grantId);
      return {
        id: i.id,
        reference: g?.reference ?? '',
        organisation: g?.organisationName ?? '',
        round: g?.roundName ?? '',
        grantHref: `/grants/${i.grantId}`,
        amount: formatPounds(Number(i.amountPence)),
        dueOn: i.dueOn,
        what: i.trigger === 'acceptance' ? 'On acceptance' : `On the ${i.reportMonths}-month report`,
      };
    }),
    pagination: paginationFor(state, result.total),
  };
}

/** Payment requests, for finance: each with who asked, the approvals it has and needs. */
export function requestsView(
  result: { items: PaymentRequest[]; total: number },
  grants: Summaries,
  q: { status?: string; page: number; limit: number },
  me: { id: string; canApprove: boolean },
  names: Map<string, string>,
) {
  const state: ListState = { path: '/finance/payment-requests', filters: { status: q.status }, page: q.page, limit: q.limit };
  return {
    total: result.total,
    status: q.status ?? '',
    statusItems: [
      { value: '', text: 'Any state', selected: !q.status },
      ...Object.entries(REQUEST_TAGS).map(([value, t]) => ({ value, text: t.text, selected: q.status === value })),
    ],
    rows: result.items.map((r) => requestRow(r, grants, me, names)),
    pagination: paginationFor(state, result.total),
  };
}

export function requestRow(r: PaymentRequest, grants: Summaries, me: { id: string; canApprove: boolean }, names: Map<string, string>) {
  const g = r.instalment ? grants.get(r.instalment.grantId) : undefined;
  const approvals = r.approvals ?? [];
  return {
    id: r.id,
    href: `/finance/payment-requests/${r.id}`,
    reference: g?.reference ?? '',
    organisation: g?.organisationName ?? '',
    round: g?.roundName ?? '',
    amount: formatPounds(Number(r.amountPence)),
    tag: REQUEST_TAGS[r.status],
    requestedBy: names.get(r.requestedBy) ?? 'A former member of staff',
    requestedAt: r.requestedAt,
    approvals: `${approvals.length} of ${r.approvalsNeeded}`,
    approvers: approvals.map((a) => names.get(a.approverId) ?? 'A former member of staff'),
    rejectionReason: r.rejectionReason,
    // Approving is for an approver who did not raise it and has not approved it yet.
    canDecide: me.canApprove && r.status === 'pending' && r.requestedBy !== me.id && !approvals.some((a) => a.approverId === me.id),
    ownRequest: r.requestedBy === me.id,
  };
}
