import { formatPounds } from '@pcc/money';
import { Permission, type Principal } from '../../../platform/access';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import { DECISION_STATUSES, type DecisionStatus, type PccDecision, decisionNumber } from '../entities/pcc-decision.entity';

export const DECISION_STATUS_TAGS: Record<DecisionStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Waiting for the Commissioner', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  published: { text: 'Published', classes: 'govuk-tag--blue' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
};

const IMPLICATION_HEADINGS: [string, string][] = [
  ['legal', 'Legal implications'],
  ['equality', 'Equality implications'],
  ['humanRights', 'Human rights implications'],
  ['sustainability', 'Sustainability implications'],
  ['risk', 'Risk'],
];

const OUTCOME_TEXT: Record<string, string> = { funded: 'Funded', partly_funded: 'Part-funded', reserve: 'Reserve', not_funded: 'Not funded' };

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** Staff's list of decision records, newest first, filtered by state, a page at a time. */
export function recordsView(result: { items: PccDecision[]; total: number }, q: { status?: DecisionStatus; page: number; limit: number }, me: Principal) {
  const state: ListState = { path: '/staff/decisions', filters: { status: q.status }, page: q.page, limit: q.limit };
  return {
    total: result.total,
    status: q.status ?? '',
    statusItems: [
      { value: '', text: 'Any state', selected: !q.status },
      ...DECISION_STATUSES.map((s) => ({ value: s, text: DECISION_STATUS_TAGS[s].text, selected: q.status === s })),
    ],
    rows: result.items.map((d) => ({
      href: `/staff/decisions/${d.id}`,
      number: decisionNumber(d),
      title: d.title,
      tag: DECISION_STATUS_TAGS[d.status],
      confidential: d.confidential,
      grant: d.roundId !== null,
    })),
    pagination: paginationFor(state, result.total),
    canDraft: me.permissions.has(Permission.DecisionsDraft),
  };
}

/** One record in full for staff, with the actions this person may take in its state. */
export function recordView(d: PccDecision, me: Principal, delegatedRoundName?: string) {
  const can = (p: Permission) => me.permissions.has(p);
  const fin = d.financialImplications;
  return {
    d,
    number: decisionNumber(d),
    tag: DECISION_STATUS_TAGS[d.status],
    summary: paragraphs(d.summary),
    sections: [
      ['Background', d.background],
      ...IMPLICATION_HEADINGS.map(([k, h]) => [h, d.implications[k as keyof typeof d.implications] ?? '']),
      ['Options considered', d.optionsConsidered],
      ['Consultation', d.consultation],
      ['Reasons', d.reasons],
    ]
      .filter(([, text]) => text)
      .map(([heading, text]) => ({ heading, paragraphs: paragraphs(text) })),
    financial: fin
      ? {
          budget: formatPounds(fin.budgetPence),
          total: formatPounds(fin.totalPence),
          pots: fin.pots.map((p) => ({ name: p.name, amount: formatPounds(p.amountPence), awarded: formatPounds(p.awardedPence) })),
        }
      : null,
    awards: (d.awards ?? []).map((a) => ({
      reference: a.reference,
      organisation: a.organisationName,
      outcome: OUTCOME_TEXT[a.outcome] ?? a.outcome,
      amount: a.amountPence ? formatPounds(a.amountPence) : '',
      requested: formatPounds(a.requestedPence),
      pot: a.pot ?? '',
      reason: a.reason,
    })),
    declarations: (d.declarations ?? []).map((x) => ({
      who: x.assessorName,
      what: `${x.reference ?? 'An application'} (${x.organisationName})`,
      declared: x.conflict ? `Conflict of interest${x.reason ? `: ${x.reason}` : ''}; did not assess it` : 'No conflict of interest',
    })),
    delegation: d.delegatedRoundId
      ? {
          round: delegatedRoundName ?? '',
          budget: formatPounds(Number(d.delegatedBudgetPence)),
          limit: formatPounds(Number(d.delegatedAwardLimitPence)),
          awardsHref:
            (d.status === 'approved' || d.status === 'published') && can(Permission.AllocationsManage) ? `/staff/decisions/${d.id}/delegated-awards` : null,
        }
      : null,
    publicPapers: d.backgroundPapers.filter((p) => p.public).map((p) => p.title),
    restrictedPapers: d.backgroundPapers.filter((p) => !p.public).map((p) => p.title),
    actions: {
      edit: d.status === 'draft' && can(Permission.DecisionsDraft),
      submit: d.status === 'draft' && can(Permission.DecisionsDraft),
      withdraw: (d.status === 'draft' || d.status === 'submitted') && can(Permission.DecisionsDraft),
      decide: d.status === 'submitted' && can(Permission.DecisionsApprove) && d.draftedBy !== me.id,
      publish: d.status === 'approved' && can(Permission.DecisionsPublish),
    },
  };
}
