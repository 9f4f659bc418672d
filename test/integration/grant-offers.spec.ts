import { withdrawDemoVictimsFund6Decision } from '../support/demo';
import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { GrantsService } from '../../src/modules/grants/grants.service';
import { Clock } from '../../src/platform/clock';
import { bearer, staffMember } from '../support/rounds';
import { createUser, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { demoPassword } from '../support/database';

/*
 * Issue 11 from an allocation run to accepted grants, through the API, on the demo's assessed
 * Victims Fund 6: a run adjusted with a partial award, submitted into a decision record with its
 * awards, financial implications and declarations; the record completed, submitted and approved
 * by the Commissioner, which commits the money and offers each grant, tells the reserve list and
 * the unsuccessful (with released feedback); owners accept or decline; a decline's money goes to
 * the reserve list; an offer lapses; and the published record shows nothing confidential.
 */
const ANNEX = 'The supplier quoted a discount of 14% on condition it stays private';
const RESTRICTED = 'Legal advice from the force solicitor';

interface Award {
  applicationId: string;
  reference: string;
  outcome: string;
  amountPence: number;
  reservePosition: number | null;
}

describe('grant offers from an approved decision (issue 11)', () => {
  let t: TestApp;
  let clock: Clock;
  let fm: string;
  let commissioner: Awaited<ReturnType<typeof staffMember>>;
  let vf6: string;

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    await seedDemoData(t.app, undefined, demoPassword());
    const [manager] = await t.dataSource.query(`SELECT id, email FROM user_account WHERE email = 'fundmanager@example.org'`);
    fm = await tokenFor(t, { ...manager, password: demoPassword(), fullName: '' });
    commissioner = await staffMember(t, 'commissioner');
    [{ id: vf6 }] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 6'`);
    await withdrawDemoVictimsFund6Decision(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => clock.set(null));

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body: object = {}) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  });
  /** A token for the demo owner of the application's organisation. */
  async function ownerOf(applicationId: string): Promise<string> {
    const [u] = await t.dataSource.query(
      `SELECT u.id, u.email FROM application a JOIN organisation_membership m ON m.organisation_id = a.organisation_id AND m.role = 'owner'
        JOIN user_account u ON u.id = m.user_id WHERE a.id = $1 LIMIT 1`,
      [applicationId],
    );
    return tokenFor(t, { ...u, password: '', fullName: '' });
  }
  const outbox = (template: string) =>
    t.dataSource.query<{ to: string; subject: string; text: string }[]>(
      `SELECT to_address AS "to", subject, text_body AS text FROM notification_outbox WHERE template = $1 ORDER BY created_at`,
      [template],
    );

  it('takes a run to accepted grants, with the budget committed once and released on decline', async () => {
    // A run, then the fund manager's partial award on the top-ranked application, as a new run.
    const first = (await api(fm).post(`/rounds/${vf6}/allocation-runs`, { thresholdPercent: '40', unspentRingFences: 'release' }).expect(201)).body;
    const top: Award = first.awards.find((a: Award) => a.outcome === 'funded');
    const bad = await Promise.all([
      api(fm).post(`/allocation-runs/${first.id}/adjustments`, {
        adjustments: [{ applicationId: top.applicationId, amountPence: top.amountPence, reason: 'x' }],
      }),
      api(fm).post(`/allocation-runs/${first.id}/adjustments`, { adjustments: [{ applicationId: top.applicationId, amountPence: 0, reason: 'x' }] }),
      api(fm).post(`/allocation-runs/${first.id}/adjustments`, { adjustments: [{ applicationId: top.applicationId, amountPence: 100, reason: ' ' }] }),
      api(fm).post(`/allocation-runs/${first.id}/adjustments`, {
        adjustments: [{ applicationId: '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e', amountPence: 100, reason: 'x' }],
      }),
    ]);
    expect(bad.map((b) => [b.status, b.body.details?.[0]?.field])).toEqual([
      [400, 'adjustments.0.amountPence'],
      [400, 'adjustments.0.amountPence'],
      [400, 'adjustments.0.reason'],
      [400, 'adjustments.0.applicationId'],
    ]);
    const partial = top.amountPence - 1_000_00;
    const adjusted = (
      await api(fm)
        .post(`/allocation-runs/${first.id}/adjustments`, {
          adjustments: [{ applicationId: top.applicationId, amountPence: partial, reason: 'The volunteer expenses are funded by the council' }],
        })
        .expect(201)
    ).body;
    expect(adjusted.basedOnRunId).toBe(first.id);
    const topNow: Award & { reason: string } = adjusted.awards.find((a: Award) => a.applicationId === top.applicationId);
    expect(topNow).toMatchObject({ outcome: 'partly_funded', amountPence: partial });
    expect(topNow.reason).toContain('The volunteer expenses are funded by the council');

    // A released assessor comment on an unsuccessful application goes with its outcome.
    const unsuccessful: Award | undefined = adjusted.awards.find((a: Award) => a.outcome === 'not_funded');
    let releasedComment: string | null = null;
    // At a 40% threshold the demo's round has all three: funded, a reserve list and the unsuccessful.
    expect(new Set(adjusted.awards.map((a: Award) => a.outcome))).toEqual(new Set(['funded', 'partly_funded', 'reserve', 'not_funded']));
    {
      const [a] = await t.dataSource.query(`SELECT id, comment FROM assessment WHERE application_id = $1 AND status = 'submitted' LIMIT 1`, [
        unsuccessful!.applicationId,
      ]);
      await api(fm).post(`/assessments/${a.id}/feedback`, { released: true }).expect(200);
      releasedComment = a.comment;
    }

    // Submitting drafts the decision with the run's awards; a run goes forward once, a round has one live decision.
    const drafted = await api(fm).post(`/allocation-runs/${adjusted.id}/submit`, {});
    expect([drafted.status, drafted.body.error]).toEqual([201, undefined]);
    const d = drafted.body;
    expect(d).toMatchObject({ status: 'draft', roundId: vf6, title: 'Victims Fund 6: grant awards' });
    expect(d.financialImplications.totalPence).toBe(adjusted.committedPence);
    expect(d.financialImplications.pots.map((p: { name: string }) => p.name)).toEqual(['General pot', 'Victims of hate crime']);
    expect(d.awards).toHaveLength(adjusted.awards.length);
    expect(d.declarations.length).toBeGreaterThan(0);
    expect((await api(fm).post(`/allocation-runs/${adjusted.id}/submit`)).body.error).toBe('allocation.already_submitted');
    expect((await api(fm).post(`/allocation-runs/${first.id}/submit`)).body.error).toBe('decisions.round_has_decision');

    // The fund manager completes the record; a confidential annex needs its recorded reasons.
    const content = {
      title: d.title,
      summary: d.summary,
      background: 'Victims Fund 6 opened in March for services to victims of crime.',
      implications: { legal: 'The Commissioner may award grants under s.143 of the Anti-social Behaviour, Crime and Policing Act 2014.', risk: 'Low' },
      reasons: 'The panel’s scores and the ring-fence policy.',
      backgroundPapers: [
        { title: 'Victims Fund 6 assessment report', public: true },
        { title: RESTRICTED, public: false },
      ],
      confidentialAnnex: ANNEX,
    };
    const noReason = await api(fm).put(`/decision-records/${d.id}`, content);
    expect([noReason.status, noReason.body.details.map((x: { field: string }) => x.field)]).toEqual([400, ['annexExemption', 'annexPublicInterest']]);
    await api(fm)
      .put(`/decision-records/${d.id}`, {
        ...content,
        annexExemption: 'Section 43 (commercial interests)',
        annexPublicInterest: 'Disclosure would prejudice future tenders',
      })
      .expect(200);
    await api(fm).post(`/decisions/${d.id}/submit`).expect(200);
    expect((await api(fm).put(`/decision-records/${d.id}`, content)).body.error).toBe('decisions.wrong_state');

    // Approval offers every award, committing its money: the round's budget says so, to the penny.
    await api(commissioner.token).post(`/decisions/${d.id}/approve`).expect(200);
    const grants: { id: string; application_id: string; amount_pence: string; status: string }[] = await t.dataSource.query(
      `SELECT id, application_id, amount_pence, status FROM "grant" WHERE decision_id = $1 ORDER BY offered_at, id`,
      [d.id],
    );
    const funded = adjusted.awards.filter((a: Award) => a.amountPence > 0);
    expect(grants.map((g) => g.application_id).sort()).toEqual(funded.map((a: Award) => a.applicationId).sort());
    const budget = (await api(fm).get(`/rounds/${vf6}/budget`).expect(200)).body;
    expect(budget.committedPence).toBe(adjusted.committedPence);
    expect(budget.committedPence).toBeLessThanOrEqual(budget.budgetPence);
    for (const f of budget.ringFences) expect(f.committedPence).toBeLessThanOrEqual(f.amountPence);
    const offers = await outbox('grant-offer');
    expect(offers.length).toBeGreaterThanOrEqual(funded.length);
    expect(offers.some((o) => o.text.includes('The volunteer expenses are funded by the council'))).toBe(true);
    const reserves = adjusted.awards.filter((a: Award) => a.outcome === 'reserve');
    expect((await outbox('grant-reserve')).length).toBeGreaterThanOrEqual(reserves.length);
    expect((await outbox('grant-unsuccessful')).some((m) => m.text.includes(releasedComment!.split('\n')[0]))).toBe(true);

    // The owner sees the offer; a stranger does not; a member who is not an owner cannot accept.
    const topGrant = grants.find((g) => g.application_id === top.applicationId)!;
    const owner = await ownerOf(top.applicationId);
    const offer = (await api(owner).get(`/grants/${topGrant.id}`).expect(200)).body;
    expect(offer).toMatchObject({ status: 'offered', amountPence: partial, canRespond: true, decisionNumber: d.number });
    expect(offer.endsOn > offer.startsOn).toBe(true);
    const stranger = await tokenFor(t, await createUser(t));
    expect((await api(stranger).get(`/grants/${topGrant.id}`)).status).toBe(404);
    expect((await api(stranger).post(`/grants/${topGrant.id}/accept`, { fullName: 'A Stranger', declaration: true })).status).toBe(404);
    const member = await createUser(t);
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2, 'member' FROM application WHERE id = $1`,
      [top.applicationId, member.id],
    );
    const memberToken = await tokenFor(t, member);
    expect((await api(memberToken).get(`/grants/${topGrant.id}`)).body.canRespond).toBe(false);
    expect((await api(memberToken).post(`/grants/${topGrant.id}/accept`, { fullName: 'A Member', declaration: true })).body.error).toBe('grants.not_owner');

    // Accepting needs the declaration and a name; then it is recorded once.
    const noDeclaration = await api(owner).post(`/grants/${topGrant.id}/accept`, { fullName: 'Amina Hussain' });
    expect([noDeclaration.status, noDeclaration.body.details[0].field]).toEqual([400, 'declaration']);
    const accepted = (await api(owner).post(`/grants/${topGrant.id}/accept`, { fullName: ' Amina Hussain ', declaration: true }).expect(200)).body;
    expect(accepted).toMatchObject({ status: 'accepted', acceptedName: 'Amina Hussain', canRespond: false });
    expect((await api(owner).post(`/grants/${topGrant.id}/accept`, { fullName: 'Amina Hussain', declaration: true })).body.error).toBe('grants.not_offered');
    expect((await api(owner).post(`/grants/${topGrant.id}/decline`, {})).body.error).toBe('grants.not_offered');
    expect((await outbox('grant-accepted')).length).toBeGreaterThan(0);

    // Accepting schedules the payments from the round's schedule (half now, half on the six-month report), to the penny.
    expect(offer.paymentSchedule).toMatch(/when you accept the offer, then £[\d,.]+ when your 6-month monitoring report is approved/);
    const payments = (await api(owner).get(`/grants/${topGrant.id}/payments`).expect(200)).body;
    expect(payments.instalments.map((i: { status: string; trigger: string }) => `${i.status}:${i.trigger}`)).toEqual([
      'due:acceptance',
      'scheduled:monitoring_report',
    ]);
    expect(payments.instalments.reduce((sum: number, i: { amountPence: number }) => sum + i.amountPence, 0)).toBe(partial);
    expect(payments.instalments[0].dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await api(stranger).get(`/grants/${topGrant.id}/payments`)).status).toBe(404);
    const unaccepted = grants.find((g) => g.id !== topGrant.id)!;
    expect((await api(fm).get(`/grants/${unaccepted.id}/payments`).expect(200)).body.instalments).toEqual([]);

    // A decline gives the money back at once; the fund manager offers it to the reserve list, budget checked again.
    // The largest other grant, so that its money is enough for the first reserve.
    const other = grants.filter((g) => g.id !== topGrant.id).sort((a, b) => Number(b.amount_pence) - Number(a.amount_pence))[0];
    const otherOwner = await ownerOf(other.application_id);
    await api(otherOwner).post(`/grants/${other.id}/decline`, { reason: 'The project has found other funding' }).expect(200);
    const afterDecline = (await api(fm).get(`/rounds/${vf6}/budget`).expect(200)).body;
    expect(afterDecline.committedPence).toBe(budget.committedPence - Number(other.amount_pence));
    const notReserve = await api(fm).post(`/rounds/${vf6}/reserve-offers`, { applicationId: top.applicationId });
    expect(notReserve.body.error).toBe('grants.not_on_reserve_list');
    const next = reserves.sort((a: Award, b: Award) => (a.reservePosition ?? 0) - (b.reservePosition ?? 0))[0];
    const fromReserve = await api(fm).post(`/rounds/${vf6}/reserve-offers`, { applicationId: next.applicationId });
    expect([fromReserve.status, fromReserve.body.error]).toEqual([201, undefined]);
    expect(fromReserve.body).toMatchObject({ status: 'offered', fromReserve: true });
    expect((await api(fm).post(`/rounds/${vf6}/reserve-offers`, { applicationId: next.applicationId })).body.error).toBe('grants.not_on_reserve_list');
    const finalBudget = (await api(fm).get(`/rounds/${vf6}/budget`).expect(200)).body;
    expect(finalBudget.committedPence).toBeLessThanOrEqual(finalBudget.budgetPence);
    const [{ live }] = await t.dataSource.query(
      `SELECT coalesce(sum(amount_pence), 0)::bigint AS live FROM budget_commitment WHERE round_id = $1 AND released_at IS NULL`,
      [vf6],
    );
    expect(Number(live)).toBe(finalBudget.committedPence);

    // An offer not accepted in time cannot be accepted, and the lapse job releases its money once.
    const open = await t.dataSource.query<{ id: string; application_id: string; offer_expires_at: Date }[]>(
      `SELECT id, application_id, offer_expires_at FROM "grant" WHERE status = 'offered' LIMIT 1`,
    );
    expect(open.length).toBeGreaterThan(0);
    {
      const lapsingOwner = await ownerOf(open[0].application_id);
      clock.set(new Date(open[0].offer_expires_at.getTime() + 1000));
      expect((await api(lapsingOwner).post(`/grants/${open[0].id}/accept`, { fullName: 'Too Late', declaration: true })).body.error).toBe(
        'grants.offer_lapsed',
      );
      const service = t.app.get(GrantsService);
      const [a, b] = await Promise.all([service.lapseDue(), service.lapseDue()]);
      expect(a + b).toBeGreaterThanOrEqual(1);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'grant.lapsed' AND after->>'grantId' = $1`, [
        open[0].id,
      ]);
      expect(n).toBe(1);
    }

    // Published, the record shows the awards and public papers, never the annex, restricted papers or assessors.
    await api(commissioner.token).post(`/decisions/${d.id}/publish`).expect(200);
    const pub = await request(t.http).get(`/api/v1/decisions/${d.number}`).expect(200);
    expect(pub.body).toMatchObject({ status: 'published', hasConfidentialAnnex: true, backgroundPapers: ['Victims Fund 6 assessment report'] });
    expect(pub.body.awards).toHaveLength(funded.length);
    const page = await request(t.http).get(`/decisions/${d.number}`).expect(200);
    for (const text of [JSON.stringify(pub.body), page.text]) {
      expect(text).not.toContain(ANNEX);
      expect(text).not.toContain(RESTRICTED);
      expect(text).not.toContain('Disclosure would prejudice');
      for (const decl of d.declarations as { assessorName: string }[]) expect(text).not.toContain(decl.assessorName);
    }
  });
});
