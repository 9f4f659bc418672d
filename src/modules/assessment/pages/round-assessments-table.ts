import type { CsvValue } from '../../../platform/web/csv';
import { londonTimestamp } from '../../../platform/web/forms';
import { rowsOf, type TableDownload } from '../../../platform/web/table-export';
import type { FundingRound } from '../../funds';
import type { AssessmentExportRow } from '../assessment.service';
import { formatHundredths, formatPercent } from '../scoring';
import { ASSESSMENT_STATUS_TAGS, RECOMMENDATION_NAMES, scoringCriteria } from './assessment-views';

/**
 * A round's assessments as a download (`/staff/rounds/{id}/assessments.csv`, `.xlsx`): one row per
 * assessor per application, with each criterion's score, the percentage and recommendation once
 * submitted, and the application's moderated score. What the ranking is made from, for the panel's
 * records.
 */
export function roundAssessmentsHeader(round: FundingRound): string[] {
  return [
    'Reference',
    'Organisation',
    'Assessor',
    'Status',
    'Conflict reason',
    'Submitted at (London time)',
    ...scoringCriteria(round).map((c) => `${c.name} (${c.scaleMin} to ${c.scaleMax})`),
    'Score (%)',
    'Recommendation',
    'Recommended amount (£)',
    'Comment',
    'Moderated score (%)',
    'Moderation reason',
  ];
}

/** Percentages as numbers with two decimals, exactly as the pages round them. */
const percent = (text: string | null): number | null => (text === null ? null : Number(text));

export function roundAssessmentCells(round: FundingRound, r: AssessmentExportRow): CsvValue[] {
  const a = r.assessment;
  return [
    r.application.reference ?? '',
    r.application.organisationName,
    r.assessor?.fullName ?? 'Unknown',
    ASSESSMENT_STATUS_TAGS[a.status].text,
    a.conflictReason ?? '',
    a.submittedAt ? londonTimestamp(a.submittedAt) : '',
    ...scoringCriteria(round).map((c) => r.scores.get(c.id) ?? null),
    percent(formatPercent(r.percent)),
    a.status === 'submitted' && a.recommendation ? RECOMMENDATION_NAMES[a.recommendation] : '',
    a.status === 'submitted' && a.recommendedAmountPence !== null ? Number(a.recommendedAmountPence) / 100 : null,
    a.status === 'submitted' ? a.comment : '',
    r.moderation ? percent(formatHundredths(r.moderation.scoreHundredths)) : null,
    r.moderation?.reason ?? '',
  ];
}

export function roundAssessmentsTable(round: FundingRound, batches: AsyncIterable<AssessmentExportRow[]>): TableDownload {
  return {
    name: `${round.referencePrefix}-assessments`,
    sheet: 'Assessments',
    header: roundAssessmentsHeader(round),
    rows: rowsOf(batches, (r) => roundAssessmentCells(round, r)),
  };
}
