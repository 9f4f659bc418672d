import { HALF_ON_SIX_MONTH_REPORT, PAID_IN_FULL } from '../../src/modules/funds';
import type { MonitoringReport } from '../../src/modules/grants/entities/monitoring-report.entity';
import { addMonths, formatDay, reportMonthsFor } from '../../src/modules/grants/monitoring-reports.service';
import { readReportForm, reportFormValues } from '../../src/modules/grants/pages/monitoring-report-form';
import { grantReportsView, staffReportsView } from '../../src/modules/grants/pages/monitoring-report-views';

const REPORT_ID = '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e';

function report(overrides: Partial<MonitoringReport> = {}): MonitoringReport {
  return {
    id: REPORT_ID,
    grantId: '0b5f3c1e-8d2a-4c7b-9e6f-1a2b3c4d5e6f',
    seq: 1,
    months: 6,
    dueOn: '2027-06-30',
    status: 'due',
    outcomes: null,
    spendToDatePence: null,
    caseStudy: null,
    submissions: 0,
    submittedBy: null,
    submittedAt: null,
    reviewedBy: null,
    reviewedAt: null,
    reviewerComments: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

/* Issue 12's monitoring reports: when they fall due, and the form and lists that show them. */
describe('monitoring reports', () => {
  it('falls due so many calendar months on, on the month’s last day when it is shorter', () => {
    expect(addMonths('2026-12-31', 6)).toBe('2027-06-30');
    expect(addMonths('2026-12-31', 12)).toBe('2027-12-31');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29'); // a leap year
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-01-15', 1)).toBe('2027-02-15');
    expect(addMonths('2027-03-28', 24)).toBe('2029-03-28');
    expect(formatDay('2027-06-30')).toBe('30 June 2027');
  });

  it('makes a report for each one the schedule pays on, and a final one at twelve months unless one is there or later', () => {
    expect(reportMonthsFor(PAID_IN_FULL)).toEqual([12]);
    expect(reportMonthsFor(HALF_ON_SIX_MONTH_REPORT)).toEqual([6, 12]);
    expect(
      reportMonthsFor([
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report', reportMonths: 12 },
      ]),
    ).toEqual([12]);
    expect(
      reportMonthsFor([
        { percent: 40, trigger: 'monitoring_report', reportMonths: 3 },
        { percent: 30, trigger: 'monitoring_report', reportMonths: 3 },
        { percent: 30, trigger: 'monitoring_report', reportMonths: 18 },
      ]),
    ).toEqual([3, 18]);
  });

  it('reads the report form into the API’s body, pounds into pence, with problems against the form’s own fields in its order', async () => {
    const ok = await readReportForm({ outcomes: 'Going well', spendToDate: '£1,250.50', caseStudy: 'A story', _csrf: 'x' }, REPORT_ID);
    expect(ok.errors).toEqual([]);
    expect({ ...ok.value }).toEqual({ reportId: REPORT_ID, outcomes: 'Going well', spendToDatePence: 125050, caseStudy: 'A story' });

    const bad = await readReportForm({ caseStudy: '', spendToDate: '-5', outcomes: '' }, REPORT_ID);
    expect(bad.errors.map((e) => [e.field, e.message])).toEqual([
      ['outcomes', 'Enter the outcomes so far'],
      ['spendToDate', 'Enter how much of the grant you have spent so far in pounds, like 20,000 or 1,250.50'],
      ['caseStudy', 'Enter a short case study'],
    ]);
    expect((await readReportForm({ outcomes: 'x', caseStudy: 'y' }, REPORT_ID)).errors.map((e) => e.field)).toEqual(['spendToDate']);
    expect(reportFormValues({ outcomes: ['a', 'b'], spendToDate: '12' })).toEqual({ outcomes: 'a', spendToDate: '12', caseStudy: '' });
  });

  it('tells the grant holder which reports to submit, and flags the overdue ones', () => {
    const rows = grantReportsView(
      'g1',
      [
        { report: report(), overdue: true },
        { report: report({ id: 'r2', months: 12, dueOn: '2027-12-31', status: 'approved' }), overdue: false },
      ],
      true,
    );
    expect(rows.map((r) => [r.name, r.action, r.due, r.tags.map((t) => t.text)])).toEqual([
      ['6-month report', 'Submit', '30 June 2027', ['Due', 'Overdue']],
      ['12-month report', 'View', '31 December 2027', ['Approved']],
    ]);
    // Staff who may read the grant view reports; only the organisation submits them.
    expect(grantReportsView('g1', [{ report: report(), overdue: false }], false)[0].action).toBe('View');
  });

  it('keeps the fund managers’ filters and sort in each link', () => {
    const view = staffReportsView(
      {
        items: [
          {
            report: report({ status: 'submitted', spendToDatePence: 125050 as never }),
            overdue: false,
            grantId: 'g1',
            reference: 'VF7-0001',
            organisationName: 'Aston Victims Group',
            roundName: 'Victims Fund 7',
            amountPence: 500000,
          },
        ],
        total: 120,
      },
      { status: 'submitted', overdue: 'false', sort: '-due', page: 2, limit: 50 },
      { toReview: 3, overdue: 2 },
    );
    expect(view.rows[0]).toMatchObject({
      href: `/staff/monitoring-reports/${REPORT_ID}?returnTo=${encodeURIComponent('/staff/monitoring-reports?status=submitted&overdue=false&sort=-due&page=2')}`,
      spent: '£1,250.50 of £5,000',
    });
    expect(view.sortBy.due).toMatchObject({ ariaSort: 'descending', href: '/staff/monitoring-reports?status=submitted&overdue=false' }); // the default sort, left out
    expect(view.pagination.next).toBe('/staff/monitoring-reports?status=submitted&overdue=false&sort=-due&page=3');
    expect(view.overdueItems.find((i) => i.selected)?.value).toBe('false');
  });
});
