import { fromLondonLocal, type LondonLocal } from '@pcc/london-time';
import request from 'supertest';
import {
  type Applicant,
  bearer,
  completeVictimsApplication,
  counterFor,
  createApplicant,
  createPublishedRound,
  type RoundJson,
  roundBody,
  seedFunds,
  setClock,
  type StaffMember,
  staffMember,
  startApplication,
  submit,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

const plus = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

/**
 * Deadlines are judged by the app's clock at the moment a request arrives. A round "closing at
 * 23:59" accepts the whole of that minute; the first refused instant is the next minute's start.
 * Every expected UTC instant below is written out by hand, so the tests do not just agree with the
 * code that computes them.
 */
describe('applications: the closing deadline', () => {
  let t: TestApp;
  let programmes: { VF: string; ACF: string };
  let manager: StaffMember;

  beforeAll(async () => {
    t = await startTestApp();
    programmes = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
  });
  afterEach(() => setClock(t, null));
  afterAll(async () => {
    await t?.close();
  });

  const getRound = (id: string) => request(t.http).get(`/api/v1/rounds/${id}`).expect(200);
  const status = async (applicationId: string, who: Applicant) =>
    (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(bearer(who.token)).expect(200)).body as {
      status: string;
      reference: string | null;
      submittedAt: string | null;
    };

  /** A published round closing at a London wall-clock minute, checked to be stored as the expected UTC instant. */
  async function roundClosing(close: LondonLocal, expectedCloseUtc: string, opensAt: string, shownAs: string): Promise<RoundJson> {
    const closesAt = fromLondonLocal(close).toISOString();
    expect(closesAt).toBe(expectedCloseUtc);
    const round = await createPublishedRound(t, manager, roundBody(programmes.VF, { opensAt, closesAt }));
    expect(round.closesAt).toBe(expectedCloseUtc);
    expect(round.closesAtLondon).toBe(shownAs);
    return round;
  }

  /**
   * Two complete drafts; one is submitted at the last accepted instant, the other is refused at
   * the first refused instant (and a second later). Refused attempts take no reference number.
   */
  async function checkBoundary(round: RoundJson, during: string, lastAccepted: string, firstRefused: string, alsoRefused: string[] = []) {
    setClock(t, during);
    const onTime = await createApplicant(t);
    const late = await createApplicant(t);
    const a = await completeVictimsApplication(t, onTime, round.id);
    const b = await completeVictimsApplication(t, late, round.id);

    setClock(t, lastAccepted);
    expect((await getRound(round.id)).body.status).toBe('open');
    const accepted = await submit(t, onTime, a.id).expect(200);
    expect(accepted.body).toMatchObject({ status: 'submitted', reference: `${round.referencePrefix}-0001`, submittedAt: lastAccepted });

    for (const instant of [firstRefused, plus(firstRefused, 1000), ...alsoRefused]) {
      setClock(t, instant);
      expect((await getRound(round.id)).body.status).toBe('closed');
      const refused = await submit(t, late, b.id).expect(409);
      expect(refused.body).toMatchObject({
        error: 'applications.deadline_passed',
        message: `The deadline was ${round.closesAtLondon}. Applications submitted after the deadline cannot be accepted.`,
      });
    }
    expect(await status(b.id, late)).toMatchObject({ status: 'draft', reference: null, submittedAt: null });
    expect(await counterFor(t, round.id)).toBe(1);
    return { onTime, late, a, b };
  }

  it('winter (GMT): closing 23:59 accepts 23:59:59 and refuses 00:00:00 and 00:00:01', async () => {
    const round = await roundClosing(
      { year: 2027, month: 1, day: 17, hour: 23, minute: 59 },
      '2027-01-17T23:59:00.000Z',
      '2027-01-04T09:00:00.000Z',
      '11:59pm on Sunday 17 January 2027',
    );
    const { late, b } = await checkBoundary(round, '2027-01-10T12:00:00.000Z', '2027-01-17T23:59:59.000Z', '2027-01-18T00:00:00.000Z');

    // The very last millisecond of the minute is still on time.
    setClock(t, '2027-01-10T12:00:00.000Z');
    const lastMoment = await createApplicant(t);
    const c = await completeVictimsApplication(t, lastMoment, round.id);
    setClock(t, '2027-01-17T23:59:59.999Z');
    expect((await submit(t, lastMoment, c.id).expect(200)).body.reference).toBe(`${round.referencePrefix}-0002`);

    // After the close nothing else moves either: no withdrawing, no starting.
    setClock(t, '2027-01-18T00:00:00.000Z');
    const withdraw = await request(t.http).post(`/api/v1/applications/${b.id}/withdraw`).set(bearer(late.token)).expect(409);
    expect(withdraw.body.error).toBe('applications.deadline_passed');
    const newcomer = await createApplicant(t);
    const start = await startApplication(t, newcomer, round.id).expect(409);
    expect(start.body.error).toBe('applications.round_not_open');
    expect(await counterFor(t, round.id)).toBe(2);
  });

  it('spring (clocks go forward): a round opened in GMT closing at 00:00 BST on 29 March is judged in BST', async () => {
    // 00:00 on Monday 29 March 2027 is BST (the clocks went forward at 01:00 GMT on the 28th), so
    // it is 23:00 UTC on the 28th; the closing minute ends at 23:01:00 UTC.
    const round = await roundClosing(
      { year: 2027, month: 3, day: 29, hour: 0, minute: 0 },
      '2027-03-28T23:00:00.000Z',
      '2027-03-01T09:00:00.000Z',
      'midnight on Monday 29 March 2027',
    );
    expect(round.opensAt).toBe('2027-03-01T09:00:00.000Z');
    // 23:30 UTC would still be "before midnight" to a server that forgot about BST.
    await checkBoundary(round, '2027-03-15T12:00:00.000Z', '2027-03-28T23:00:59.000Z', '2027-03-28T23:01:00.000Z', [
      '2027-03-28T23:30:00.000Z',
      '2027-03-29T00:00:30.000Z',
    ]);
  });

  it('autumn (clocks go back): a round opened in BST closing at 23:59 GMT on 31 October is judged in GMT', async () => {
    // The clocks go back at 02:00 BST on Sunday 31 October 2027; 23:59 that night is GMT, so UTC.
    const round = await roundClosing(
      { year: 2027, month: 10, day: 31, hour: 23, minute: 59 },
      '2027-10-31T23:59:00.000Z',
      '2027-10-01T08:00:00.000Z',
      '11:59pm on Sunday 31 October 2027',
    );
    // 23:59:59 UTC would already be "after 23:59" to a server still on BST.
    await checkBoundary(round, '2027-10-15T12:00:00.000Z', '2027-10-31T23:59:59.000Z', '2027-11-01T00:00:00.000Z');
  });

  it('autumn, in the hour that happens twice: closing 01:30 on 31 October means the first (BST) 01:30', async () => {
    const round = await roundClosing(
      { year: 2027, month: 10, day: 31, hour: 1, minute: 30 },
      '2027-10-31T00:30:00.000Z',
      '2027-10-01T08:00:00.000Z',
      '1:30am on Sunday 31 October 2027',
    );
    // 01:30:30 UTC is the second time London reads 01:30 (GMT): already too late.
    await checkBoundary(round, '2027-10-15T12:00:00.000Z', '2027-10-31T00:30:59.000Z', '2027-10-31T00:31:00.000Z', ['2027-10-31T01:30:30.000Z']);
  });

  describe('an audited extension for one organisation', () => {
    it('lets that organisation submit until its own closing minute, and nobody else after the close', async () => {
      // 17:00 on Monday 15 February 2027 (GMT).
      const round = await roundClosing(
        { year: 2027, month: 2, day: 15, hour: 17, minute: 0 },
        '2027-02-15T17:00:00.000Z',
        '2027-02-01T09:00:00.000Z',
        '5pm on Monday 15 February 2027',
      );
      const assessor = await staffMember(t, 'assessor');
      setClock(t, '2027-02-10T12:00:00.000Z');
      const flooded = await createApplicant(t, { name: 'Tipton Flood-hit Group' });
      const other = await createApplicant(t, { name: 'Bilston Other Group' });
      const a = await completeVictimsApplication(t, flooded, round.id);
      const b = await completeVictimsApplication(t, other, round.id);

      setClock(t, '2027-02-15T18:00:00.000Z');
      const extensionUntil = fromLondonLocal({ year: 2027, month: 2, day: 16, hour: 12, minute: 0 }).toISOString();
      expect(extensionUntil).toBe('2027-02-16T12:00:00.000Z');
      const reason = 'Community centre flooded on closing day; no internet access';
      const grant = (token: string, body: Record<string, unknown>) =>
        request(t.http).post(`/api/v1/rounds/${round.id}/extensions`).set(bearer(token)).send(body);

      // Only a fund manager may grant one.
      expect((await grant(assessor.token, { organisationId: flooded.organisation.id, closesAt: extensionUntil, reason }).expect(403)).body.error).toBe(
        'identity.forbidden',
      );
      await grant(flooded.token, { organisationId: flooded.organisation.id, closesAt: extensionUntil, reason }).expect(403);
      // … with a reason, and ending after the round closes.
      const noReason = await grant(manager.token, { organisationId: flooded.organisation.id, closesAt: extensionUntil, reason: '   ' }).expect(400);
      expect(noReason.body.details).toEqual([expect.objectContaining({ field: 'reason', rule: 'isNotEmpty' })]);
      const tooEarly = await grant(manager.token, { organisationId: flooded.organisation.id, closesAt: '2027-02-15T16:00:00.000Z', reason }).expect(400);
      expect(tooEarly.body.details).toEqual([expect.objectContaining({ field: 'closesAt', rule: 'afterClose' })]);
      expect(await t.dataSource.query(`SELECT id FROM deadline_extension WHERE round_id = $1`, [round.id])).toEqual([]);

      const granted = await grant(manager.token, { organisationId: flooded.organisation.id, closesAt: extensionUntil, reason }).expect(201);
      expect(granted.body).toMatchObject({ roundId: round.id, organisationId: flooded.organisation.id, closesAt: extensionUntil, reason });

      const audit = await t.dataSource.query(`SELECT actor_id, entity_type, entity_id, after FROM audit_event WHERE action = 'application.deadline_extended'`);
      expect(audit).toEqual([
        {
          actor_id: manager.id,
          entity_type: 'deadline_extension',
          entity_id: granted.body.id,
          after: { roundId: round.id, organisationId: flooded.organisation.id, closesAt: extensionUntil, reason },
        },
      ]);

      // Still after the round's close: the other organisation is refused.
      const refusedOther = await submit(t, other, b.id).expect(409);
      expect(refusedOther.body.message).toContain('5pm on Monday 15 February 2027');

      // The extended organisation: after its own closing minute, refused, naming its own deadline …
      setClock(t, '2027-02-16T12:01:00.000Z');
      const tooLate = await submit(t, flooded, a.id).expect(409);
      expect(tooLate.body).toMatchObject({ error: 'applications.deadline_passed' });
      expect(tooLate.body.message).toContain('midday on Tuesday 16 February 2027');

      // … and in the last second of it, accepted; the other organisation still is not.
      setClock(t, '2027-02-16T12:00:59.000Z');
      const accepted = await submit(t, flooded, a.id).expect(200);
      expect(accepted.body).toMatchObject({ status: 'submitted', reference: `${round.referencePrefix}-0001`, submittedAt: '2027-02-16T12:00:59.000Z' });
      await submit(t, other, b.id).expect(409);
      expect(await status(b.id, other)).toMatchObject({ status: 'draft', reference: null });
      expect(await counterFor(t, round.id)).toBe(1);
    });
  });
});
