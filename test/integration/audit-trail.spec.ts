import { writeAudit } from '@pcc/audit';
import { runWithContext } from '@pcc/request-context';
import { startTestApp, type TestApp } from '../support/test-app';

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function appendOne(action = 'test.happened') {
    await runWithContext({ requestId: 'req-audit-0001', ip: '203.0.113.9', actorId: null, actorLabel: 'tester' }, () =>
      t.dataSource.transaction((m) => writeAudit(m, { action, entityType: 'thing', entityId: 'T1', before: { a: 1 }, after: { a: 2 } })),
    );
    const [row] = await t.dataSource.query(`SELECT * FROM audit_event WHERE action = $1`, [action]);
    return row;
  }

  it('records actor, action, entity, before/after, request id, IP and time', async () => {
    const row = await appendOne();
    expect(row).toMatchObject({
      actor_label: 'tester',
      action: 'test.happened',
      entity_type: 'thing',
      entity_id: 'T1',
      before: { a: 1 },
      after: { a: 2 },
      request_id: 'req-audit-0001',
      ip: '203.0.113.9',
    });
    expect(row.occurred_at).toBeInstanceOf(Date);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    const row = await appendOne('test.immutable');
    await expect(t.dataSource.query(`UPDATE audit_event SET action = 'rewritten' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = $1`, [row.id])).rejects.toThrow(/append-only: DELETE/);
    await expect(t.dataSource.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only: TRUNCATE/);
    const [still] = await t.dataSource.query(`SELECT action FROM audit_event WHERE id = $1`, [row.id]);
    expect(still.action).toBe('test.immutable');
  });

  it('cannot be written outside a transaction, where it could disagree with the change', async () => {
    await expect(writeAudit(t.dataSource.manager, { action: 'x', entityType: 'y', entityId: 'z' })).rejects.toThrow(/inside the transaction/);
  });
});
