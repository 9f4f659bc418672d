/**
 * View-models for assessment's pages: an assessor's list and one assessment (declaration,
 * application and scoring form), and for fund managers a round's ranking and one application's
 * assessments with moderation. Pure functions: the controllers load, these shape. No HTML here.
 */
import { formatPounds } from '@pcc/money';
import type { StaffAccount } from '../../identity';
import { type ListState, listHref, paginationFor, sortHeaders } from '../../../platform/http/paging';
import type { FormError } from '../../../platform/web/forms';
import { aboutFile, answerSections } from '../../applications';
import type { FundingRound } from '../../funds';
import type { ApplicationAssessments, AssessmentView, DeclarationRow, QueueItem, Ranking, RoundProgress } from '../assessment.service';
import type { AssessmentQueueQueryDto } from '../dto/assessment.dto';
import { ASSESSMENT_STATUSES, type AssessmentStatus, type Recommendation } from '../entities/assessment.entity';
import { type Calibration, type Fraction, formatHundredths, formatPercent, mean } from '../scoring';
import type { ScoringCriterion, ScoresFormValues } from './scores-form';

/** An assessment's status as a GOV.UK tag, the same words on every page. */
export const ASSESSMENT_STATUS_TAGS: Record<AssessmentStatus, { text: string; classes: string }> = {
  awaiting_declaration: { text: 'Declare interests', classes: 'govuk-tag--yellow' },
  in_progress: { text: 'In progress', classes: 'govuk-tag--light-blue' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--green' },
  conflicted: { text: 'Conflict declared', classes: 'govuk-tag--grey' },
};

export const RECOMMENDATION_NAMES: Record<Recommendation, string> = {
  fund: 'Fund',
  fund_in_part: 'Fund in part',
  do_not_fund: 'Do not fund',
};

const percentText = (f: Fraction | null) => (f ? `${formatPercent(f)}%` : 'Not scored');

// ---- the assessor's list ------------------------------------------------------------------------

export function queueState(q: Partial<AssessmentQueueQueryDto>): ListState {
  return { path: '/staff/assessments', filters: { status: q.status }, q: q.q, sort: q.sort, defaultSort: '-assigned', page: q.page, limit: q.limit };
}

export function queueFilterItems(status: string | undefined) {
  return [{ value: '', text: 'Any' }, ...ASSESSMENT_STATUSES.map((s) => ({ value: s, text: ASSESSMENT_STATUS_TAGS[s].text }))].map((i) => ({
    ...i,
    selected: i.value === (status ?? ''),
  }));
}

/** The counts above the list: what is waiting for me. */
export function countsView(counts: Record<AssessmentStatus, number>) {
  return ASSESSMENT_STATUSES.map((s) => ({ status: s, text: ASSESSMENT_STATUS_TAGS[s].text, n: counts[s], href: `/staff/assessments?status=${s}` }));
}

export function queueView(page: { items: QueueItem[]; total: number }, q: AssessmentQueueQueryDto, counts: Record<AssessmentStatus, number>) {
  const state = queueState(q);
  return {
    q: q.q ?? '',
    total: page.total,
    counts: countsView(counts),
    statusItems: queueFilterItems(q.status),
    // Keyed by column: the organisation and the due date are shown but not sortable.
    sortBy: Object.fromEntries(
      sortHeaders(state, [
        { key: 'reference', label: 'Reference' },
        { key: 'status', label: 'Status' },
        { key: 'assigned', label: 'Assigned', firstDirection: 'desc' },
      ]).map((h) => [h.key, h]),
    ),
    rows: page.items.map(({ assessment: a, application, dueAt }) => ({
      href: `/staff/assessments/${a.id}`,
      reference: application.reference ?? 'No reference',
      organisationName: application.organisationName,
      // As everywhere: nothing of the application but who and which until "no conflict" is declared.
      amount:
        (a.status === 'in_progress' || a.status === 'submitted') && application.amountRequestedPence !== null
          ? formatPounds(application.amountRequestedPence)
          : a.status === 'awaiting_declaration'
            ? 'Shown once you declare'
            : '',
      status: ASSESSMENT_STATUS_TAGS[a.status],
      dueAt,
      assignedAt: a.createdAt,
    })),
    pagination: paginationFor(state, page.total),
    listHref: listHref(state),
  };
}

// ---- one assessment -----------------------------------------------------------------------------

export function scoringCriteria(round: FundingRound): ScoringCriterion[] {
  return (round.criteria ?? []).map((c) => ({ id: c.id, name: c.name, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax, position: c.position }));
}

export interface AssessmentPageForms {
  values?: Record<string, string | string[]>;
  errors?: FormError[];
}

export function assessmentView(v: AssessmentView, forms: AssessmentPageForms & { saved?: string }, scoresValues: ScoresFormValues) {
  const a = v.assessment;
  const id = a.id;
  const round = v.round;
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  const scores = new Map(v.scores.map((s) => [s.criterionId, s]));
  const values = { ...scoresValues, ...(forms.values ?? {}) };
  return {
    id,
    title: `${v.application.reference ?? 'Application'}: ${v.application.organisationName}`,
    round: { id: round.id, name: round.name },
    status: a.status,
    tag: ASSESSMENT_STATUS_TAGS[a.status],
    dueAt: round.scoringClosesAt,
    saved: forms.saved,
    conflictReason: a.conflictReason,
    declaredAt: a.declaredAt,
    submittedAt: a.submittedAt,
    amount: v.content && v.application.amountRequestedPence !== null ? formatPounds(v.application.amountRequestedPence) : null,
    category: v.content && v.application.category ? (categoryNames.get(v.application.category) ?? v.application.category) : null,
    sections: v.content
      ? answerSections(round.form, v.content.answers, {
          attachments: v.content.attachments,
          fileHref: (f) => `/staff/assessments/${id}/attachments/${f.id}`,
          categoryNames,
        })
      : [],
    files: (v.content?.attachments ?? []).map((f) => ({ href: `/staff/assessments/${id}/attachments/${f.id}`, filename: f.filename, about: aboutFile(f) })),
    criteria: scoringCriteria(round).map((c, i) => {
      const guidance = round.criteria?.[i]?.guidance ?? '';
      const saved = scores.get(c.id);
      return {
        ...c,
        guidance,
        scoreField: `score-${c.id}`,
        commentField: `comment-${c.id}`,
        score: values[`score-${c.id}`] ?? '',
        comment: values[`comment-${c.id}`] ?? '',
        savedScore: saved ? String(saved.score) : null,
        savedComment: saved?.comment ?? '',
      };
    }),
    recommendationItems: (['fund', 'fund_in_part', 'do_not_fund'] as const).map((r) => ({
      value: r,
      text: RECOMMENDATION_NAMES[r],
      checked: values.recommendation === r,
    })),
    values,
    recommendation: a.recommendation ? RECOMMENDATION_NAMES[a.recommendation] : null,
    recommendedAmount: a.recommendedAmountPence !== null ? formatPounds(a.recommendedAmountPence) : null,
    comment: a.comment,
    percent: v.percent ? `${formatPercent(v.percent)}%` : null,
  };
}

// ---- fund managers: the ranking -----------------------------------------------------------------

const TIE_BREAKS = {
  top_criterion: 'Tie broken on the highest-weighted criterion',
  submitted_at: 'Tie broken on the earlier submission',
  reference: 'Tie broken on the reference',
} as const;

/** "+3.25" or "−1.50" percentage points: how far an assessor's mean is from the panel's. */
function signedPoints(f: Fraction): string {
  const text = formatPercent(f.abs())!;
  return f.compare(0) < 0 ? `−${text}` : f.compare(0) > 0 ? `+${text}` : text;
}

/** Progress per round (n of m done, overdue), the moderation queue and calibration, above the ranking. */
export function roundOverview(ranking: Ranking, progress: RoundProgress, calibration: { calibration: Calibration; assessor: StaffAccount | undefined }[]) {
  const t = progress.totals;
  const live = t.awaiting_declaration + t.in_progress + t.submitted;
  return {
    progress: {
      submitted: t.submitted,
      live,
      conflicted: t.conflicted,
      dueAt: progress.dueAt,
      pastDeadline: progress.pastDeadline,
      overdue: progress.pastDeadline ? t.awaiting_declaration + t.in_progress : 0,
      assessors: progress.assessors.map(({ assessor, counts }) => ({
        name: assessor?.fullName ?? 'Unknown',
        assigned: counts.awaiting_declaration + counts.in_progress + counts.submitted,
        submitted: counts.submitted,
        outstanding: counts.awaiting_declaration + counts.in_progress,
        conflicted: counts.conflicted,
      })),
    },
    moderationQueue: ranking.rows
      .filter(({ row }) => row.divergent && row.moderated === null)
      .map(({ row }) => ({
        href: `/staff/applications/${row.applicationId}/assessments`,
        reference: row.reference || 'No reference',
        organisationName: row.application.organisationName,
        rawScores: row.rawScores.map((p) => `${formatPercent(p)}%`).join(', '),
      })),
    calibration: calibration.map(({ calibration: c, assessor }) => ({
      name: assessor?.fullName ?? 'Unknown',
      assessed: c.assessed,
      own: `${formatPercent(c.assessorMean)}%`,
      panel: `${formatPercent(c.panelMean)}%`,
      difference: signedPoints(c.difference),
      leaning: c.difference.compare(-5) < 0 ? 'Harsher than the panel' : c.difference.compare(5) > 0 ? 'More generous than the panel' : 'Close to the panel',
    })),
  };
}

/** Every declaration in a round, a page at a time: conflicts and "no conflict" alike, with standing interests. */
export function declarationsView(round: FundingRound, rows: DeclarationRow[], at: { sort: string; page: number; limit: number }) {
  const state: ListState = { path: `/staff/rounds/${round.id}/declarations`, sort: at.sort, defaultSort: 'declared', page: at.page, limit: at.limit };
  const key = at.sort.replace(/^-/, '');
  const sorted = [...rows];
  if (key === 'reference') sorted.sort((x, y) => (x.reference ?? '').localeCompare(y.reference ?? ''));
  else if (key === 'assessor') sorted.sort((x, y) => (x.assessor?.fullName ?? '').localeCompare(y.assessor?.fullName ?? ''));
  else sorted.sort((x, y) => x.declaredAt.getTime() - y.declaredAt.getTime());
  if (at.sort.startsWith('-')) sorted.reverse();
  return {
    round: { id: round.id, name: round.name },
    total: rows.length,
    conflicts: rows.filter((r) => r.conflict).length,
    sortBy: Object.fromEntries(
      sortHeaders(state, [
        { key: 'declared', label: 'When', firstDirection: 'desc' },
        { key: 'reference', label: 'Application' },
        { key: 'assessor', label: 'Who' },
      ]).map((h) => [h.key, h]),
    ),
    rows: sorted.slice((at.page - 1) * at.limit, at.page * at.limit).map((d) => ({
      declaredAt: d.declaredAt,
      application: d.standing ? `Any application from ${d.organisationName}` : `${d.reference ?? 'No reference'}: ${d.organisationName}`,
      href: d.applicationId ? `/staff/applications/${d.applicationId}/assessments` : null,
      who: d.assessor ? `${d.assessor.fullName} (${d.assessor.email})` : 'Unknown',
      tag: d.standing
        ? { text: 'Standing interest', classes: 'govuk-tag--orange' }
        : d.conflict
          ? { text: 'Conflict', classes: 'govuk-tag--red' }
          : { text: 'No conflict', classes: 'govuk-tag--green' },
      reason: d.reason ?? '',
    })),
    pagination: paginationFor(state, rows.length),
  };
}

export function rankingView(round: FundingRound, status: string, ranking: Ranking, at: { sort: string; page: number; limit: number }, done?: string) {
  const state: ListState = { path: `/staff/rounds/${round.id}/assessment`, sort: at.sort, defaultSort: 'rank', page: at.page, limit: at.limit };
  const desc = at.sort.startsWith('-');
  const key = at.sort.replace(/^-/, '');
  const rows = [...ranking.rows];
  if (key === 'reference') rows.sort((x, y) => x.row.reference.localeCompare(y.row.reference));
  else if (key === 'amount') rows.sort((x, y) => Number(x.row.application.amountRequestedPence ?? 0) - Number(y.row.application.amountRequestedPence ?? 0));
  if (desc) rows.reverse();
  const shown = rows.slice((at.page - 1) * at.limit, at.page * at.limit);
  return {
    round: { id: round.id, name: round.name },
    downloads: { csvHref: `/staff/rounds/${round.id}/assessments.csv`, xlsxHref: `/staff/rounds/${round.id}/assessments.xlsx` },
    closed: status === 'closed',
    done,
    ready: ranking.ready,
    required: ranking.required,
    outstanding: ranking.outstanding.map((o) => ({
      href: `/staff/applications/${o.application.id}/assessments`,
      reference: o.application.reference ?? 'No reference',
      organisationName: o.application.organisationName,
      submitted: o.submitted,
      required: o.required,
    })),
    total: rows.length,
    headers: sortHeaders(state, [
      { key: 'rank', label: 'Rank', numeric: true },
      { key: 'reference', label: 'Application' },
      { key: 'amount', label: 'Requested', numeric: true, firstDirection: 'desc' },
    ]),
    rows: shown.map(({ row, rank, tieBreak }) => ({
      rank,
      href: `/staff/applications/${row.applicationId}/assessments`,
      reference: row.reference || 'No reference',
      organisationName: row.application.organisationName,
      ringFence: row.qualifiesForRingFence,
      amount: row.application.amountRequestedPence !== null ? formatPounds(row.application.amountRequestedPence) : 'Not given',
      finalScore: percentText(row.final),
      rawScores: row.rawScores.map((p) => `${formatPercent(p)}%`).join(', ') || 'None yet',
      moderated: row.moderated !== null,
      divergent: row.divergent,
      tieBreak: tieBreak ? TIE_BREAKS[tieBreak] : null,
      recommendations: (Object.keys(RECOMMENDATION_NAMES) as Recommendation[])
        .filter((r) => row.recommendations[r])
        .map((r) => `${RECOMMENDATION_NAMES[r]}: ${row.recommendations[r]}`)
        .join(', '),
    })),
    pagination: paginationFor(state, rows.length),
  };
}

// ---- fund managers: one application's assessments -----------------------------------------------

export function applicationAssessmentsView(
  round: FundingRound,
  r: ApplicationAssessments,
  assessors: StaffAccount[],
  forms: AssessmentPageForms & { form?: string; done?: string; canAssign: boolean },
) {
  const criteria = scoringCriteria(round);
  const submitted = r.assessments.filter((a) => a.percent !== null).map((a) => a.percent as Fraction);
  const assigned = new Set(r.assessments.map((a) => a.assessment.assessorId));
  const counting = r.assessments.filter((a) => a.assessment.status !== 'conflicted').length;
  const values = forms.values ?? {};
  const chosen = new Set(Array.isArray(values.assessorIds) ? values.assessorIds : []);
  return {
    application: {
      id: r.application.id,
      reference: r.application.reference ?? 'No reference',
      organisationName: r.application.organisationName,
      amount: r.application.amountRequestedPence !== null ? formatPounds(r.application.amountRequestedPence) : 'Not given',
    },
    round: { id: round.id, name: round.name },
    done: forms.done,
    form: forms.form,
    values,
    divergent: r.divergent,
    threshold: round.moderationThreshold,
    rawScore: percentText(mean(submitted)),
    moderation: r.moderation
      ? { score: `${formatHundredths(r.moderation.scoreHundredths)}%`, reason: r.moderation.reason, at: r.moderation.moderatedAt }
      : null,
    canModerate: submitted.length > 0,
    assessments: r.assessments.map(({ assessment: a, assessor, scores, percent }) => {
      const byCriterion = new Map(scores.map((s) => [s.criterionId, s]));
      const shown = a.status === 'submitted';
      return {
        id: a.id,
        assessor: assessor?.fullName ?? 'Unknown',
        tag: ASSESSMENT_STATUS_TAGS[a.status],
        status: a.status,
        conflictReason: a.conflictReason,
        percent: percent ? `${formatPercent(percent)}%` : null,
        scores: shown
          ? criteria.map((c) => ({
              name: c.name,
              scale: `${c.scaleMin} to ${c.scaleMax}`,
              score: byCriterion.get(c.id)?.score ?? null,
              comment: byCriterion.get(c.id)?.comment ?? '',
            }))
          : [],
        recommendation: shown && a.recommendation ? RECOMMENDATION_NAMES[a.recommendation] : null,
        recommendedAmount: shown && a.recommendedAmountPence !== null ? formatPounds(a.recommendedAmountPence) : null,
        comment: shown ? a.comment : '',
        submittedAt: a.submittedAt,
      };
    }),
    canAssign: forms.canAssign && counting < round.assessorsPerApplication,
    places: Math.max(round.assessorsPerApplication - counting, 0),
    assessorItems: assessors
      .filter((s) => !assigned.has(s.id))
      .map((s) => ({ value: s.id, text: s.fullName, hint: { text: s.email }, checked: chosen.has(s.id) })),
  };
}
