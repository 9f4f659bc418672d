import { writeAudit } from '@pcc/audit';
import type { EntityManager } from 'typeorm';
import { FundingSource } from '../../src/modules/funds/entities/fund-programme.entity';
import { FundsService } from '../../src/modules/funds/funds.service';
import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A state change, its audit row and the email it causes must commit or vanish together: an email
 * about a programme that was rolled back, or a programme with no audit trail, are both lies.
 * Everything is checked with plain SQL on a fresh connection, i.e. what another session sees.
 */
describe('a change, its audit row and its email share one transaction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const funds = () => t.app.get(FundsService);
  const notifications = () => t.app.get(NotificationsService);

  async function createProgrammeAndEmail(manager: EntityManager, code: string) {
    const programme = await funds().createProgramme(manager, {
      code,
      name: `Test programme ${code}`,
      fundingSource: FundingSource.MojVictimsGrant,
      summary: 'Support for victims of crime.',
    });
    const queued = await notifications().enqueue(manager, {
      idempotencyKey: `fund-programme-created:${programme.id}`,
      to: 'officer@example.org',
      template: 'test-message',
      data: { name: 'Grants officer', sentBy: 'PCC Grants', reference: code, link: 'https://grants.example.org/funds' },
    });
    expect(queued).toBe(true);
    return programme;
  }

  async function stored(code: string, programmeId: string) {
    const programmes = await t.dataSource.query(`SELECT id, code FROM fund_programme WHERE code = $1`, [code]);
    const audits = await t.dataSource.query(`SELECT action, entity_type, entity_id, after FROM audit_event WHERE entity_id = $1`, [programmeId]);
    const emails = await t.dataSource.query(`SELECT idempotency_key, status FROM notification_outbox WHERE idempotency_key = $1`, [
      `fund-programme-created:${programmeId}`,
    ]);
    return { programmes, audits, emails };
  }

  it('keeps all three when the transaction commits', async () => {
    const programme = await t.dataSource.transaction((manager) => createProgrammeAndEmail(manager, 'TC1'));

    const { programmes, audits, emails } = await stored('TC1', programme.id);
    expect(programmes).toEqual([{ id: programme.id, code: 'TC1' }]);
    expect(audits).toEqual([
      {
        action: 'fund_programme.created',
        entity_type: 'fund_programme',
        entity_id: programme.id,
        after: expect.objectContaining({ code: 'TC1', name: 'Test programme TC1' }),
      },
    ]);
    expect(emails).toEqual([{ idempotency_key: `fund-programme-created:${programme.id}`, status: 'pending' }]);
  });

  it('keeps none of them when the transaction fails after all three writes', async () => {
    let programmeId = '';
    const failure = new Error('something later in the same change failed');
    await expect(
      t.dataSource.transaction(async (manager) => {
        programmeId = (await createProgrammeAndEmail(manager, 'TC2')).id;
        // Prove the writes really happened inside the transaction, so the rollback is what removes them.
        const [{ n }] = await manager.query(
          `SELECT (SELECT count(*) FROM fund_programme WHERE id = $1)
                + (SELECT count(*) FROM audit_event WHERE entity_id = $1::text)
                + (SELECT count(*) FROM notification_outbox WHERE idempotency_key = $2) AS n`,
          [programmeId, `fund-programme-created:${programmeId}`],
        );
        expect(Number(n)).toBe(3);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(programmeId).not.toBe('');
    expect(await stored('TC2', programmeId)).toEqual({ programmes: [], audits: [], emails: [] });
  });

  it('refuses to write an audit row or queue an email outside a transaction', async () => {
    const before = await t.dataSource.query(`SELECT (SELECT count(*) FROM audit_event) AS audits, (SELECT count(*) FROM notification_outbox) AS emails`);

    await expect(writeAudit(t.dataSource.manager, { action: 'fund_programme.created', entityType: 'fund_programme', entityId: 'outside' })).rejects.toThrow(
      /inside the transaction/,
    );
    await expect(
      notifications().enqueue(t.dataSource.manager, {
        idempotencyKey: 'outside-transaction:1',
        to: 'officer@example.org',
        template: 'test-message',
        data: { name: 'x', sentBy: 'x', reference: 'x', link: 'https://grants.example.org/' },
      }),
    ).rejects.toThrow(/inside the transaction/);

    // A query runner that is connected but has not begun a transaction is no better.
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await expect(writeAudit(runner.manager, { action: 'fund_programme.created', entityType: 'fund_programme', entityId: 'outside' })).rejects.toThrow(
        /inside the transaction/,
      );
    } finally {
      await runner.release();
    }

    const after = await t.dataSource.query(`SELECT (SELECT count(*) FROM audit_event) AS audits, (SELECT count(*) FROM notification_outbox) AS emails`);
    expect(after).toEqual(before);
  });
});
