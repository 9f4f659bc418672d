import { createUser, csrfFrom, signIn, tokenFor } from '../support/identity';
import { errorSummary } from './identity-support';
import { type AcceptedGrant, apiAs, paymentsFixture, type Staff } from '../support/payments';
import { staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 12, variations: the organisation or a fund manager proposes a change of an accepted
 * grant's award, end date or purpose; a fund manager approves (an increase above the threshold
 * only with an approved Commissioner's decision) or rejects it with comments. Numbered 1, 2, …
 * per grant; the award, its budget commitment and its instalments change in one transaction, with
 * the budget checked as allocation checks it and never below what has been paid.
 */
describe('grant variations (issue 12)', () => {
  // £500, so the tests' small grants can cross it.
  const THRESHOLD = 500_00;
  let t: TestApp;
  let officer: Staff;
  let officer2: Staff;
  let approver: Staff;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;
  let fm: ReturnType<typeof apiAs>;

  const propose = (g: AcceptedGrant, body: object, token = g.owner.token) => apiAs(t, token).post(`/grants/${g.grantId}/variations`, body);
  const grantRow = async (id: string) =>
    (await t.dataSource.query(`SELECT amount_pence::int AS amount, ends_on::text AS ends_on, purpose, commitment_id FROM "grant" WHERE id = $1`, [id]))[0] as {
      amount: number;
      ends_on: string | null;
      purpose: string | null;
      commitment_id: string;
    };
  const committed = async (g: AcceptedGrant) =>
    (await t.dataSource.query(`SELECT amount_pence::int AS n FROM budget_commitment WHERE id = $1`, [(await grantRow(g.grantId)).commitment_id]))[0]
      .n as number;
  const instalments = (g: AcceptedGrant) =>
    t.dataSource.query<{ seq: number; amount: number; status: string; trigger: string }[]>(
      `SELECT seq, amount_pence::int AS amount, status, trigger FROM instalment WHERE grant_id = $1 ORDER BY seq`,
      [g.grantId],
    );
  const pay = async (g: AcceptedGrant, instalmentId: string) => {
    const r = (await apiAs(t, officer.token).post(`/instalments/${instalmentId}/payment-requests`).expect(201)).body;
    await apiAs(t, approver.token).post(`/payment-requests/${r.id}/approve`).expect(200);
    const run = (
      await apiAs(t, officer.token)
        .post('/payment-runs', { requestIds: [r.id] })
        .expect(201)
    ).body;
    await apiAs(t, officer.token)
      .post(`/payment-runs/${run.id}/results`, { results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn: '2026-01-05', bankReference: 'BANK-1' }] })
      .expect(200);
  };
  const withBankDetails = async (g: AcceptedGrant) => {
    await apiAs(t, g.owner.token)
      .put(`/organisations/${g.organisationId}/bank-details`, { accountName: 'Hope Community Group', sortCode: '309430', accountNumber: '00733445' })
      .expect(200);
    await apiAs(t, officer2.token)
      .post(`/organisations/${g.organisationId}/bank-details/verification`, {
        method: 'call_back_known_number',
        verifiedWith: 'The treasurer, on the number from the application',
        verifiedAt: new Date(Date.now() - 60_000).toISOString(),
      })
      .expect(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { VARIATION_DECISION_THRESHOLD_PENCE: String(THRESHOLD) } });
    officer = await staffMember(t, 'finance_officer');
    officer2 = await staffMember(t, 'finance_officer');
    approver = await staffMember(t, 'finance_approver');
    fx = await paymentsFixture(t, { budgetPence: 20_000_00, applications: 14 });
    fm = apiAs(t, fx.manager.token);
  });
  afterAll(() => t.close());

  it('numbers each grant’s variations 1, 2, 3 in order, apart from other grants’, and without gaps or repeats when 20 are proposed at once', async () => {
    const a = await fx.acceptGrant(1_000_00);
    const b = await fx.acceptGrant(1_000_00);
    const first = (await propose(a, { newPurpose: 'Sessions in Aston as well as Lozells', reason: 'Demand grew' }).expect(201)).body;
    const second = (await propose(a, { newEndsOn: '2099-03-31', reason: 'The venue closed for a month' }, fx.manager.token).expect(201)).body;
    const other = (await propose(b, { newAmountPence: 900_00, reason: 'Spent less' }).expect(201)).body;
    const third = (await propose(a, { newAmountPence: 1_100_00, reason: 'Another group joined' }).expect(201)).body;
    expect([first.number, second.number, third.number, other.number]).toEqual([1, 2, 3, 1]);
    expect(first).toMatchObject({
      status: 'proposed',
      amountBeforePence: 1_000_00,
      amountAfterPence: null,
      newPurpose: 'Sessions in Aston as well as Lozells',
    });
    expect(second).toMatchObject({ proposedBy: fx.manager.id, newEndsOn: '2099-03-31' });
    // Whoever proposed it does not decide it: another fund manager must (and the database says so too).
    const own = await fm.post(`/variations/${second.id}/approve`, {});
    expect([own.status, own.body.error]).toEqual([403, 'grants.own_variation']);
    expect((await fm.post(`/variations/${second.id}/reject`, { comments: 'Mine' })).body.error).toBe('grants.own_variation');
    await expect(
      t.dataSource.query(
        `UPDATE grant_variation SET status = 'rejected', decided_by = proposed_by, decided_at = now(), decision_comments = 'x' WHERE id = $1`,
        [second.id],
      ),
    ).rejects.toThrow(/CHK_grant_variation_not_own/);
    await apiAs(t, (await staffMember(t, 'fund_manager')).token)
      .post(`/variations/${second.id}/approve`, {})
      .expect(200);

    const c = await fx.acceptGrant(1_000_00);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => propose(c, { newPurpose: `Purpose ${i}`, reason: `Race ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(results.map((r) => r.body.number as number).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const listed = (await apiAs(t, c.owner.token).get(`/grants/${c.grantId}/variations`).expect(200)).body.variations;
    expect(listed.map((v: { number: number }) => v.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('approves an increase within the threshold: the award, the commitment, the ledger and a new instalment due at once, in one go', async () => {
    const g = await fx.acceptGrant(1_000_00);
    const ledgerBefore = (await fm.get(`/rounds/${fx.round.id}/ledger`).expect(200)).body.round;
    const v = (await propose(g, { newAmountPence: 1_400_00, reason: 'A second venue' }).expect(201)).body;
    const approved = (await fm.post(`/variations/${v.id}/approve`, { comments: 'Agreed at the panel' }).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', amountBeforePence: 1_000_00, amountAfterPence: 1_400_00, decidedBy: fx.manager.id, decisionId: null });
    expect((await grantRow(g.grantId)).amount).toBe(1_400_00);
    expect(await committed(g)).toBe(1_400_00);
    expect(await instalments(g)).toEqual([
      { seq: 1, amount: 1_000_00, status: 'due', trigger: 'acceptance' },
      { seq: 2, amount: 400_00, status: 'due', trigger: 'acceptance' },
    ]);
    const ledgerAfter = (await fm.get(`/rounds/${fx.round.id}/ledger`).expect(200)).body.round;
    expect(ledgerAfter.committedPence - ledgerBefore.committedPence).toBe(400_00);
    expect(ledgerAfter.availablePence - ledgerBefore.availablePence).toBe(-400_00);
    expect((await apiAs(t, g.owner.token).get(`/grants/${g.grantId}`).expect(200)).body.amountPence).toBe(1_400_00);
    const emails = await t.dataSource.query(`SELECT to_address FROM notification_outbox WHERE template = 'variation-approved' AND idempotency_key LIKE $1`, [
      `variation-approved:${v.id}:%`,
    ]);
    // The organisation's owners and its contact address.
    expect(emails.map((e: { to_address: string }) => e.to_address)).toContain(g.owner.email);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE entity_id = $1 AND action IN ('grant.variation_approved', 'allocation.commitment_changed', 'payments.reshaped')`,
      [g.applicationId],
    );
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual(['allocation.commitment_changed', 'grant.variation_approved', 'payments.reshaped']);
    // Decided is final: neither a second approval nor a rejection, and the database refuses an edit.
    expect((await fm.post(`/variations/${v.id}/approve`, {})).body.error).toBe('grants.variation_decided');
    expect((await fm.post(`/variations/${v.id}/reject`, { comments: 'Changed my mind' })).body.error).toBe('grants.variation_decided');
    await expect(t.dataSource.query(`UPDATE grant_variation SET reason = 'edited' WHERE id = $1`, [v.id])).rejects.toThrow(/cannot be changed/);
    await expect(t.dataSource.query(`DELETE FROM grant_variation WHERE id = $1`, [v.id])).rejects.toThrow(/never deleted/);
  });

  it('refuses an increase above the threshold without an approved Commissioner’s decision, and approves it with one', async () => {
    const g = await fx.acceptGrant(1_000_00);
    const v = (await propose(g, { newAmountPence: 2_000_00, reason: 'The project doubled' }).expect(201)).body;
    const without = await fm.post(`/variations/${v.id}/approve`, {});
    expect(without.status).toBe(409);
    expect(without.body).toMatchObject({ error: 'grants.decision_required', details: [{ field: 'decisionId', rule: 'approvedDecision' }] });
    const draft = (await fm.post('/decisions', { title: 'Variation to a grant', summary: 'To increase the grant' }).expect(201)).body;
    expect((await fm.post(`/variations/${v.id}/approve`, { decisionId: draft.id })).body.error).toBe('grants.decision_required');
    expect((await grantRow(g.grantId)).amount).toBe(1_000_00);
    expect(await committed(g)).toBe(1_000_00);
    expect((await instalments(g)).length).toBe(1);

    const ok = (await fm.post(`/variations/${v.id}/approve`, { decisionId: fx.decision.id }).expect(200)).body;
    expect(ok).toMatchObject({ status: 'approved', decisionId: fx.decision.id, amountAfterPence: 2_000_00 });
    expect(await committed(g)).toBe(2_000_00);
  });

  it('refuses an increase the ring-fence or the round has no room for, naming the rule, and changes nothing', async () => {
    const small = await paymentsFixture(t, {
      programmeId: fx.programmeId,
      budgetPence: 5_000_00,
      ringFences: [{ name: 'Victims of hate crime', amountPence: 1_000_00, category: 'hate_crime' }],
      categories: ['hate_crime', 'other'],
      applications: 6,
    });
    const fenced = await small.acceptGrant(800_00, { category: 'hate_crime' });
    // The general pot (£4,000) has £1,000 left, the round £1,200.
    const general = await small.acceptGrant(1_250_00, { category: 'other' });
    await small.acceptGrant(1_750_00, { category: 'other' });
    const sm = apiAs(t, small.manager.token);
    const v1 = (await propose(fenced, { newAmountPence: 1_100_00, reason: 'More sessions' }).expect(201)).body;
    const r1 = await sm.post(`/variations/${v1.id}/approve`, {});
    expect(r1.status).toBe(409);
    expect(r1.body.error).toBe('allocation.over_budget');
    expect(r1.body.details).toEqual([expect.objectContaining({ field: 'newAmountPence', rule: 'withinRingFence' })]);
    const v2 = (await propose(general, { newAmountPence: 2_550_00, reason: 'More sessions' }).expect(201)).body;
    // Above the threshold too, so with the Commissioner's decision: the budget still refuses it.
    const r2 = await sm.post(`/variations/${v2.id}/approve`, { decisionId: small.decision.id });
    expect(r2.body.error).toBe('allocation.over_budget');
    expect(r2.body.details.map((d: { rule: string }) => d.rule)).toEqual(['withinBudget', 'withinGeneralPot']);
    for (const [g, amount] of [
      [fenced, 800_00],
      [general, 1_250_00],
    ] as const) {
      expect((await grantRow(g.grantId)).amount).toBe(amount);
      expect(await committed(g)).toBe(amount);
      expect((await instalments(g)).map((i) => i.amount)).toEqual([amount]);
    }
    const states = await t.dataSource.query(`SELECT status FROM grant_variation WHERE id IN ($1, $2)`, [v1.id, v2.id]);
    expect(states.map((s: { status: string }) => s.status)).toEqual(['proposed', 'proposed']);
    // Within the ring-fence's room it goes through.
    const v3 = (await propose(fenced, { newAmountPence: 1_000_00, reason: 'Some more sessions' }).expect(201)).body;
    await sm.post(`/variations/${v3.id}/approve`, {}).expect(200);
    expect(await committed(fenced)).toBe(1_000_00);
  });

  it('refuses a decrease below what has been paid, and takes a decrease off the unpaid instalments from the last backwards', async () => {
    const half = await paymentsFixture(t, {
      programmeId: fx.programmeId,
      budgetPence: 20_000_00,
      paymentSchedule: [
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report', reportMonths: 6 },
      ],
      applications: 4,
    });
    const g = await half.acceptGrant(1_200_00);
    await withBankDetails(g);
    await pay(g, g.instalmentIds[0]); // £600 paid
    const hm = apiAs(t, half.manager.token);
    const tooLow = (await propose(g, { newAmountPence: 500_00, reason: 'Spent less' }).expect(201)).body;
    const refused = await hm.post(`/variations/${tooLow.id}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'payments.below_paid', details: [{ field: 'newAmountPence', rule: 'notBelowPaid' }] });
    expect((await grantRow(g.grantId)).amount).toBe(1_200_00);
    expect(await committed(g)).toBe(1_200_00);
    expect((await instalments(g)).map((i) => i.amount)).toEqual([600_00, 600_00]);

    const down = (await propose(g, { newAmountPence: 800_00, reason: 'Spent less' }).expect(201)).body;
    await hm.post(`/variations/${down.id}/approve`, {}).expect(200);
    expect(await instalments(g)).toEqual([
      { seq: 1, amount: 600_00, status: 'paid', trigger: 'acceptance' },
      { seq: 2, amount: 200_00, status: 'scheduled', trigger: 'monitoring_report' },
    ]);
    expect(await committed(g)).toBe(800_00);
    // Down to exactly what was paid: the unpaid instalment goes.
    const toPaid = (await propose(g, { newAmountPence: 600_00, reason: 'Project ended early' }).expect(201)).body;
    await hm.post(`/variations/${toPaid.id}/approve`, {}).expect(200);
    expect((await instalments(g)).map((i) => [i.seq, i.amount])).toEqual([[1, 600_00]]);
    expect((await grantRow(g.grantId)).amount).toBe(600_00);
  });

  it('changes the end date and the purpose, shown on the grant', async () => {
    const g = await fx.acceptGrant(500_00);
    const before = (await apiAs(t, g.owner.token).get(`/grants/${g.grantId}`).expect(200)).body;
    expect(before.purpose).toBeNull();
    const v = (await propose(g, { newEndsOn: '2099-06-30', newPurpose: 'Peer support in Coventry instead', reason: 'The partner moved' }).expect(201)).body;
    await fm.post(`/variations/${v.id}/approve`, {}).expect(200);
    const after = (await apiAs(t, g.owner.token).get(`/grants/${g.grantId}`).expect(200)).body;
    expect(after).toMatchObject({ endsOn: '2099-06-30', purpose: 'Peer support in Coventry instead', amountPence: 500_00, startsOn: before.startsOn });
    expect(await instalments(g)).toHaveLength(1);
    // The same date again is no change.
    const same = await propose(g, { newEndsOn: '2099-06-30', reason: 'Again' });
    expect(same.status).toBe(400);
    expect(same.body.details).toEqual([expect.objectContaining({ field: 'newEndsOn', rule: 'changed' })]);
    const past = await propose(g, { newEndsOn: '2001-01-01', reason: 'Past' });
    expect(past.body.details).toEqual([expect.objectContaining({ field: 'newEndsOn', rule: 'afterStart' })]);
  });

  it('rejects with comments, which the grant holder is told, and leaves the grant as it was', async () => {
    const g = await fx.acceptGrant(700_00);
    const v = (await propose(g, { newAmountPence: 800_00, reason: 'Prices rose' }).expect(201)).body;
    const noComments = await fm.post(`/variations/${v.id}/reject`, { comments: '   ' });
    expect(noComments.status).toBe(400);
    expect(noComments.body.details[0]).toMatchObject({ field: 'comments', rule: 'required' });
    const rejected = (await fm.post(`/variations/${v.id}/reject`, { comments: 'Please use the contingency line first' }).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'rejected', decisionComments: 'Please use the contingency line first', amountAfterPence: null });
    expect((await grantRow(g.grantId)).amount).toBe(700_00);
    expect(await committed(g)).toBe(700_00);
    const [email] = await t.dataSource.query(`SELECT text_body FROM notification_outbox WHERE idempotency_key = $1`, [
      `variation-rejected:${v.id}:${g.owner.email}`,
    ]);
    expect(email.text_body).toContain('Please use the contingency line first');
    const staffList = (await fm.get('/variations?status=rejected').expect(200)).body;
    expect(staffList.items.some((i: { id: string }) => i.id === v.id)).toBe(true);
    expect(staffList).toMatchObject({ limit: 50, page: 1 });
  });

  it('refuses someone else’s grant as not found, staff who only read, and a grant that is not accepted', async () => {
    const g = await fx.acceptGrant(600_00);
    const stranger = await createUser(t);
    const strangerToken = await tokenFor(t, stranger);
    const r = await propose(g, { newPurpose: 'Mine now', reason: 'Fraud' }, strangerToken);
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('grants.not_found');
    expect((await apiAs(t, strangerToken).get(`/grants/${g.grantId}/variations`)).body.error).toBe('grants.not_found');
    expect((await propose(g, { newPurpose: 'Finance says', reason: 'No' }, officer.token)).status).toBe(403);
    // A member who is not an owner may propose too.
    const member = await createUser(t);
    await t.dataSource.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [g.organisationId, member.id]);
    await propose(g, { newPurpose: 'Also Saturdays', reason: 'Asked by families' }, await tokenFor(t, member)).expect(201);
    // An offer not yet accepted cannot be varied.
    const app = (
      await t.dataSource.query(
        `SELECT id FROM application WHERE round_id = $1 AND status = 'eligible' AND id NOT IN (SELECT application_id FROM "grant") ORDER BY reference DESC LIMIT 1`,
        [fx.round.id],
      )
    )[0];
    const offer = (await fm.post(`/decisions/${fx.decision.id}/delegated-awards`, { applicationId: app.id, amountPence: 100_00 }).expect(201)).body;
    const notAccepted = await fm.post(`/grants/${offer.id}/variations`, { newPurpose: 'Early', reason: 'Too soon' });
    expect(notAccepted.status).toBe(409);
    expect(notAccepted.body.error).toBe('grants.not_accepted');
  });

  it('refuses bad input with a 400 naming the field, and saves nothing', async () => {
    const g = await fx.acceptGrant(400_00);
    const cases: [object, string, string][] = [
      [{ newAmountPence: -5, reason: 'x' }, 'newAmountPence', 'min'],
      [{ newAmountPence: 100.5, reason: 'x' }, 'newAmountPence', 'isInt'],
      [{ reason: 'Nothing to change' }, 'newAmountPence', 'oneChange'],
      [{ newPurpose: '   ', reason: 'Blank purpose' }, 'newAmountPence', 'oneChange'],
      [{ newPurpose: 'A purpose', reason: '' }, 'reason', 'isNotEmpty'],
      [{ newPurpose: 'A purpose', reason: '   ' }, 'reason', 'required'],
      [{ newEndsOn: '2099-02-30', reason: 'x' }, 'newEndsOn', 'isCalendarDay'],
      [{ newAmountPence: 400_00, reason: 'Same' }, 'newAmountPence', 'changed'],
      [{ newPurpose: 'A purpose', reason: 'x', extra: 1 }, 'extra', 'whitelistValidation'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await propose(g, body);
      expect([res.status, body]).toEqual([400, body]);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM grant_variation WHERE grant_id = $1`, [g.grantId]))[0].n).toBe(0);
    const other = await staffMember(t, 'fund_manager');
    expect((await apiAs(t, other.token).post(`/variations/00000000-0000-4000-8000-000000000000/approve`, {})).body.error).toBe('grants.variation_not_found');
    expect((await apiAs(t, other.token).post(`/variations/not-a-uuid/approve`, {})).status).toBe(400);
  });

  it('lets the grant holder ask from the grant’s page, with problems next to the questions, and a fund manager decide from theirs', async () => {
    const g = await fx.acceptGrant(300_00);
    const holder = await signIn(t, g.owner);
    const grantPage = await holder.get(`/grants/${g.grantId}`).expect(200);
    expect(grantPage.text).toContain(`/grants/${g.grantId}/variations/new`);
    const form = await holder.get(`/grants/${g.grantId}/variations/new`).expect(200);
    const post = (fields: object) =>
      holder
        .post(`/grants/${g.grantId}/variations`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ...fields });
    const nothing = await post({ newAmount: '', 'newEndsOn-day': '', 'newEndsOn-month': '', 'newEndsOn-year': '', newPurpose: '', reason: '' });
    expect(nothing.status).toBe(400);
    expect(errorSummary(nothing.text)).toContain('Enter a new amount, a new end date or a new purpose');
    expect(errorSummary(nothing.text)).toContain('Enter why the grant should change');
    const badDate = await post({ newAmount: '12x', 'newEndsOn-day': '31', 'newEndsOn-month': '2', 'newEndsOn-year': '2099', reason: 'More' });
    expect(badDate.status).toBe(400);
    expect(errorSummary(badDate.text)).toContain('in pounds');
    expect(badDate.text).toContain('href="#newEndsOn-day"');
    await post({ newAmount: '350', 'newEndsOn-day': '30', 'newEndsOn-month': '6', 'newEndsOn-year': '2099', reason: 'A longer project' }).expect(303);
    const [v] = await t.dataSource.query(
      `SELECT id, number, new_amount_pence::int AS amount, new_ends_on::text AS ends FROM grant_variation WHERE grant_id = $1`,
      [g.grantId],
    );
    expect(v).toMatchObject({ number: 1, amount: 350_00, ends: '2099-06-30' });
    expect((await holder.get(`/grants/${g.grantId}`).expect(200)).text).toContain('Waiting for a decision');

    const staff = await signIn(t, fx.manager);
    const dashboard = (await staff.get('/staff').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(dashboard).toContain('Grant variations to decide');
    const list = await staff.get('/staff/variations?status=proposed').expect(200);
    expect(list.text).toContain(`/staff/variations/${v.id}?returnTo=`);
    expect((await staff.get('/staff/variations?status=maybe')).status).toBe(400);
    const review = await staff.get(`/staff/variations/${v.id}`).expect(200);
    expect(review.text).toContain('£300 to £350');
    const noComments = await staff
      .post(`/staff/variations/${v.id}/reject`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), rejectComments: '' });
    expect([noComments.status, errorSummary(noComments.text)]).toEqual([400, expect.stringContaining('Enter why the variation is rejected')]);
    await staff
      .post(`/staff/variations/${v.id}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), decisionId: '', comments: 'Fine' })
      .expect(303);
    const page = (await holder.get(`/grants/${g.grantId}`).expect(200)).text;
    expect(page).toContain('Approved');
    expect(page).toContain('30 June 2099 (varied)');
    const again = await staff
      .post(`/staff/variations/${v.id}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text) });
    expect([again.status, errorSummary(again.text)]).toEqual([409, expect.stringContaining('has already been approved')]);
  });
});
