import { formatLondonDateTime } from '@pcc/london-time';
import { formatPounds } from '@pcc/money';
import { type ListState, listHref, paginationFor, sortHeaders } from '../../../platform/http/paging';
import { penceForInput, str } from '../../../platform/web/forms';
import type { PccDecision } from '../../decisions';
import type { VariationsQueryDto } from '../dto/variations.dto';
import { type GrantVariation, VARIATION_STATUSES, type VariationStatus } from '../entities/grant-variation.entity';
import type { StaffVariationView, VariationGrant } from '../grant-variations.service';
import { formatDay } from '../monitoring-reports.service';

export const VARIATION_STATUS_TAGS: Record<VariationStatus, { text: string; classes: string }> = {
  proposed: { text: 'Waiting for a decision', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
  rejected: { text: 'Not approved', classes: 'govuk-tag--red' },
};

/** What a variation changes, one line each: "Grant: £1,000 to £1,400". */
export function changeLines(v: GrantVariation): string[] {
  const before = Number(v.amountBeforePence);
  return [
    ...(v.newAmountPence !== null ? [`Grant: ${formatPounds(before)} to ${formatPounds(Number(v.newAmountPence))}`] : []),
    ...(v.newEndsOn !== null ? [`Ends on ${formatDay(v.newEndsOn)}`] : []),
    ...(v.newPurpose !== null ? [`Purpose: ${v.newPurpose}`] : []),
  ];
}

/** The variations on the grant's page, in number order, and whether the person may ask for one. */
export function grantVariationsView(grantId: string, variations: GrantVariation[], canPropose: boolean) {
  return {
    canPropose,
    proposeHref: `/grants/${grantId}/variations/new`,
    rows: variations.map((v) => ({
      number: v.number,
      changes: changeLines(v),
      reason: v.reason,
      proposedAt: formatLondonDateTime(v.proposedAt),
      tag: VARIATION_STATUS_TAGS[v.status],
      comments: v.decisionComments,
    })),
  };
}

/** The grant as it stands, above the form and on the review page. */
function grantRows(g: VariationGrant) {
  return [
    { key: { text: 'Application' }, value: { text: g.application.reference ?? '' } },
    { key: { text: 'Grant' }, value: { text: formatPounds(Number(g.grant.amountPence)) } },
    { key: { text: 'Grant period' }, value: { text: `${formatDay(g.startsOn)} to ${formatDay(g.endsOn)}` } },
    ...(g.grant.purpose ? [{ key: { text: 'Purpose' }, value: { text: g.grant.purpose, classes: 'app-multiline' } }] : []),
  ];
}

/** The "ask to change this grant" form. */
export function proposePageView(g: VariationGrant, values: Record<string, string> = {}) {
  return {
    grantId: g.grant.id,
    heading: 'Ask to change this grant',
    caption: `${g.application.organisationName} – ${g.roundName}`,
    grantRows: grantRows(g),
    values: {
      newAmount: values.newAmount ?? '',
      'newEndsOn-day': values['newEndsOn-day'] ?? '',
      'newEndsOn-month': values['newEndsOn-month'] ?? '',
      'newEndsOn-year': values['newEndsOn-year'] ?? '',
      newPurpose: values.newPurpose ?? '',
      reason: values.reason ?? '',
    },
    currentAmount: penceForInput(g.grant.amountPence),
  };
}

/** The fund manager's review page: the grant, the change asked for, and while proposed, approve (citing a decision when needed) or reject. */
export function reviewVariationView(
  r: VariationGrant & { variation: GrantVariation; decision: PccDecision | null },
  o: {
    thresholdPence: number;
    decisions: PccDecision[];
    numberOf: (d: PccDecision) => string;
    /** The fund manager looking: one who proposed it cannot decide it. */
    meId: string;
    values?: Record<string, unknown>;
    returnTo?: string;
  },
) {
  const v = r.variation;
  const increase = v.newAmountPence === null ? 0 : Number(v.newAmountPence) - Number(r.grant.amountPence);
  const values = o.values ?? {};
  return {
    variationId: v.id,
    heading: `Variation ${v.number}: ${r.application.reference ?? ''}`,
    caption: `${r.application.organisationName} – ${r.roundName}`,
    tag: VARIATION_STATUS_TAGS[v.status],
    grantRows: grantRows(r),
    grantHref: `/grants/${r.grant.id}`,
    changes: changeLines(v),
    reason: v.reason,
    proposedAt: formatLondonDateTime(v.proposedAt),
    canDecide: v.status === 'proposed' && v.proposedBy !== o.meId,
    ownProposal: v.status === 'proposed' && v.proposedBy === o.meId,
    status: v.status,
    decidedAt: v.decidedAt,
    comments: v.decisionComments,
    decisionNumber: r.decision ? o.numberOf(r.decision) : null,
    needsDecision: increase > o.thresholdPence,
    threshold: formatPounds(o.thresholdPence),
    decisionItems: [
      { value: '', text: increase > o.thresholdPence ? 'Choose a decision' : 'None needed' },
      ...o.decisions.map((d) => ({ value: d.id, text: `${o.numberOf(d)}: ${d.title}` })),
    ].map((i) => ({ ...i, selected: i.value === str(values.decisionId) })),
    values: { comments: str(values.comments), rejectComments: str(values.rejectComments) },
    returnTo: o.returnTo ?? '/staff/variations',
  };
}

export function staffVariationsState(q: Partial<VariationsQueryDto>): ListState {
  return { path: '/staff/variations', filters: { status: q.status }, q: q.q, sort: q.sort, defaultSort: 'proposed', page: q.page, limit: q.limit };
}

export function variationStatusItems(status?: string) {
  return [{ value: '', text: 'Any' }, ...VARIATION_STATUSES.map((s) => ({ value: s, text: VARIATION_STATUS_TAGS[s].text }))].map((i) => ({
    ...i,
    selected: i.value === (status ?? ''),
  }));
}

/** Every grant's variations for fund managers, with the filters and sort kept in the address. */
export function staffVariationsView(result: { items: StaffVariationView[]; total: number }, q: VariationsQueryDto, waiting: number) {
  const state = staffVariationsState(q);
  const back = listHref(state);
  return {
    q: q.q ?? '',
    total: result.total,
    waiting,
    statusItems: variationStatusItems(q.status),
    sortBy: Object.fromEntries(sortHeaders(state, [{ key: 'proposed', label: 'Proposed' }]).map((h) => [h.key, h])),
    rows: result.items.map((s) => ({
      href: `/staff/variations/${s.variation.id}?returnTo=${encodeURIComponent(back)}`,
      name: `Variation ${s.variation.number}`,
      reference: s.reference ?? 'No reference',
      organisation: s.organisationName,
      round: s.roundName,
      proposed: formatLondonDateTime(s.variation.proposedAt),
      changes: changeLines(s.variation),
      tag: VARIATION_STATUS_TAGS[s.variation.status],
    })),
    pagination: paginationFor(state, result.total),
    listHref: back,
  };
}
