import request from 'supertest';
import { DeadlineRemindersService, REMINDER_QUEUE } from '../../src/modules/applications/deadline-reminders.service';
import { QueueService } from '../../src/platform/queue/queue.service';
import { bearer, createApplicant, createPublishedRound, roundBody, seedFunds, setClock, staffMember, startApplication } from '../support/rounds';
import { tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

// Issue 8, point 3: deadline reminders follow an organisation's deadline extension.
describe('applications: deadline reminders and deadline extensions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    setClock(t, null);
    await t?.close();
  });

  it('reminds a draft whose organisation has an extension relative to its own close, not the round’s, and once', async () => {
    const programmes = await seedFunds(t);
    const manager = await staffMember(t, 'fund_manager');
    // The round closes at 23:59 on Sunday 14 March 2027; reminders go 48 hours before.
    const round = await createPublishedRound(
      t,
      manager,
      roundBody(programmes.VF, { opensAt: '2027-03-01T09:00:00.000Z', closesAt: '2027-03-14T23:59:00.000Z', reminderHoursBefore: 48 }),
    );
    setClock(t, '2027-03-10T12:00:00.000Z');
    // Tokens expire by the clock: the manager's, made today, has expired by March 2027.
    manager.token = await tokenFor(t, manager);
    const extended = await createApplicant(t);
    const ordinary = await createApplicant(t);
    const extendedDraft = (await startApplication(t, extended, round.id).expect(201)).body.id as string;
    const ordinaryDraft = (await startApplication(t, ordinary, round.id).expect(201)).body.id as string;
    // The extended organisation may submit until 23:59 on Sunday 21 March 2027.
    await request(t.http)
      .post(`/api/v1/rounds/${round.id}/extensions`)
      .set(bearer(manager.token))
      .send({ organisationId: extended.organisation.id, closesAt: '2027-03-21T23:59:00.000Z', reason: 'Treasurer in hospital' })
      .expect(201);

    await t.app.get(QueueService).boss.offWork(REMINDER_QUEUE);
    const worker = t.app.get(DeadlineRemindersService);
    const reminded = async (): Promise<string[]> =>
      (
        await t.dataSource.query(`SELECT id FROM application WHERE reminder_sent_at IS NOT NULL AND id = ANY($1::uuid[]) ORDER BY id`, [
          [extendedDraft, ordinaryDraft],
        ])
      ).map((r: { id: string }) => r.id);
    const reminders = async (): Promise<{ idempotency_key: string; text_body: string }[]> =>
      t.dataSource.query(`SELECT idempotency_key, text_body FROM notification_outbox WHERE template = 'deadline-reminder' ORDER BY idempotency_key`);

    // 36 hours before the round's close: only the organisation without an extension is reminded.
    setClock(t, '2027-03-13T12:00:00.000Z');
    expect(await worker.sendDue()).toBe(1);
    expect(await reminded()).toEqual([ordinaryDraft]);
    // Nor at the round's closing minute.
    setClock(t, '2027-03-14T23:59:30.000Z');
    expect(await worker.sendDue()).toBe(0);
    expect(await reminded()).toEqual([ordinaryDraft]);

    // 48 hours and one minute before its own close: not yet.
    setClock(t, '2027-03-19T23:58:00.000Z');
    expect(await worker.sendDue()).toBe(0);
    // 36 hours before its own close: reminded, naming its own deadline, once.
    setClock(t, '2027-03-20T12:00:00.000Z');
    expect(await worker.sendDue()).toBe(1);
    expect(await worker.sendDue()).toBe(0);
    setClock(t, '2027-03-21T23:59:30.000Z');
    expect(await worker.sendDue()).toBe(0);
    expect((await reminded()).sort()).toEqual([extendedDraft, ordinaryDraft].sort());

    const rows = await reminders();
    const forExtended = rows.filter((r) => r.idempotency_key.startsWith(`deadline-reminder:${extendedDraft}:`));
    const forOrdinary = rows.filter((r) => r.idempotency_key.startsWith(`deadline-reminder:${ordinaryDraft}:`));
    expect(forExtended).toHaveLength(1);
    expect(forOrdinary).toHaveLength(1);
    expect(forExtended[0].text_body).toContain('11:59pm on Sunday 21 March 2027');
    expect(forOrdinary[0].text_body).toContain('11:59pm on Sunday 14 March 2027');
  });
});
