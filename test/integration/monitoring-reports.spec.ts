import request from 'supertest';
import { BACKFILL_MONITORING_REPORTS } from '../../migrations/1796303730599-MonitoringReports';
import { GrantsService } from '../../src/modules/grants';
import { MonitoringReportsService } from '../../src/modules/grants/monitoring-reports.service';
import { OutboxSender } from '../../src/modules/notifications/outbox-sender.service';
import { acceptGrant, type OfferedGrant, offerVictimsGrants, PROMISED_OUTCOMES } from '../support/grants';
import { createUser, csrfFrom, signIn, type TestUser, tokenFor } from '../support/identity';
import { bearer, outbox, setClock } from '../support/rounds';
import { SmtpCapture } from '../support/smtp';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary } from './identity-support';

/*
 * Issue 12's monitoring reports, against PostgreSQL and a real SMTP server: a Victims Fund round
 * paying half on acceptance and half on the six-month report. Grants are awarded under a budget
 * decision and accepted at 23:30 on 31 December 2026 (London), so the reports fall due on
 * 30 June 2027 (the month is shorter) and 31 December 2027, and stay there however late a report
 * comes. The application's clock is moved to each day the test needs; API tokens are made on the
 * day they are used (they last 90 days by that clock).
 */
describe('monitoring reports (issue 12)', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let manager: TestUser;
  /** Accepted grants, each with an owner (of its own organisation) and a member who is not an owner. */
  const grants: OfferedGrant[] = [];
  /** An offer left unanswered. */
  let unaccepted: string;

  const at = (instant: string) => setClock(t, instant);
  const as = async (user: TestUser) => {
    const auth = bearer(await tokenFor(t, user));
    return {
      get: (path: string) => request(t.http).get(`/api/v1${path}`).set(auth),
      post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(auth).send(body),
    };
  };
  const reportsOf = async (user: TestUser, grantId: string) => (await (await as(user)).get(`/grants/${grantId}/monitoring-reports`).expect(200)).body.reports;
  const row = async (id: string) => (await t.dataSource.query(`SELECT *, due_on::text AS due_on FROM monitoring_report WHERE id = $1`, [id]))[0];
  const answers = {
    outcomes: 'Forty victims of hate crime came to peer support; thirty say they feel safer.',
    spendToDatePence: 2_500_00,
    caseStudy: 'A woman…',
  };

  beforeAll(async () => {
    smtp = await SmtpCapture.create();
    await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url } });
    const offered = await offerVictimsGrants(t, { n: 5, at: '2026-12-20T12:00:00Z' });
    manager = offered.manager;
    unaccepted = offered.grants.pop()!.id;
    // Accepted late on New Year's Eve: the London day is 31 December.
    for (const g of offered.grants) {
      await acceptGrant(t, g, '2026-12-31T23:30:00Z');
      grants.push(g);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('makes the reports in the acceptance, due on days fixed then: the six-month report the schedule pays on, and a final one at twelve months', async () => {
    const [g] = grants;
    const reports = await reportsOf(g.member, g.id);
    expect(reports.map((r: Record<string, unknown>) => [r.seq, r.months, r.dueOn, r.status, r.overdue, r.submissions])).toEqual([
      [1, 6, '2027-06-30', 'due', false, 0],
      [2, 12, '2027-12-31', 'due', false, 0],
    ]);
    const payments = (await (await as(manager)).get(`/grants/${g.id}/payments`).expect(200)).body;
    expect(payments.instalments.map((i: Record<string, unknown>) => [i.trigger, i.reportMonths, i.status])).toEqual([
      ['acceptance', null, 'due'],
      ['monitoring_report', 6, 'scheduled'],
    ]);
    // Staff who may view every application read them too; the grant page lists them for the organisation.
    expect(await reportsOf(manager, g.id)).toHaveLength(2);
    const page = await (await signIn(t, g.member)).get(`/grants/${g.id}`).expect(200);
    expect(page.text).toContain('Submit the 6-month report');
    expect(page.text).toContain('30 June 2027');
  });

  it('gives grants accepted before reports existed the same reports, from the migration', async () => {
    const reportsNow = `SELECT grant_id, seq, months, due_on::text FROM monitoring_report WHERE grant_id = ANY($1) ORDER BY grant_id, seq`;
    const ids = grants.map((g) => g.id);
    const made = await t.dataSource.query(reportsNow, [ids]);
    class Undo extends Error {}
    let backfilled: unknown;
    await t.dataSource
      .transaction(async (m) => {
        await m.query(`DELETE FROM monitoring_report WHERE grant_id = ANY($1)`, [ids]);
        await m.query(BACKFILL_MONITORING_REPORTS);
        backfilled = await m.query(reportsNow, [ids]);
        await m.query(BACKFILL_MONITORING_REPORTS); // again: nothing more
        expect(await m.query(reportsNow, [ids])).toEqual(backfilled);
        throw new Undo();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Undo)) throw err;
      });
    expect(made).toHaveLength(grants.length * 2);
    expect(backfilled).toEqual(made);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM monitoring_report WHERE grant_id = $1`, [unaccepted])).toEqual([{ n: 0 }]);
  });

  it('takes a late report, asks for changes, takes it again and approves it; the instalment waiting on it falls due; the due date never moves', async () => {
    const [g] = grants;
    const [six] = await reportsOf(g.member, g.id);
    // Ten days late, and overdue until it is in.
    at('2027-07-10T09:00:00Z');
    expect((await reportsOf(g.member, g.id))[0]).toMatchObject({ overdue: true, dueOn: '2027-06-30' });
    const fm = await as(manager);
    const overdue = (await fm.get('/monitoring-reports?overdue=true&limit=200').expect(200)).body;
    expect(overdue.items.map((r: { id: string }) => r.id)).toContain(six.id);
    expect(overdue.items.find((r: { id: string }) => r.id === six.id)).toMatchObject({ organisationName: expect.any(String), grantAmountPence: 5_000_00 });

    // A member who is not an owner may report.
    const member = await as(g.member);
    const submitted = (await member.post(`/grants/${g.id}/monitoring-reports`, { reportId: six.id, ...answers }).expect(200)).body;
    expect(submitted).toMatchObject({ status: 'submitted', submissions: 1, dueOn: '2027-06-30', overdue: false, spendToDatePence: 2_500_00 });
    expect((await member.post(`/grants/${g.id}/monitoring-reports`, { reportId: six.id, ...answers })).body.error).toBe('grants.report_not_open');
    const [audit] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'grant.report_submitted' AND after->>'reportId' = $1`, [six.id]);
    expect(audit.after).toMatchObject({ late: true, months: 6, spendToDatePence: 2_500_00 });

    // Changes need comments; the grant holder is told.
    expect((await fm.post(`/monitoring-reports/${six.id}/changes`, { comments: ' ' })).body.details[0].field).toBe('comments');
    await fm.post(`/monitoring-reports/${six.id}/changes`, { comments: 'Say how many of the forty came back after the first session.' }).expect(200);
    expect((await fm.post(`/monitoring-reports/${six.id}/approve`)).body.error).toBe('grants.report_not_submitted');
    const changesMail = await outbox(t, 'report-changes-requested');
    expect(changesMail.map((e) => e.to_address)).toContain(g.member.email);
    expect(changesMail.map((e) => e.to_address)).toContain(g.owner.email);
    expect(changesMail[0].text_body).toContain('Say how many of the forty came back after the first session.');
    expect((await reportsOf(g.member, g.id))[0]).toMatchObject({
      status: 'changes_requested',
      overdue: true,
      reviewerComments: expect.stringContaining('forty'),
    });

    // Submitted again a month later; approved the day after; still due on 30 June.
    at('2027-08-10T09:00:00Z');
    await (await as(g.owner)).post(`/grants/${g.id}/monitoring-reports`, { reportId: six.id, ...answers, outcomes: 'Thirty-two came back.' }).expect(200);
    // The fund manager sees what they asked for beside the changed report.
    expect((await (await signIn(t, manager)).get(`/staff/monitoring-reports/${six.id}`).expect(200)).text).toContain('Changes asked for last time');
    at('2027-08-11T22:30:00Z'); // 23:30 in London (summer time): the approval's London day is the 11th
    const approved = (await (await as(manager)).post(`/monitoring-reports/${six.id}/approve`).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', submissions: 2, dueOn: '2027-06-30', reviewedBy: manager.id, reviewerComments: null });
    const payments = (await (await as(g.owner)).get(`/grants/${g.id}/payments`).expect(200)).body;
    expect(payments.instalments[1]).toMatchObject({ trigger: 'monitoring_report', status: 'due', dueOn: '2027-08-11' });
    expect((await outbox(t, 'report-approved')).map((e) => e.to_address)).toContain(g.owner.email);
    expect(await row(six.id)).toMatchObject({ due_on: '2027-06-30', status: 'approved', outcomes: 'Thirty-two came back.' });
    // The other grants' instalments still wait for their own reports.
    const other = (await (await as(grants[1].owner)).get(`/grants/${grants[1].id}/payments`).expect(200)).body;
    expect(other.instalments[1].status).toBe('scheduled');
  });

  it('adds a report a changed schedule pays on, due from the acceptance, and leaves an existing one as it is', async () => {
    const g = grants[1];
    const service = t.app.get(GrantsService);
    at('2027-04-20T09:00:00Z'); // long after the acceptance: the due date still counts from it
    const nine = await t.dataSource.transaction((m) => service.ensureReport(m, g.id, 9));
    expect(nine).toMatchObject({ seq: 3, months: 9, dueOn: '2027-09-30', status: 'due' });
    const again = await t.dataSource.transaction((m) => Promise.all([service.ensureReport(m, g.id, 9), service.ensureReport(m, g.id, 6)]));
    expect(again.map((r) => [r?.id, r?.dueOn])).toEqual([
      [nine!.id, '2027-09-30'],
      [expect.any(String), '2027-06-30'],
    ]);
    expect((await reportsOf(g.owner, g.id)).map((r: { months: number }) => r.months)).toEqual([6, 12, 9]);
    // An offer not yet accepted gets its reports when it is.
    expect(await t.dataSource.transaction((m) => service.ensureReport(m, unaccepted, 9))).toBeNull();
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM monitoring_report WHERE grant_id = $1`, [unaccepted]))[0].n).toBe(0);
  });

  it('refuses a report for someone else’s grant, and a report of another grant, changing nothing', async () => {
    const [a, b] = [grants[1], grants[2]];
    at('2027-05-01T09:00:00Z');
    const [aSix] = await reportsOf(a.owner, a.id);
    const [bSix] = await reportsOf(b.owner, b.id);
    const outsider = await as(b.owner);
    const tries = [
      await outsider.post(`/grants/${a.id}/monitoring-reports`, { reportId: aSix.id, ...answers }),
      await outsider.get(`/grants/${a.id}/monitoring-reports`),
      // A's owner names B's report under A's grant.
      await (await as(a.owner)).post(`/grants/${a.id}/monitoring-reports`, { reportId: bSix.id, ...answers }),
      // Staff read reports but never write them.
      await (await as(manager)).post(`/grants/${a.id}/monitoring-reports`, { reportId: aSix.id, ...answers }),
      await outsider.post(`/monitoring-reports/${bSix.id}/approve`),
    ];
    expect(tries.map((r) => [r.status, r.body.error])).toEqual([
      [404, 'grants.not_found'],
      [404, 'grants.not_found'],
      [404, 'grants.report_not_found'],
      [403, 'identity.forbidden'],
      [403, 'identity.forbidden'],
    ]);
    for (const id of [aSix.id, bSix.id]) expect(await row(id)).toMatchObject({ status: 'due', submissions: 0, outcomes: null });
    expect((await (await as(manager)).post('/monitoring-reports/5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e/approve')).body.error).toBe('grants.report_not_found');
  });

  it('refuses bad input with a 400 naming the field, changing nothing', async () => {
    const g = grants[1];
    at('2027-05-01T09:00:00Z');
    const [six] = await reportsOf(g.owner, g.id);
    const owner = await as(g.owner);
    const send = (body: object) => owner.post(`/grants/${g.id}/monitoring-reports`, { reportId: six.id, ...answers, ...body });
    const cases: [object, string, string][] = [
      [{ spendToDatePence: -1 }, 'spendToDatePence', 'min'],
      [{ spendToDatePence: 12.5 }, 'spendToDatePence', 'isInt'],
      [{ spendToDatePence: '100' }, 'spendToDatePence', 'isInt'],
      [{ spendToDatePence: 5_000_01 }, 'spendToDatePence', 'withinGrant'],
      [{ outcomes: '' }, 'outcomes', 'isNotEmpty'],
      [{ outcomes: '  \n ' }, 'outcomes', 'required'],
      [{ caseStudy: 'x'.repeat(5_001) }, 'caseStudy', 'maxLength'],
      [{ caseStudy: 'Nul \u0000 here' }, 'caseStudy', 'isWellFormedText'],
      [{ outcomes: 'Lone \ud800 surrogate' }, 'outcomes', 'isWellFormedText'],
      [{ reportId: 'not-an-id' }, 'reportId', 'isUuid'],
      [{ spent: 1 }, 'spent', 'whitelistValidation'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await send(body);
      const rules = ((res.body.details ?? []) as { field: string; rule: string }[]).filter((d) => d.field === field).map((d) => d.rule);
      expect([res.status, rules]).toEqual([400, expect.arrayContaining([rule])]);
    }
    expect(await row(six.id)).toMatchObject({ status: 'due', submissions: 0, outcomes: null, spend_to_date_pence: null });
    expect(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'grant.report_submitted' AND after->>'reportId' = $1`, [six.id]))[0]
        .n,
    ).toBe(0);
  });

  it('reviews a report once when two fund managers answer it at the same moment, and finds reports by reference, latest due first', async () => {
    const g = grants[1];
    at('2027-12-01T09:00:00Z');
    const twelve = (await reportsOf(g.owner, g.id)).find((r: { months: number }) => r.months === 12);
    await (await as(g.owner)).post(`/grants/${g.id}/monitoring-reports`, { reportId: twelve.id, ...answers }).expect(200);
    const other = await createUser(t, ['fund_manager']);
    const [a, b] = [await as(manager), await as(other)];
    const answersAtOnce = await Promise.all([
      a.post(`/monitoring-reports/${twelve.id}/approve`),
      b.post(`/monitoring-reports/${twelve.id}/changes`, { comments: 'Add the spend on venues' }),
    ]);
    expect(answersAtOnce.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answersAtOnce.find((r) => r.status === 409)!.body.error).toBe('grants.report_not_submitted');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action IN ('grant.report_approved', 'grant.report_changes_requested') AND after->>'reportId' = $1`,
      [twelve.id],
    );
    expect(n).toBe(1);

    const found = (await a.get(`/monitoring-reports?q=${encodeURIComponent(g.reference.toLowerCase())}&sort=-due`).expect(200)).body;
    expect(found.items.map((r: { reference: string; months: number }) => `${r.reference}:${r.months}`)).toEqual([
      `${g.reference}:12`,
      `${g.reference}:9`,
      `${g.reference}:6`,
    ]);
    expect(found).toMatchObject({ total: 3, limit: 50, page: 1 });
    expect((await a.get('/monitoring-reports?limit=201')).body.details[0].field).toBe('limit');
    expect((await a.get('/monitoring-reports?status=late')).body.details[0].field).toBe('status');
  });

  it('reminds the organisation once before the due date and once at one and seven days overdue, even with two instances at once', async () => {
    const g = grants[3];
    const [six] = await reportsOf(g.owner, g.id);
    const reports = t.app.get(MonitoringReportsService);
    const sentFor = async () =>
      (await t.dataSource.query(`SELECT kind FROM monitoring_report_reminder WHERE report_id = $1 ORDER BY sent_at, kind`, [six.id])).map(
        (r: { kind: string }) => r.kind,
      );
    const mails = async () => (await outbox(t)).filter((e) => e.idempotency_key.startsWith(`report-reminder:${six.id}:`));

    const day = async (instant: string) => {
      at(instant);
      await Promise.all([reports.sendReminders(), reports.sendReminders()]);
      return sentFor();
    };
    expect(await day('2027-06-15T06:00:00Z')).toEqual([]); // 15 days before
    expect(await day('2027-06-16T06:00:00Z')).toEqual(['before']); // 14 days before
    expect(await day('2027-06-17T06:00:00Z')).toEqual(['before']);
    expect(await day('2027-06-30T06:00:00Z')).toEqual(['before']); // the due day: not late yet
    expect(await day('2027-07-01T06:00:00Z')).toEqual(['before', 'overdue_1']);
    expect(await day('2027-07-03T06:00:00Z')).toEqual(['before', 'overdue_1']);
    expect(await day('2027-07-07T06:00:00Z')).toEqual(['before', 'overdue_1', 'overdue_7']);
    expect(await day('2027-07-20T06:00:00Z')).toEqual(['before', 'overdue_1', 'overdue_7']);
    // Each reminder once to each of the organisation's contacts: its contact address and its owner.
    const sent = await mails();
    expect(sent).toHaveLength(6);
    expect(sent.map((e) => e.to_address)).toContain(g.owner.email);
    expect(new Set(sent.map((e) => e.to_address)).size).toBe(2);

    // Delivered over SMTP.
    await t.app.get(OutboxSender).sendDue(200);
    const delivered = smtp.messages.filter((msg) => msg.envelope.to.map((a) => a.toLowerCase()).includes(g.owner.email.toLowerCase()));
    const subjects = delivered.map((msg) => msg.subject ?? '').filter((s) => s.startsWith('Monitoring report'));
    expect(subjects.sort()).toEqual([
      expect.stringContaining('Monitoring report due on 30 June 2027'),
      expect.stringContaining('Monitoring report overdue'),
      expect.stringContaining('Monitoring report overdue'),
    ]);
    expect(delivered.find((msg) => msg.subject?.includes('overdue'))?.text).toContain('was due on 30 June 2027');

    // A submitted report is not chased, and a report approved is never overdue.
    await (await as(g.owner)).post(`/grants/${g.id}/monitoring-reports`, { reportId: six.id, ...answers }).expect(200);
    expect((await reportsOf(g.owner, g.id))[0].overdue).toBe(false);
  });

  it('lets the grant holder submit from the page, with problems shown next to the questions, and a fund manager review from theirs', async () => {
    const g = grants[2];
    at('2027-06-01T09:00:00Z');
    const [six] = await reportsOf(g.owner, g.id);
    const holder = await signIn(t, g.member);
    const form = await holder.get(`/grants/${g.id}/reports/${six.id}`).expect(200);
    expect(form.text).toContain(PROMISED_OUTCOMES); // what the application said
    const bad = await holder
      .post(`/grants/${g.id}/reports/${six.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), outcomes: '', spendToDate: '-5', caseStudy: 'A story' });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.text)).toContain('Enter the outcomes so far');
    expect(errorSummary(bad.text)).toContain('in pounds');
    expect(bad.text).toContain('href="#spendToDate"');
    const tooMuch = await holder
      .post(`/grants/${g.id}/reports/${six.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), outcomes: 'Going well', spendToDate: '6,000', caseStudy: 'A story' });
    expect([tooMuch.status, errorSummary(tooMuch.text)]).toEqual([400, expect.stringContaining('no more than the grant of £5,000')]);
    await holder
      .post(`/grants/${g.id}/reports/${six.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), outcomes: 'Going well', spendToDate: '1,250.50', caseStudy: 'A story' })
      .expect(303);
    expect(await row(six.id)).toMatchObject({ status: 'submitted', spend_to_date_pence: '125050' });

    const staff = await signIn(t, manager);
    const dashboard = (await staff.get('/staff').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM monitoring_report WHERE status = 'submitted'`);
    expect(dashboard).toContain(`Monitoring reports Waiting for your review: ${n} Overdue:`);
    const list = await staff.get('/staff/monitoring-reports?status=submitted').expect(200);
    expect(list.text).toContain(`/staff/monitoring-reports/${six.id}?returnTo=`);
    expect((await staff.get('/staff/monitoring-reports?overdue=maybe')).status).toBe(400);
    const review = await staff.get(`/staff/monitoring-reports/${six.id}`).expect(200);
    expect(review.text).toContain('£1,250.50');
    const noComments = await staff
      .post(`/staff/monitoring-reports/${six.id}/changes`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), comments: '' });
    expect([noComments.status, errorSummary(noComments.text)]).toEqual([400, expect.stringContaining('Enter what needs to change')]);
    await staff
      .post(`/staff/monitoring-reports/${six.id}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text) })
      .expect(303);
    const again = await staff
      .post(`/staff/monitoring-reports/${six.id}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text) });
    expect([again.status, errorSummary(again.text)]).toEqual([409, expect.stringContaining('has already been approved')]);
    expect((await holder.get(`/grants/${g.id}/reports/${six.id}`).expect(200)).text).toContain('The report has been approved.');
  });

  it('numbers reports added to one grant by two transactions at once 3 and 4: the second waits for the first’s grant lock', async () => {
    const g = grants[0];
    const service = t.app.get(GrantsService);
    const seqs = async () =>
      (await t.dataSource.query<{ seq: number }[]>(`SELECT seq FROM monitoring_report WHERE grant_id = $1 ORDER BY seq`, [g.id])).map((r) => r.seq);
    expect(await seqs()).toEqual([1, 2]);
    // The first transaction keeps its new report uncommitted until the second is waiting on a lock,
    // so the two overlap every time, not only when the timing happens to fall that way. Without the
    // grant's lock the second would read the same largest seq and fail on the unique index.
    let added!: () => void;
    const firstAdded = new Promise<void>((resolve) => (added = resolve));
    const secondWaiting = async () => {
      for (let tries = 0; tries < 200; tries++) {
        const [{ n }] = await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('The second transaction never waited for the first');
    };
    const [first, second] = await Promise.all([
      t.dataSource.transaction(async (m) => {
        const report = await service.ensureReport(m, g.id, 3);
        added();
        await secondWaiting();
        return report;
      }),
      firstAdded.then(() => t.dataSource.transaction((m) => service.ensureReport(m, g.id, 18))),
    ]);
    expect([first?.seq, first?.months, second?.seq, second?.months]).toEqual([3, 3, 4, 18]);
    expect(await seqs()).toEqual([1, 2, 3, 4]);
  });
});
