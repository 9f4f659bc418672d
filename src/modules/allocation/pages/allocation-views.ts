/**
 * View-models for the allocation pages: a round's runs with the form for a new one, and one run
 * with its pots, its totals by area, every application's outcome (a page at a time) and, when
 * asked, what changed from another run. Pure functions: the controller loads, these shape.
 */
import { formatPounds } from '@pcc/money';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import type { Award, Outcome, PotTotals } from '../allocation-plan';
import type { AllocationRun } from '../entities/allocation-run.entity';

export const OUTCOME_TAGS: Record<Outcome, { text: string; classes: string }> = {
  funded: { text: 'Funded', classes: 'govuk-tag--green' },
  partly_funded: { text: 'Part-funded', classes: 'govuk-tag--turquoise' },
  reserve: { text: 'Reserve', classes: 'govuk-tag--yellow' },
  not_funded: { text: 'Not funded', classes: 'govuk-tag--grey' },
};

export const POLICY_TEXT = { release: 'Released to the general pot', hold: 'Held in the ring-fence' } as const;

const threshold = (r: AllocationRun) => `${(r.thresholdHundredths / 100).toFixed(2)}%`;
const funded = (awards: Award[]) => awards.filter((a) => a.amountPence > 0).length;

export function runSummary(r: AllocationRun) {
  return {
    id: r.id,
    href: `/staff/allocation-runs/${r.id}`,
    createdAt: r.createdAt,
    threshold: threshold(r),
    policy: POLICY_TEXT[r.unspentRingFences],
    committed: formatPounds(r.committedPence),
    funded: funded(r.awards),
    reserve: r.awards.filter((a) => a.outcome === 'reserve').length,
  };
}

export function runsView(
  round: { id: string; name: string },
  page: { items: AllocationRun[]; total: number },
  at: { page: number; limit: number },
  ready: boolean,
  outstanding: number,
) {
  const state: ListState = { path: `/staff/rounds/${round.id}/allocation`, page: at.page, limit: at.limit };
  return {
    round,
    ready,
    outstanding,
    total: page.total,
    runs: page.items.map(runSummary),
    pagination: paginationFor(state, page.total),
  };
}

/** The radios for what happens to unspent ring-fenced money, "release" unless chosen otherwise. */
export function policyItems(values: Record<string, string>) {
  return (['release', 'hold'] as const).map((p) => ({ value: p, text: POLICY_TEXT[p], checked: (values.unspentRingFences || 'release') === p }));
}

function potRow(p: PotTotals) {
  return {
    name: p.id === 'general' ? 'General pot' : `Ring-fence: ${p.name}`,
    amount: formatPounds(p.amountPence),
    committed: formatPounds(p.committedPence),
    released: p.releasedPence ? formatPounds(p.releasedPence) : '',
    remaining: formatPounds(p.remainingPence),
  };
}

export interface AwardContext {
  organisations: Map<string, { name: string; area: string | null }>;
  areaNames: Map<string, string>;
  /** Assessors' "fund in part" amounts, shown beside the award as suggestions. */
  suggestions?: Map<string, number[]>;
}

export function runView(
  run: AllocationRun,
  round: { id: string; name: string },
  ctx: AwardContext,
  at: { page: number; limit: number },
  other?: AllocationRun,
) {
  const state: ListState = { path: `/staff/allocation-runs/${run.id}`, filters: { compare: other?.id }, page: at.page, limit: at.limit };
  const sources = new Map(run.ringFences.map((f) => [f.id, `Ring-fence: ${f.name}`]));
  const sourceName = (s: string | null) => (s === null ? '' : s === 'general' ? 'General pot' : (sources.get(s) ?? s));
  const byArea = new Map<string, { count: number; pence: number }>();
  for (const a of run.awards) {
    if (a.amountPence === 0) continue;
    const area = ctx.organisations.get(a.applicationId)?.area ?? '';
    const t = byArea.get(area) ?? { count: 0, pence: 0 };
    t.count++;
    t.pence += a.amountPence;
    byArea.set(area, t);
  }
  const before = other ? new Map(other.awards.map((a) => [a.applicationId, a])) : null;
  return {
    run: runSummary(run),
    round,
    pots: [potRow(run.generalPot), ...run.ringFences.map(potRow)],
    budget: formatPounds(run.budgetPence),
    areas: [...byArea]
      .map(([code, t]) => ({ name: ctx.areaNames.get(code) ?? (code || 'Not given'), count: t.count, amount: formatPounds(t.pence) }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    total: run.awards.length,
    awards: run.awards.slice((at.page - 1) * at.limit, at.page * at.limit).map((a) => ({
      reference: a.reference,
      href: `/staff/applications/${a.applicationId}/assessments`,
      organisation: ctx.organisations.get(a.applicationId)?.name ?? '',
      tag: OUTCOME_TAGS[a.outcome],
      amount: a.amountPence ? formatPounds(a.amountPence) : '',
      source: sourceName(a.source),
      reason: a.reason,
      suggestions: (ctx.suggestions?.get(a.applicationId) ?? []).map((p) => formatPounds(p)),
    })),
    adjustments: run.adjustments.map((a) => ({ reference: a.reference, amount: formatPounds(a.amountPence), reason: a.reason })),
    basedOnRunId: run.basedOnRunId,
    decisionId: run.decisionId,
    // What a partial award can be set on: applications the run funds, in rank order.
    adjustable: run.awards
      .filter((a) => a.amountPence > 0)
      .map((a) => ({ value: a.applicationId, text: `${a.reference}: ${ctx.organisations.get(a.applicationId)?.name ?? ''} (${formatPounds(a.amountPence)})` })),
    pagination: paginationFor(state, run.awards.length),
    compare: other
      ? {
          run: runSummary(other),
          changes: run.awards
            .filter((a) => {
              const b = before!.get(a.applicationId);
              return !b || b.outcome !== a.outcome || b.amountPence !== a.amountPence || b.source !== a.source;
            })
            .map((a) => {
              const b = before!.get(a.applicationId);
              const text = (x: Award | undefined) =>
                x ? `${OUTCOME_TAGS[x.outcome].text}${x.amountPence ? `, ${formatPounds(x.amountPence)}` : ''}` : 'Not in that run';
              return { reference: a.reference, there: text(b), here: text(a) };
            }),
        }
      : null,
  };
}
