import { formatLondonDateTime } from '@pcc/london-time';
import { formatPounds } from '@pcc/money';
import { type ListState, listHref, paginationFor, sortHeaders } from '../../../platform/http/paging';
import { penceForInput, str } from '../../../platform/web/forms';
import type { MonitoringReportsQueryDto } from '../dto/monitoring-reports.dto';
import { MONITORING_REPORT_STATUSES, type MonitoringReport, type MonitoringReportStatus } from '../entities/monitoring-report.entity';
import { formatDay, type ReportPage, type ReportView, type StaffReportView } from '../monitoring-reports.service';

export const REPORT_STATUS_TAGS: Record<MonitoringReportStatus, { text: string; classes: string }> = {
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  submitted: { text: 'Waiting for review', classes: 'govuk-tag--yellow' },
  changes_requested: { text: 'Changes needed', classes: 'govuk-tag--orange' },
  approved: { text: 'Approved', classes: 'govuk-tag--green' },
};
const OVERDUE_TAG = { text: 'Overdue', classes: 'govuk-tag--red' };

/** "6-month report". */
export const reportName = (r: MonitoringReport) => `${r.months}-month report`;

/** The reports on the grant's own page: when each is due, where it has got to, and the link to it. */
export function grantReportsView(grantId: string, reports: ReportView[], member: boolean) {
  return reports.map(({ report: r, overdue }) => ({
    name: reportName(r),
    href: `/grants/${grantId}/reports/${r.id}`,
    // The link says what the person can do there.
    action: member && (r.status === 'due' || r.status === 'changes_requested') ? 'Submit' : 'View',
    due: formatDay(r.dueOn),
    tags: [REPORT_STATUS_TAGS[r.status], ...(overdue ? [OVERDUE_TAG] : [])],
  }));
}

/** The answers of a submitted report, as summary-list rows (for the grant holder after submitting, and for the fund manager's review). */
function answerRows(r: MonitoringReport) {
  if (r.submittedAt === null) return [];
  return [
    { key: { text: 'Outcomes so far' }, value: { text: r.outcomes ?? '', classes: 'app-multiline' } },
    { key: { text: 'Spent so far' }, value: { text: formatPounds(Number(r.spendToDatePence ?? 0)) } },
    { key: { text: 'Case study' }, value: { text: r.caseStudy ?? '', classes: 'app-multiline' } },
  ];
}

function about(v: ReportPage) {
  const r = v.report;
  return {
    heading: `${reportName(r)}: ${v.application.reference ?? ''}`,
    caption: `${v.application.organisationName} – ${v.roundName}`,
    tags: [REPORT_STATUS_TAGS[r.status], ...(v.overdue ? [OVERDUE_TAG] : [])],
    details: [
      { key: { text: 'Grant' }, value: { text: formatPounds(Number(v.grant.amountPence)) } },
      { key: { text: 'Due on' }, value: { text: formatDay(r.dueOn) } },
      ...(r.submittedAt ? [{ key: { text: 'Last submitted' }, value: { text: formatLondonDateTime(r.submittedAt) } }] : []),
    ],
    answers: answerRows(r),
    promisedOutcomes: v.promisedOutcomes,
    comments: r.status === 'changes_requested' ? r.reviewerComments : null,
  };
}

/** The grant holder's page for one report: what is asked, what the fund manager said, and the form while it is owed. */
export function reportPageView(v: ReportPage, values?: { outcomes: string; spendToDate: string; caseStudy: string }) {
  const r = v.report;
  const open = r.status === 'due' || r.status === 'changes_requested';
  return {
    ...about(v),
    grantId: v.grant.id,
    reportId: r.id,
    canSubmit: v.member && open,
    status: r.status,
    // A report sent back starts from what was submitted.
    values: values ?? {
      outcomes: r.outcomes ?? '',
      spendToDate: r.spendToDatePence === null ? '' : penceForInput(r.spendToDatePence),
      caseStudy: r.caseStudy ?? '',
    },
    maxSpend: formatPounds(Number(v.grant.amountPence)),
  };
}

/** The fund manager's review page: the report, and while it waits for review, approve or ask for changes. */
export function reviewPageView(v: ReportPage, values: Record<string, unknown> = {}, returnTo = '/staff/monitoring-reports') {
  return {
    ...about(v),
    reportId: v.report.id,
    grantHref: `/grants/${v.grant.id}`,
    canReview: v.report.status === 'submitted',
    status: v.report.status,
    reviewedAt: v.report.reviewedAt,
    lastComments: v.report.reviewerComments,
    values: { comments: str(values.comments) },
    returnTo,
  };
}

export function staffReportsState(q: Partial<MonitoringReportsQueryDto>): ListState {
  return {
    path: '/staff/monitoring-reports',
    filters: { status: q.status, overdue: q.overdue },
    q: q.q,
    sort: q.sort,
    defaultSort: 'due',
    page: q.page,
    limit: q.limit,
  };
}

export function staffFilterItems(q: { status?: string; overdue?: string }) {
  return {
    statusItems: [{ value: '', text: 'Any' }, ...MONITORING_REPORT_STATUSES.map((s) => ({ value: s, text: REPORT_STATUS_TAGS[s].text }))].map((i) => ({
      ...i,
      selected: i.value === (q.status ?? ''),
    })),
    overdueItems: [
      { value: '', text: 'Any' },
      { value: 'true', text: 'Overdue' },
      { value: 'false', text: 'Not overdue' },
    ].map((i) => ({ ...i, selected: i.value === (q.overdue ?? '') })),
  };
}

/** Every grant's reports for fund managers, with the filters and sort kept in the address. */
export function staffReportsView(
  result: { items: StaffReportView[]; total: number },
  q: MonitoringReportsQueryDto,
  counts: { toReview: number; overdue: number },
) {
  const state = staffReportsState(q);
  const back = listHref(state);
  return {
    q: q.q ?? '',
    total: result.total,
    counts: [
      { n: counts.toReview, text: 'waiting for review', href: '/staff/monitoring-reports?status=submitted' },
      { n: counts.overdue, text: 'overdue', href: '/staff/monitoring-reports?overdue=true' },
    ],
    ...staffFilterItems(q),
    sortBy: Object.fromEntries(sortHeaders(state, [{ key: 'due', label: 'Due on' }]).map((h) => [h.key, h])),
    rows: result.items.map((v) => ({
      href: `/staff/monitoring-reports/${v.report.id}?returnTo=${encodeURIComponent(back)}`,
      name: reportName(v.report),
      reference: v.reference ?? 'No reference',
      organisation: v.organisationName,
      round: v.roundName,
      due: formatDay(v.report.dueOn),
      tags: [REPORT_STATUS_TAGS[v.report.status], ...(v.overdue ? [OVERDUE_TAG] : [])],
      spent: v.report.spendToDatePence === null ? '' : `${formatPounds(Number(v.report.spendToDatePence))} of ${formatPounds(v.amountPence)}`,
    })),
    pagination: paginationFor(state, result.total),
    listHref: back,
  };
}
