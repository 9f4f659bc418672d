import request from 'supertest';
import { seedRoundApplications } from './application-lists';
import { createUser, type TestUser, tokenFor } from './identity';
import { bearer, createPublishedRound, roundBody, seedFunds, staffMember } from './rounds';
import type { TestApp } from './test-app';

export type Staff = Awaited<ReturnType<typeof staffMember>>;

export interface AcceptedGrant {
  grantId: string;
  applicationId: string;
  organisationId: string;
  instalmentIds: string[];
  owner: TestUser & { token: string };
}

/** A small JSON client for one bearer token. */
export function apiAs(t: TestApp, token: string) {
  return {
    get: (path: string) => request(t.http).get(`/api/v1${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(bearer(token)).send(body),
    put: (path: string, body: object = {}) => request(t.http).put(`/api/v1${path}`).set(bearer(token)).send(body),
  };
}

/**
 * A published Active Citizens-style round (no ring-fences unless given) with eligible
 * applications, a budget decision approved by the Commissioner that delegates awards, and a way to
 * award and accept a grant to the next eligible application, each organisation with its own owner.
 */
export async function paymentsFixture(
  t: TestApp,
  options: {
    budgetPence?: number;
    ringFences?: object[];
    categories?: string[];
    paymentSchedule?: object[];
    applications?: number;
    /** The programme of an earlier fixture in the same app (the programmes are seeded once). */
    programmeId?: string;
  } = {},
) {
  const programmeId = options.programmeId ?? (await seedFunds(t)).ACF;
  const manager = await staffMember(t, 'fund_manager');
  const commissioner = await staffMember(t, 'commissioner');
  const budget = options.budgetPence ?? 20_000_00;
  const round = await createPublishedRound(
    t,
    manager,
    roundBody(programmeId, {
      totalBudgetPence: budget,
      maxGrantPence: 5_000_00,
      ringFences: options.ringFences ?? [],
      paymentSchedule: options.paymentSchedule ?? [{ percent: 100, trigger: 'acceptance' }],
    }),
  );
  await seedRoundApplications(t.dataSource, {
    roundId: round.id,
    prefix: round.referencePrefix,
    n: options.applications ?? 12,
    createdBy: manager.id,
    categories: options.categories ?? ['other'],
    tag: round.referencePrefix,
  });
  await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [round.id]);
  const apps: { id: string; organisation_id: string; category: string | null }[] = await t.dataSource.query(
    `SELECT id, organisation_id, category FROM application WHERE round_id = $1 AND status = 'eligible' ORDER BY reference`,
    [round.id],
  );
  const api = apiAs(t, manager.token);
  const decision = (
    await api
      .post('/decisions', {
        title: 'Budget',
        summary: 'Delegated awards',
        delegatedRoundId: round.id,
        delegatedBudgetPence: budget,
        delegatedAwardLimitPence: 5_000_00,
      })
      .expect(201)
  ).body;
  await api.post(`/decisions/${decision.id}/submit`).expect(200);
  await apiAs(t, commissioner.token).post(`/decisions/${decision.id}/approve`).expect(200);
  let next = 0;
  const used = new Set<string>();
  /** Awards and accepts a grant to the next application (optionally of a category), with a new owner for its organisation. */
  const acceptGrant = async (amountPence: number, opts: { category?: string } = {}): Promise<AcceptedGrant> => {
    const app = apps.find((a, i) => i >= 0 && !used.has(a.id) && (!opts.category || a.category === opts.category));
    if (!app) throw new Error('no eligible application left');
    used.add(app.id);
    next++;
    const awarded = await api.post(`/decisions/${decision.id}/delegated-awards`, { applicationId: app.id, amountPence });
    if (awarded.status !== 201) throw new Error(`award refused: ${JSON.stringify(awarded.body)}`);
    const grant = awarded.body;
    const owner = await createUser(t);
    await t.dataSource.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [app.organisation_id, owner.id]);
    const ownerToken = await tokenFor(t, owner);
    await apiAs(t, ownerToken).post(`/grants/${grant.id}/accept`, { fullName: 'Group Treasurer', declaration: true }).expect(200);
    const payments = (await api.get(`/grants/${grant.id}/payments`).expect(200)).body;
    return {
      grantId: grant.id,
      applicationId: app.id,
      organisationId: app.organisation_id,
      instalmentIds: payments.instalments.map((i: { id: string }) => i.id),
      owner: { ...owner, token: ownerToken },
    };
  };
  return { programmeId, round, manager, commissioner, decision, acceptGrant, awarded: () => next };
}
