import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { TokensService } from '../../src/modules/identity/tokens.service';
import {
  BIRMINGHAM,
  counterFor,
  createPublishedRound,
  MINIMAL_PDF,
  type RoundJson,
  roundBody,
  seedFunds,
  setClock,
  sha256Hex,
  staffMember,
  victimsAnswers,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

const ON_TIME = 200;
const LATE = 5;
// Twenty applicants press "Submit" twice.
const DOUBLE_CLICKS = 20;
// Victims Fund 9 closes at 23:59 on Sunday 17 January 2027 (GMT, so 23:59 UTC).
const CLOSES_AT = '2027-01-17T23:59:00.000Z';
const LAST_SECOND = '2027-01-17T23:59:59.200Z';
const AFTER_CLOSE = '2027-01-18T00:00:00.000Z';
const AFTER_CLOSE_BY_A_MINUTE = '2027-01-18T00:01:00.000Z';

interface Group {
  userId: string;
  email: string;
  organisationId: string;
  applicationId: string;
  token: string;
}

/**
 * The deadline surge: 200 organisations press "Submit" in the last second of the round, all at once,
 * against one app instance whose database pool has 20 connections. Every one must be accepted and
 * recorded once, with unique, gap-free references and one receipt each.
 */
describe('applications: the deadline surge', () => {
  let t: TestApp;
  let round: RoundJson;
  let groups: Group[];

  beforeAll(async () => {
    t = await startTestApp();
    const programmes = await seedFunds(t);
    const manager = await staffMember(t, 'fund_manager');
    round = await createPublishedRound(
      t,
      manager,
      roundBody(programmes.VF, { name: 'Victims Fund 9', referencePrefix: 'VF9', opensAt: '2027-01-04T09:00:00.000Z', closesAt: CLOSES_AT }),
    );
    groups = await createCompleteDrafts(t, round.id, ON_TIME + LATE);
    // One listening server for every request, as in production (supertest would otherwise start one per request).
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  }, 60_000);
  afterEach(() => setClock(t, null));
  afterAll(async () => {
    await t?.close();
  });

  it(`accepts ${ON_TIME} concurrent submissions in the last second, each once, numbered VF9-0001 to VF9-0${ON_TIME} without gaps; later ones are refused and take no number`, async () => {
    const onTime = groups.slice(0, ON_TIME);
    const late = groups.slice(ON_TIME);
    const port = (t.http.address() as AddressInfo).port;
    expect(port).toBeGreaterThan(0);
    const post = (g: Group) => request(t.http).post(`/api/v1/applications/${g.applicationId}/submit`).set('Authorization', `Bearer ${g.token}`);

    setClock(t, LAST_SECOND);
    const started = Date.now();
    const attempts = [...onTime, ...onTime.slice(0, DOUBLE_CLICKS)];
    // Time does not stand still while the surge is worked through: as soon as the server has
    // received every request, the clock moves past the close. Each bid must still be judged by
    // when it arrived, not by when its turn for a database connection or a lock came.
    const allReceived = new Promise<void>((resolve) => {
      let received = 0;
      const onRequest = () => {
        if (++received < attempts.length) return;
        t.http.off('request', onRequest);
        resolve();
      };
      t.http.on('request', onRequest);
    });
    const surge = Promise.all(attempts.map((g) => post(g).then((res) => ({ g, res }))));
    await allReceived;
    setClock(t, AFTER_CLOSE_BY_A_MINUTE);
    const responses = await surge;
    const surgeMs = Date.now() - started;

    // Every press is answered 200. The second press of a double-click gets the same receipt as the
    // first (submitting is idempotent), not an error, and no second number.
    expect(responses.filter((r) => r.res.status !== 200).map((r) => [r.res.status, r.res.body.error])).toEqual([]);
    const seen = new Map<string, string>();
    const accepted = responses.filter((r) => {
      const earlier = seen.get(r.g.applicationId);
      if (earlier !== undefined) {
        expect(r.res.body.reference).toBe(earlier);
        return false;
      }
      seen.set(r.g.applicationId, r.res.body.reference);
      return true;
    });
    expect(accepted).toHaveLength(ON_TIME);
    expect(responses).toHaveLength(ON_TIME + DOUBLE_CLICKS);
    for (const { res } of accepted)
      expect(res.body).toMatchObject({ status: 'submitted', submittedAt: LAST_SECOND, reference: expect.stringMatching(/^VF9-\d{4}$/) });

    // What PostgreSQL has: every application submitted once, with one snapshot.
    const rows: { id: string; status: string; reference: string; reference_seq: number; submitted_at: Date; snapshots: number }[] = await t.dataSource.query(
      `SELECT a.id, a.status, a.reference, a.reference_seq, a.submitted_at, (SELECT count(*)::int FROM application_snapshot s WHERE s.application_id = a.id) AS snapshots
         FROM application a WHERE a.round_id = $1 AND a.id = ANY($2::uuid[]) ORDER BY a.reference_seq`,
      [round.id, onTime.map((g) => g.applicationId)],
    );
    expect(rows).toHaveLength(ON_TIME);
    expect(rows.every((r) => r.status === 'submitted' && r.snapshots === 1 && r.submitted_at.toISOString() === LAST_SECOND)).toBe(true);
    // Gap-free and unique: exactly 1..200, and the reference says the same number.
    expect(rows.map((r) => r.reference_seq)).toEqual(Array.from({ length: ON_TIME }, (_, i) => i + 1));
    expect(rows.map((r) => r.reference)).toEqual(Array.from({ length: ON_TIME }, (_, i) => `VF9-${String(i + 1).padStart(4, '0')}`));
    expect(new Set(accepted.map((r) => r.res.body.reference)).size).toBe(ON_TIME);
    // The reference each applicant was told is the one recorded.
    const told = new Map(accepted.map((r) => [r.g.applicationId, r.res.body.reference]));
    expect(rows.every((r) => told.get(r.id) === r.reference)).toBe(true);
    expect(await counterFor(t, round.id)).toBe(ON_TIME);

    // One receipt per application, to the applicant, and one audit row each.
    const receipts: { idempotency_key: string; to_address: string }[] = await t.dataSource.query(
      `SELECT idempotency_key, to_address FROM notification_outbox WHERE template = 'application-received'`,
    );
    expect(receipts).toHaveLength(ON_TIME);
    expect(new Set(receipts.map((r) => r.idempotency_key)).size).toBe(ON_TIME);
    expect(new Set(receipts.map((r) => r.to_address))).toEqual(new Set(onTime.map((g) => g.email)));
    const [{ n: audits }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'application.submitted' AND entity_id = ANY($1::text[])`,
      [onTime.map((g) => g.applicationId)],
    );
    expect(audits).toBe(ON_TIME);

    // After the close: refused, even all at once, and the counter does not move.
    setClock(t, AFTER_CLOSE);
    const refused = await Promise.all(late.map(post));
    expect(refused.map((r) => [r.status, r.body.error])).toEqual(late.map(() => [409, 'applications.deadline_passed']));
    expect(await counterFor(t, round.id)).toBe(ON_TIME);
    const lateRows = await t.dataSource.query(
      `SELECT a.status, a.reference, (SELECT count(*)::int FROM application_snapshot s WHERE s.application_id = a.id) AS snapshots FROM application a WHERE a.id = ANY($1::uuid[])`,
      [late.map((g) => g.applicationId)],
    );
    expect(lateRows).toEqual(late.map(() => ({ status: 'draft', reference: null, snapshots: 0 })));
    const [{ n: totalReceipts }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM notification_outbox WHERE template = 'application-received'`);
    expect(totalReceipts).toBe(ON_TIME);

    // For the report: how long the surge took on this machine.
    process.stdout.write(`deadline surge: ${attempts.length} submissions in ${surgeMs} ms\n`);
    // Typically 5-25 s; the margin is for a busy CI machine.
  }, 90_000);
});

/**
 * Users, organisations, memberships, complete drafts and their uploaded policies, written with a
 * few set-based INSERTs (the services would take minutes for this many); API tokens through the
 * real TokensService. The submissions themselves check every answer, so a bad draft here fails the test.
 */
async function createCompleteDrafts(t: TestApp, roundId: string, count: number): Promise<Group[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    userId: randomUUID(),
    email: `surge${String(i + 1).padStart(3, '0')}.${randomUUID().slice(0, 6)}@example.org`,
    organisationId: randomUUID(),
    applicationId: randomUUID(),
    attachmentId: randomUUID(),
    name: `Surge Community Group ${i + 1}`,
    amount: 1_000_00 + i * 50_00,
  }));
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await t.dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO user_account (id, email, full_name, email_verified_at) SELECT * , now() FROM unnest($1::uuid[], $2::text[], $3::text[])`, [
      col('userId'),
      col('email'),
      col('name'),
    ]);
    await m.query(
      `INSERT INTO organisation (id, name, type, org_id, address_line1, town, postcode, area_ons_code, outside_force_area, contact_name, contact_email)
       SELECT id, name, 'unincorporated_group', '360G-pccgrants-' || id::text, '1 High Street', 'Birmingham', 'B1 1AA', $4, false, name, email
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS o(id, name, email)`,
      [col('organisationId'), col('name'), col('email'), BIRMINGHAM],
    );
    await m.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT o, u, 'owner' FROM unnest($1::uuid[], $2::uuid[]) AS x(o, u)`, [
      col('organisationId'),
      col('userId'),
    ]);
    const answers = rows.map((r) =>
      JSON.stringify({ ...victimsAnswers({ projectTitle: `Project of ${r.name}`, amountRequested: r.amount }), safeguardingPolicy: r.attachmentId }),
    );
    await m.query(
      `INSERT INTO application (id, round_id, organisation_id, created_by, status, answers, amount_requested_pence, category)
       SELECT id, $1, org, usr, 'draft', answers::jsonb, amount, 'hate_crime' FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[]) AS a(id, org, usr, answers, amount)`,
      [roundId, col('applicationId'), col('organisationId'), col('userId'), answers, col('amount')],
    );
    await m.query(
      `INSERT INTO application_attachment (id, application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
       SELECT id, app, 'safeguardingPolicy', 'safeguarding-policy.pdf', 'application/pdf', $4, $5, $6, usr FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS f(id, app, usr)`,
      [col('attachmentId'), col('applicationId'), col('userId'), MINIMAL_PDF.length, sha256Hex(MINIMAL_PDF), MINIMAL_PDF],
    );
  });
  const tokens = t.app.get(TokensService);
  const issued = await Promise.all(rows.map((r) => tokens.create(r.userId, 'surge')));
  return rows.map((r, i) => ({ userId: r.userId, email: r.email, organisationId: r.organisationId, applicationId: r.applicationId, token: issued[i].token }));
}
