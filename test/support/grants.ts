import request from 'supertest';
import { seedRoundApplications } from './application-lists';
import { createUser, type TestUser, tokenFor } from './identity';
import { bearer, createPublishedRound, roundBody, seedFunds, setClock } from './rounds';
import type { TestApp } from './test-app';

export interface OfferedGrant {
  id: string;
  applicationId: string;
  reference: string;
  /** An owner of the grant's organisation (its own), and a member who is not an owner. */
  owner: TestUser;
  member: TestUser;
}

/** What the seeded applications said they would achieve (the funds' forms' `outcomes` question). */
export const PROMISED_OUTCOMES = 'Victims of hate crime will feel safer and know where to get help.';

/**
 * Grants of £5,000 offered under an approved budget decision in a new Victims Fund round that pays
 * half on acceptance and half on the six-month monitoring report, `n` of them, each to its own
 * organisation with an owner and a member; made at `at` on the application's clock. Accept them
 * through the API (see `acceptGrant`) on the day a test needs.
 */
export async function offerVictimsGrants(t: TestApp, o: { n: number; at: string }): Promise<{ manager: TestUser; grants: OfferedGrant[] }> {
  setClock(t, o.at);
  const api = async (user: TestUser) => {
    const auth = bearer(await tokenFor(t, user));
    return { post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).set(auth).send(body) };
  };
  const programmeId = (await seedFunds(t)).VF;
  const manager = await createUser(t, ['fund_manager']);
  const commissioner = await createUser(t, ['commissioner']);
  const round = await createPublishedRound(
    t,
    { ...manager, token: await tokenFor(t, manager) },
    roundBody(programmeId, {
      totalBudgetPence: 100_000_00,
      maxGrantPence: 20_000_00,
      ringFences: [],
      paymentSchedule: [
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report', reportMonths: 6 },
      ],
    }),
  );
  await seedRoundApplications(t.dataSource, {
    roundId: round.id,
    prefix: round.referencePrefix,
    n: Math.max(10, o.n * 2),
    createdBy: manager.id,
    categories: ['other'],
    tag: round.referencePrefix,
  });
  // Answers are frozen once submitted (a database trigger), so they go in while the applications are drafts.
  await t.dataSource.query(`UPDATE application SET status = 'draft' WHERE round_id = $1 AND reference IS NOT NULL`, [round.id]);
  await t.dataSource.query(
    `UPDATE application SET amount_requested_pence = 500000, answers = jsonb_build_object('outcomes', $2::text) WHERE round_id = $1 AND reference IS NOT NULL`,
    [round.id, PROMISED_OUTCOMES],
  );
  const [apps]: [{ id: string; reference: string }[], number] = await t.dataSource.query(
    `UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL RETURNING id, reference`,
    [round.id],
  );
  const fm = await api(manager);
  const d = (
    await fm
      .post('/decisions', {
        title: 'Budget',
        summary: 'Delegated awards',
        delegatedRoundId: round.id,
        delegatedBudgetPence: 50_000_00,
        delegatedAwardLimitPence: 10_000_00,
      })
      .expect(201)
  ).body;
  await fm.post(`/decisions/${d.id}/submit`).expect(200);
  await (await api(commissioner)).post(`/decisions/${d.id}/approve`).expect(200);
  const grants: OfferedGrant[] = [];
  for (const app of apps.sort((a, b) => a.reference.localeCompare(b.reference)).slice(0, o.n)) {
    const grant = (await fm.post(`/decisions/${d.id}/delegated-awards`, { applicationId: app.id, amountPence: 5_000_00 }).expect(201)).body;
    const [owner, member] = [await createUser(t), await createUser(t)];
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT organisation_id, $2::uuid, 'owner' FROM application WHERE id = $1
       UNION ALL SELECT organisation_id, $3::uuid, 'member' FROM application WHERE id = $1`,
      [app.id, owner.id, member.id],
    );
    grants.push({ id: grant.id, applicationId: app.id, reference: app.reference, owner, member });
  }
  return { manager, grants };
}

/** The grant's owner accepts its offer through the API, at `at` on the application's clock. */
export async function acceptGrant(t: TestApp, g: OfferedGrant, at: string): Promise<void> {
  setClock(t, at);
  await request(t.http)
    .post(`/api/v1/grants/${g.id}/accept`)
    .set(bearer(await tokenFor(t, g.owner)))
    .send({ fullName: 'Group Treasurer', declaration: true })
    .expect(200);
}
