import request from 'supertest';
import { seedRoundApplications } from '../support/application-lists';
import { COVENTRY, DUDLEY, bearer, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { createUser, csrfFrom, signIn, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary } from './identity-support';

/*
 * Issue 11's delegated awards and forward plan, as the Active Citizens Fund works: one budget
 * decision ("Active Citizens Budget") sets a delegated budget and the largest award; once the
 * Commissioner approves it, fund managers offer small grants under it, each naming it, within its
 * budget even when 40 are made at once, from the application's area ring-fence while that has
 * room; a decline gives its money back. Until it is made, the decision is on the public forward
 * plan (a confidential one never is).
 */
describe('delegated awards and the forward plan (issue 11)', () => {
  let t: TestApp;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let commissioner: Awaited<ReturnType<typeof staffMember>>;
  let roundId: string;
  let eligible: { id: string; reference: string; area: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    const programmeId = (await seedFunds(t)).ACF;
    manager = await staffMember(t, 'fund_manager');
    commissioner = await staffMember(t, 'commissioner');
    const round = await createPublishedRound(
      t,
      manager,
      roundBody(programmeId, {
        totalBudgetPence: 50_000_00,
        maxGrantPence: 10_000_00,
        ringFences: [{ name: 'Coventry share', amountPence: 2_000_00, areaOnsCode: COVENTRY }],
      }),
    );
    roundId = round.id;
    await seedRoundApplications(t.dataSource, {
      roundId,
      prefix: round.referencePrefix,
      n: 60,
      createdBy: manager.id,
      categories: ['other'],
      tag: round.referencePrefix,
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [roundId]);
    await t.dataSource.query(
      `UPDATE organisation o SET area_ons_code = CASE WHEN a.reference_seq % 2 = 0 THEN $2 ELSE $3 END FROM application a
        WHERE a.organisation_id = o.id AND a.round_id = $1 AND a.reference_seq IS NOT NULL`,
      [roundId, COVENTRY, DUDLEY],
    );
    eligible = await t.dataSource.query(
      `SELECT a.id, a.reference, o.area_ons_code AS area FROM application a JOIN organisation o ON o.id = a.organisation_id
        WHERE a.round_id = $1 AND a.status = 'eligible' ORDER BY a.reference`,
      [roundId],
    );
  });
  afterAll(() => t.close());

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
  });
  const budgetDecision = (overrides: object = {}) => ({
    title: 'Active Citizens Budget',
    summary: 'To approve the Active Citizens Fund budget and delegate small awards to the fund managers.',
    delegatedRoundId: roundId,
    delegatedBudgetPence: 5_000_00,
    delegatedAwardLimitPence: 2_000_00,
    ...overrides,
  });
  const nextMonth = () => {
    const d = new Date();
    const n = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 1));
    return n.toISOString().slice(0, 7);
  };

  it('keeps a budget decision within its delegation, even when fund managers award at once', async () => {
    const bad = await Promise.all([
      api(manager.token).post('/decisions', budgetDecision({ delegatedAwardLimitPence: undefined })),
      api(manager.token).post('/decisions', budgetDecision({ delegatedAwardLimitPence: 6_000_00 })),
      api(manager.token).post('/decisions', budgetDecision({ delegatedRoundId: '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e' })),
      api(manager.token).post('/decisions', budgetDecision({ delegatedBudgetPence: 60_000_00, delegatedAwardLimitPence: 100 })),
      api(manager.token).post('/decisions', budgetDecision({ expectedMonth: '2027-13' })),
    ]);
    expect(bad.map((b) => [b.status, b.body.details?.[0]?.field])).toEqual([
      [400, 'delegatedAwardLimitPence'],
      [400, 'delegatedAwardLimitPence'],
      [400, 'delegatedRoundId'],
      [400, 'delegatedBudgetPence'],
      [400, 'expectedMonth'],
    ]);

    // On the forward plan while it is prepared; a confidential one and a past month never are.
    const d = (
      await api(manager.token)
        .post('/decisions', budgetDecision({ expectedMonth: nextMonth() }))
        .expect(201)
    ).body;
    await api(manager.token)
      .post('/decisions', { title: 'Secret plan', summary: 'x', confidential: true, confidentialSubject: 'the estate', expectedMonth: nextMonth() })
      .expect(201);
    await api(manager.token).post('/decisions', { title: 'Long ago', summary: 'x', expectedMonth: '2020-01' }).expect(201);
    const plan = (await request(t.http).get('/api/v1/forward-plan').expect(200)).body;
    expect(plan.items).toEqual([{ number: d.number, title: 'Active Citizens Budget', expectedMonth: nextMonth(), stage: 'being prepared' }]);
    const planPage = await request(t.http).get('/decisions/forward-plan').expect(200);
    expect(planPage.text).toContain('Active Citizens Budget');
    expect(planPage.text).not.toContain('Secret plan');

    // Nothing can be awarded until the Commissioner approves it; then it leaves the forward plan.
    const first = eligible[0];
    expect((await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: first.id, amountPence: 1_000_00 })).body.error).toBe(
      'decisions.not_delegating',
    );
    await api(manager.token).post(`/decisions/${d.id}/submit`).expect(200);
    expect((await request(t.http).get('/api/v1/forward-plan').expect(200)).body.items[0].stage).toBe('with the Commissioner');
    await api(commissioner.token).post(`/decisions/${d.id}/approve`).expect(200);
    expect((await request(t.http).get('/api/v1/forward-plan').expect(200)).body.items).toEqual([]);

    // The limit, the request, eligibility.
    const refused = await Promise.all([
      api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: first.id, amountPence: 2_000_01 }),
      api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: first.id, amountPence: 0 }),
    ]);
    expect(refused.map((r) => [r.status, r.body.details?.[0]?.field, r.body.details?.[0]?.rule])).toEqual([
      [400, 'amountPence', 'withinLimit'],
      [400, 'amountPence', 'min'],
    ]);
    const [draft] = await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 AND status = 'draft' LIMIT 1`, [roundId]);
    expect((await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: draft.id, amountPence: 100_00 })).body.error).toBe(
      'grants.not_awardable',
    );

    // 40 awards of £1,000 at once against a £5,000 delegated budget: exactly five are offered.
    const answers = await Promise.all(
      eligible.slice(0, 40).map((a) => api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: a.id, amountPence: 1_000_00 })),
    );
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(5);
    for (const a of answers.filter((x) => x.status !== 201)) expect([a.status, a.body.error]).toEqual([409, 'grants.delegated_budget_spent']);
    for (const g of made) expect(g.body).toMatchObject({ decisionId: d.id, decisionNumber: d.number, status: 'offered' });
    // The first Coventry awards come from its £2,000 share, the rest from the general pot.
    const coventry = made.filter((g) => eligible.find((e) => e.id === g.body.applicationId)!.area === COVENTRY);
    expect(coventry.filter((g) => g.body.ringFence === 'Coventry share').length).toBe(Math.min(2, coventry.length));
    for (const g of made.filter((x) => eligible.find((e) => e.id === x.body.applicationId)!.area === DUDLEY)) expect(g.body.ringFence).toBeNull();
    const listed = (await api(manager.token).get(`/decisions/${d.id}/delegated-awards?limit=2`).expect(200)).body;
    expect(listed).toMatchObject({ total: 5, budgetPence: 5_000_00, usedPence: 5_000_00, availablePence: 0, awardLimitPence: 2_000_00 });
    expect(listed.items).toHaveLength(2);
    expect(
      (await api(manager.token).post(`/decisions/${d.id}/delegated-awards`, { applicationId: made[0].body.applicationId, amountPence: 100 })).body.error,
    ).toBe('grants.already_awarded');

    // A decline gives its money back to the delegation and the round; the page offers the next one.
    const owner = await createUser(t);
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2, 'owner' FROM application WHERE id = $1`,
      [made[0].body.applicationId, owner.id],
    );
    await api(await tokenFor(t, owner))
      .post(`/grants/${made[0].body.id}/decline`, { reason: 'We found other funding' })
      .expect(200);
    const fm = await signIn(t, manager);
    const page = await fm.get(`/staff/decisions/${d.id}/delegated-awards`).expect(200);
    expect(page.text).toContain('£1,000');
    const next = eligible.find((e) => !made.some((m) => m.body.applicationId === e.id))!;
    const tooBig = await fm
      .post(`/staff/decisions/${d.id}/delegated-awards`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reference: next.reference, amount: '1,500' });
    expect([tooBig.status, errorSummary(tooBig.text)]).toEqual([409, expect.stringContaining('Only £1,000 of the decision’s delegated budget is left')]);
    expect(tooBig.text).toMatch(/id="amount-error"/);
    const offered = await fm
      .post(`/staff/decisions/${d.id}/delegated-awards`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reference: next.reference.toLowerCase(), amount: '1,000' });
    expect([offered.status, offered.headers.location]).toEqual([303, `/staff/decisions/${d.id}/delegated-awards?awarded=${next.reference}`]);
    const after = (await api(manager.token).get(`/decisions/${d.id}/delegated-awards`).expect(200)).body;
    expect(after).toMatchObject({ total: 6, usedPence: 5_000_00 });
  });
});
