import request from 'supertest';
import { seedRoundApplications } from '../support/application-lists';
import { bearer, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { createUser, csrfFrom, signIn, tokenFor } from '../support/identity';
import { errorSummary } from './identity-support';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 12's payment requests and segregation of duties: a finance officer asks for a due
 * instalment to be paid; a finance approver approves it, never one they raised, and two different
 * approvers above the dual-approval threshold (£500 here); 50 approvals at once approve a request
 * exactly once; a rejection needs a reason and makes the instalment due again. The instalments
 * come from grants accepted under a budget decision, through the API.
 */
describe('payment requests (issue 12)', () => {
  let t: TestApp;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let officer: Awaited<ReturnType<typeof staffMember>>;
  let approverA: Awaited<ReturnType<typeof staffMember>>;
  let approverB: Awaited<ReturnType<typeof staffMember>>;
  let small: string; // a £400 instalment: one approval
  let large: string; // a £1,000 instalment: two approvals
  let largeGrant: string;

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
  });

  beforeAll(async () => {
    t = await startTestApp({ env: { PAYMENT_DUAL_APPROVAL_PENCE: '50000' } });
    const programmeId = (await seedFunds(t)).ACF;
    manager = await staffMember(t, 'fund_manager');
    officer = await staffMember(t, 'finance_officer');
    approverA = await staffMember(t, 'finance_approver');
    approverB = await staffMember(t, 'finance_approver');
    const commissioner = await staffMember(t, 'commissioner');
    const round = await createPublishedRound(
      t,
      manager,
      roundBody(programmeId, {
        totalBudgetPence: 10_000_00,
        maxGrantPence: 5_000_00,
        ringFences: [],
        paymentSchedule: [{ percent: 100, trigger: 'acceptance' }],
      }),
    );
    await seedRoundApplications(t.dataSource, {
      roundId: round.id,
      prefix: round.referencePrefix,
      n: 6,
      createdBy: manager.id,
      categories: ['other'],
      tag: round.referencePrefix,
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [round.id]);
    const apps: { id: string }[] = await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 AND status = 'eligible' ORDER BY reference`, [
      round.id,
    ]);
    const d = (
      await api(manager.token)
        .post('/decisions', {
          title: 'Budget',
          summary: 'Delegated awards',
          delegatedRoundId: round.id,
          delegatedBudgetPence: 5_000_00,
          delegatedAwardLimitPence: 2_000_00,
        })
        .expect(201)
    ).body;
    await api(manager.token).post(`/decisions/${d.id}/submit`).expect(200);
    await api(commissioner.token).post(`/decisions/${d.id}/approve`).expect(200);
    const acceptGrant = async (applicationId: string, amountPence: number) => {
      const grant = (await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId, amountPence }).expect(201)).body;
      const owner = await createUser(t);
      await t.dataSource.query(
        `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2, 'owner' FROM application WHERE id = $1`,
        [applicationId, owner.id],
      );
      await api(await tokenFor(t, owner))
        .post(`/grants/${grant.id}/accept`, { fullName: 'Group Treasurer', declaration: true })
        .expect(200);
      const payments = (await api(manager.token).get(`/grants/${grant.id}/payments`).expect(200)).body;
      expect(payments.instalments).toHaveLength(1); // this round pays in full on acceptance
      expect(payments.instalments[0]).toMatchObject({ status: 'due', amountPence, trigger: 'acceptance' });
      return { grant: grant.id as string, instalment: payments.instalments[0].id as string };
    };
    small = (await acceptGrant(apps[0].id, 400_00)).instalment;
    const l = await acceptGrant(apps[1].id, 1_000_00);
    large = l.instalment;
    largeGrant = l.grant;
  });
  afterAll(() => t.close());

  it('needs a different approver, and approves a request exactly once however many approve at once', async () => {
    const raised = (await api(officer.token).post(`/instalments/${small}/payment-requests`).expect(201)).body;
    expect(raised).toMatchObject({ status: 'pending', amountPence: 400_00, approvalsNeeded: 1, requestedBy: officer.id, approvals: [] });
    expect((await api(officer.token).post(`/instalments/${small}/payment-requests`)).body.error).toBe('payments.not_due');
    // Someone holding both roles still cannot approve what they raised.
    const both = await createUser(t, ['finance_officer', 'finance_approver']);
    const bothToken = await tokenFor(t, both);
    const own = (await api(bothToken).post(`/instalments/${large}/payment-requests`).expect(201)).body;
    expect([
      (await api(bothToken).post(`/payment-requests/${own.id}/approve`)).status,
      (await api(bothToken).post(`/payment-requests/${own.id}/approve`)).body.error,
    ]).toEqual([403, 'payments.own_request']);
    await api(approverA.token).post(`/payment-requests/${own.id}/reject`, { reason: 'Raised by the wrong person' }).expect(200);

    // 50 approvers at once: one approval is all it needs, and it is approved once.
    const approvers = await Promise.all(Array.from({ length: 50 }, () => createUser(t, ['finance_approver'], { password: 'A-long-shared-test-password-1' })));
    const tokens = await Promise.all(approvers.map((a) => tokenFor(t, a)));
    const answers = await Promise.all(tokens.map((tok) => api(tok).post(`/payment-requests/${raised.id}/approve`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect([a.status, a.body.error]).toEqual([409, 'payments.not_pending']);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_approval WHERE request_id = $1`, [raised.id]);
    expect(n).toBe(1);
    const [{ status }] = await t.dataSource.query(`SELECT status FROM instalment WHERE id = $1`, [small]);
    expect(status).toBe('approved');
  });

  it('needs two different approvers above the threshold, and a reason to reject', async () => {
    const raised = (await api(officer.token).post(`/instalments/${large}/payment-requests`).expect(201)).body;
    expect(raised.approvalsNeeded).toBe(2);
    expect((await api(approverA.token).post(`/payment-requests/${raised.id}/reject`, { reason: '' })).body.details[0].field).toBe('reason');
    const first = (await api(approverA.token).post(`/payment-requests/${raised.id}/approve`).expect(200)).body;
    expect(first).toMatchObject({ status: 'pending', approvals: [expect.objectContaining({ approverId: approverA.id })] });
    expect((await api(approverA.token).post(`/payment-requests/${raised.id}/approve`)).body.error).toBe('payments.already_approved');
    const second = (await api(approverB.token).post(`/payment-requests/${raised.id}/approve`).expect(200)).body;
    expect(second.status).toBe('approved');
    expect(second.approvals).toHaveLength(2);
    const payments = (await api(officer.token).get(`/grants/${largeGrant}/payments`).expect(200)).body;
    expect(payments.instalments[0].status).toBe('approved');
    expect(payments.instalments[0].paymentRequests.map((r: { status: string }) => r.status)).toEqual(['rejected', 'approved']);
    const listed = (await api(approverB.token).get('/payment-requests?status=approved').expect(200)).body;
    expect(listed.total).toBe(2);
    // Bad input: a malformed id and an unknown one.
    expect((await api(officer.token).post('/instalments/not-an-id/payment-requests')).status).toBe(400);
    expect((await api(officer.token).post('/instalments/5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e/payment-requests')).body.error).toBe(
      'payments.instalment_not_found',
    );
  });

  it('lets finance request, approve and reject from their pages, with the dashboard counting what waits', async () => {
    // A third grant's instalment, due.
    const [app] = await t.dataSource.query(
      `SELECT a.id FROM application a WHERE a.status = 'eligible' AND NOT EXISTS (SELECT 1 FROM "grant" g WHERE g.application_id = a.id) LIMIT 1`,
    );
    const [d] = await t.dataSource.query(`SELECT id FROM pcc_decision WHERE title = 'Budget'`);
    const grant = (await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: app.id, amountPence: 300_00 }).expect(201)).body;
    const owner = await createUser(t);
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2, 'owner' FROM application WHERE id = $1`,
      [app.id, owner.id],
    );
    await api(await tokenFor(t, owner))
      .post(`/grants/${grant.id}/accept`, { fullName: 'Group Treasurer', declaration: true })
      .expect(200);

    const officerPages = await signIn(t, officer);
    const dashboard = await officerPages.get('/staff').expect(200);
    expect(dashboard.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Payments due, to request: 1');
    const due = await officerPages.get('/finance/payments').expect(200);
    const [, instalmentId] = /action="\/finance\/instalments\/([0-9a-f-]{36})\/payment-requests"/.exec(due.text)!;
    const requested = await officerPages
      .post(`/finance/instalments/${instalmentId}/payment-requests`)
      .type('form')
      .send({ _csrf: csrfFrom(due.text) })
      .expect(303);
    const again = await officerPages
      .post(`/finance/instalments/${instalmentId}/payment-requests`)
      .type('form')
      .send({ _csrf: csrfFrom(due.text) });
    expect([again.status, errorSummary(again.text)]).toEqual([409, expect.stringContaining('so a payment cannot be requested for it')]);
    const requestId = /requested=([0-9a-f-]{36})/.exec(requested.headers.location)![1];
    const mine = await officerPages.get(`/finance/payment-requests/${requestId}`).expect(200);
    expect(mine.text).not.toContain('Approve the payment');

    const approverPages = await signIn(t, approverA);
    expect((await approverPages.get('/staff').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Payment requests waiting for your approval: 1',
    );
    const page = await approverPages.get(`/finance/payment-requests/${requestId}`).expect(200);
    const noReason = await approverPages
      .post(`/finance/payment-requests/${requestId}/reject`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: ' ' });
    expect([noReason.status, errorSummary(noReason.text)]).toEqual([400, expect.stringContaining('Say why the payment request is rejected')]);
    await approverPages
      .post(`/finance/payment-requests/${requestId}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const approved = await approverPages.get(`/finance/payment-requests/${requestId}`).expect(200);
    expect(approved.text).toContain('Approved');
    const list = await approverPages.get('/finance/payment-requests?status=approved').expect(200);
    expect(list.text).toContain(requestId);
  });

  it('lets a fund manager change a grant’s schedule, with a reason, until a payment is asked for', async () => {
    const [app] = await t.dataSource.query(
      `SELECT a.id FROM application a WHERE a.status = 'eligible' AND NOT EXISTS (SELECT 1 FROM "grant" g WHERE g.application_id = a.id) LIMIT 1`,
    );
    const [d] = await t.dataSource.query(`SELECT id FROM pcc_decision WHERE title = 'Budget'`);
    const grant = (await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: app.id, amountPence: 900_00 }).expect(201)).body;
    const put = (body: object) => request(t.http).put(`/api/v1/grants/${grant.id}/schedule`).set(bearer(manager.token)).send(body);
    const twoParts = [
      { amountPence: 300_00, trigger: 'acceptance' },
      { amountPence: 600_00, trigger: 'monitoring_report', reportMonths: 6 },
    ];
    expect((await put({ instalments: twoParts, reason: 'Larger than usual' })).body.error).toBe('payments.not_scheduled'); // not accepted yet
    const owner = await createUser(t);
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2, 'owner' FROM application WHERE id = $1`,
      [app.id, owner.id],
    );
    await api(await tokenFor(t, owner))
      .post(`/grants/${grant.id}/accept`, { fullName: 'Group Treasurer', declaration: true })
      .expect(200);
    const bad = await Promise.all([
      put({ instalments: [{ amountPence: 800_00, trigger: 'acceptance' }], reason: 'x' }),
      put({ instalments: twoParts, reason: ' ' }),
      put({
        instalments: [
          { amountPence: 300_00, trigger: 'acceptance' },
          { amountPence: 600_00, trigger: 'monitoring_report' },
        ],
        reason: 'x',
      }),
      put({ instalments: [], reason: 'x' }),
    ]);
    expect(bad.map((b) => [b.status, b.body.details?.[0]?.field])).toEqual([
      [400, 'instalments'],
      [400, 'reason'],
      [400, 'instalments.1.reportMonths'],
      [400, 'instalments'],
    ]);
    const changed = (await put({ instalments: twoParts, reason: 'Larger than usual: half on the six-month report' }).expect(200)).body;
    expect(changed.instalments.map((i: { amountPence: number; status: string }) => `${i.amountPence}:${i.status}`)).toEqual(['30000:due', '60000:scheduled']);
    expect((await api(officer.token).post(`/grants/${grant.id}/schedule`)).status).toBe(404); // only PUT
    await api(officer.token).post(`/instalments/${changed.instalments[0].id}/payment-requests`).expect(201);
    expect((await put({ instalments: [{ amountPence: 900_00, trigger: 'acceptance' }], reason: 'Pay it all now' })).body.error).toBe(
      'payments.schedule_started',
    );
    const [audit] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'payments.schedule_changed' AND after->>'grantId' = $1`, [grant.id]);
    expect(audit.after).toMatchObject({ instalments: [300_00, 600_00], reason: 'Larger than usual: half on the six-month report' });
  });
});
