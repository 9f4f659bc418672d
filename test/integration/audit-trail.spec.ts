import { randomBytes } from 'node:crypto';
import { writeAudit } from '@pcc/audit';
import { runWithContext } from '@pcc/request-context';
import request from 'supertest';
import type { EntityManager } from 'typeorm';
import { createUser, signIn, tokenFor, type TestUser } from '../support/identity';
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

describe('audit trail search: GET /api/v1/audit-events and /admin/audit', () => {
  let t: TestApp;
  let auditorToken: string;
  let auditor: TestUser;
  const type = `contract_${randomBytes(3).toString('hex')}`;
  const api = (query: string) => request(t.http).get(`/api/v1/audit-events${query}`).set('Authorization', `Bearer ${auditorToken}`);

  beforeAll(async () => {
    t = await startTestApp();
    auditor = await createUser(t, ['auditor']);
    auditorToken = await tokenFor(t, auditor);
    // Seven events on one record type: three by the auditor, four by the system.
    for (let i = 0; i < 7; i++) {
      const actorId = i < 3 ? auditor.id : null;
      const actorLabel = i < 3 ? auditor.email : 'system';
      await runWithContext({ requestId: `req-contract-${i}`, actorId, actorLabel }, () =>
        t.dataSource.transaction((m) =>
          writeAudit(m, { action: `contract.step_${i}`, entityType: type, entityId: i === 6 ? 'E08000025' : `aaaaaaaa-0000-4000-8000-00000000000${i}` }),
        ),
      );
    }
  });
  afterAll(() => t?.close());

  it('answers a page: { items, total, limit, page }, newest first, 50 by default', async () => {
    const all = await api(`?entityType=${type}`).expect(200);
    expect(all.body).toMatchObject({ total: 7, limit: 50, page: 1 });
    expect(all.body.items.map((e: { action: string }) => e.action)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `contract.step_${i}`));
    expect(all.body.items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      actorId: null,
      actor: 'system',
      action: 'contract.step_6',
      entityType: type,
      entityId: 'E08000025',
      before: null,
      after: null,
      requestId: 'req-contract-6',
      ip: null,
    });

    const second = await api(`?entityType=${type}&limit=3&page=2`).expect(200);
    expect(second.body).toMatchObject({ total: 7, limit: 3, page: 2 });
    expect(second.body.items.map((e: { action: string }) => e.action)).toEqual(['contract.step_3', 'contract.step_2', 'contract.step_1']);
    const beyond = await api(`?entityType=${type}&limit=3&page=9`).expect(200);
    expect(beyond.body).toMatchObject({ items: [], total: 7, page: 9 });
  });

  it('filters by record, by actor (id, email or system) and by date or instant', async () => {
    const byId = await api(`?entityType=${type}&entityId=aaaaaaaa-0000-4000-8000-000000000002`).expect(200);
    expect(byId.body.items.map((e: { action: string }) => e.action)).toEqual(['contract.step_2']);
    // Ids are stored lower-case; an upper-case UUID finds the same record.
    expect(
      (await api(`?entityType=${type}&entityId=AAAAAAAA-0000-4000-8000-000000000002`).expect(200)).body.items.map((e: { action: string }) => e.action),
    ).toEqual(['contract.step_2']);
    expect((await api(`?entityType=${type}&entityId=E08000025`).expect(200)).body.total).toBe(1);
    expect((await api(`?entityType=${type}&actor=${auditor.id}`).expect(200)).body.total).toBe(3);
    expect((await api(`?entityType=${type}&actor=${auditor.id.toUpperCase()}`).expect(200)).body.total).toBe(3);
    expect((await api(`?entityType=${type}&actor=${encodeURIComponent(auditor.email.toUpperCase())}`).expect(200)).body.total).toBe(3);
    expect((await api(`?entityType=${type}&actor=system`).expect(200)).body.total).toBe(4);

    const [{ today }] = await t.dataSource.query(`SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS today`);
    expect((await api(`?entityType=${type}&from=${today}&to=${today}`).expect(200)).body.total).toBe(7);
    expect((await api(`?entityType=${type}&to=2020-01-01`).expect(200)).body.total).toBe(0);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    expect((await api(`?entityType=${type}&from=${hourAgo}`).expect(200)).body.total).toBe(7);
    expect((await api(`?entityType=${type}&to=${encodeURIComponent(hourAgo.replace('Z', '+00:00'))}`).expect(200)).body.total).toBe(0);
  });

  it.each([
    ['actor', '?actor=a@example.org&actor=b@example.org'],
    ['entityType', '?entityType=user_account&entityType=organisation'],
    ['entityId', '?entityId=a&entityId=b'],
    ['from', '?from=2027-01-01&from=2027-01-02'],
    ['to', '?to=2027-01-01&to=2027-01-02'],
    // Express's simple query parser keeps brackets in the name: an unknown field, named as sent.
    ['to[]', '?to[]=2027-01-01'],
    ['limit', '?limit=10&limit=20'],
    ['page', '?page=1&page=2'],
    ['actor', `?actor=${'-'.repeat(36)}`],
    ['actor', '?actor=not-an-id'],
    ['entityType', '?entityType=User%20Account'],
    ['entityId', `?entityId=${'x'.repeat(201)}`],
    ['from', '?from=17/01/2027'],
    ['from', '?from=2027-02-30'],
    ['to', '?to=2027-01-17T25:00:00Z'],
    ['to', '?to=2027-01-17T10:00:00'],
    ['limit', '?limit=201'],
    ['limit', '?limit=0'],
    ['limit', '?limit=1e3'],
    ['page', '?page=0'],
    ['page', '?page=-1'],
    ['page', '?page=99999999999999999999'],
    ['colour', '?colour=red'],
  ])('refuses a bad %s with a 400 naming it (%s)', async (field, query) => {
    const res = await api(query);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('is for auditors and administrators only', async () => {
    await request(t.http).get('/api/v1/audit-events').expect(401);
    const applicant = await createUser(t);
    await request(t.http)
      .get('/api/v1/audit-events')
      .set('Authorization', `Bearer ${await tokenFor(t, applicant)}`)
      .expect(403);
  });

  it('the /admin/audit page re-shows the form with the error, never a 500, and pages through results', async () => {
    const browser = await signIn(t, auditor);
    for (const [query, message] of [
      ['?from-day=30&from-month=2&from-year=2027', 'Start date must be a real date'],
      ['?from-day=3&from-year=2027', 'Start date must include a month'],
      ['?to-day=1&to-month=1&to-year=27', 'End date must be a real date, like 17 1 2027'],
      ['?from-day=2&from-month=1&from-year=2027&to-day=1&to-month=1&to-year=2027', 'End date must be the same as or after the start date'],
      ['?from=2027-02-30', 'Start date must be a real date'],
      ['?page=1e300', 'page must be'],
      [`?entityId=${'x'.repeat(5000)}`, 'entityId must be 200 characters or fewer'],
      ['?limit=100000', 'limit must be 200 or less'],
      ['?action=Round%20published', 'action must be an action as recorded'],
    ]) {
      const res = await browser.get(`/admin/audit${query}`).set('Accept', 'text/html');
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(message);
    }
    // The date's message links to the box to fix, and the form keeps what was typed.
    const missingMonth = await browser.get('/admin/audit?from-day=3&from-year=2027').expect(400);
    expect(missingMonth.text).toContain('href="#from-month"');
    expect(missingMonth.text).toMatch(/name="from-year" type="text" value="2027"|name="from-year"[^>]*value="2027"/);
    // A tracking tag, a repeated parameter or anything else the form does not have is ignored on the page.
    const page = await browser.get(`/admin/audit?entityType=${type}&limit=3&utm_source=x&entityType[x]=1&page=1&page=2`).expect(200);
    expect(page.text).toContain('7 events (newest first), showing 1 to 3');
    // An action without a sentence of its own still reads as words.
    expect(page.text).toContain(`The service: contract: step 6 (${type.replace('_', ' ')} E08000025)`);
    expect(page.text).not.toContain('contract.step_3');
    expect(page.text).toContain(`href="/admin/audit?entityType=${type}&amp;limit=3&amp;page=2"`);
    const next = await browser.get(`/admin/audit?entityType=${type}&limit=3&page=3`).expect(200);
    expect(next.text).toContain('contract.step_0');
    expect(next.text).not.toContain('contract.step_1<');
  });

  it('the page filters by London dates typed in date inputs, keeping them in the paging links', async () => {
    const browser = await signIn(t, auditor);
    const [{ d, m, y }] = await t.dataSource.query(
      `SELECT extract(day FROM now() AT TIME ZONE 'Europe/London')::int AS d, extract(month FROM now() AT TIME ZONE 'Europe/London')::int AS m,
              extract(year FROM now() AT TIME ZONE 'Europe/London')::int AS y`,
    );
    const today = `from-day=${d}&from-month=${m}&from-year=${y}&to-day=${d}&to-month=${m}&to-year=${y}`;
    const res = await browser.get(`/admin/audit?entityType=${type}&${today}&limit=5`).expect(200);
    expect(res.text).toContain('7 events (newest first), showing 1 to 5');
    expect(res.text).toContain(`from-day=${d}&amp;from-month=${m}&amp;from-year=${y}`);
    const before = await browser.get(`/admin/audit?entityType=${type}&to-day=1&to-month=1&to-year=2020`).expect(200);
    expect(before.text).toContain('0 events');
  });

  it('reads in plain words: names, references and round names instead of ids, filtered by person, record and action', async () => {
    const suffix = randomBytes(2).toString('hex');
    const priya = await createUser(t, ['assessor'], { fullName: `Priya Shah ${suffix}` });
    const prefix = `Q${suffix.toUpperCase()}`;
    const reference = `${prefix}-0012`;
    const appId = `bbbbbbbb-0000-4000-8000-${randomBytes(6).toString('hex')}`;
    const roundId = `cccccccc-0000-4000-8000-${randomBytes(6).toString('hex')}`;
    const as = (actorId: string | null, actorLabel: string, fn: (m: EntityManager) => Promise<void>) =>
      runWithContext({ requestId: `req-words-${suffix}`, actorId, actorLabel }, () => t.dataSource.transaction(fn));
    await as(auditor.id, auditor.email, (m) =>
      writeAudit(m, { action: 'round.created', entityType: 'funding_round', entityId: roundId, after: { name: `Fund ${suffix}` } }),
    );
    await as(null, 'system', (m) => writeAudit(m, { action: 'application.started', entityType: 'application', entityId: appId, after: { roundId } }));
    await as(null, 'system', (m) => writeAudit(m, { action: 'application.submitted', entityType: 'application', entityId: appId, after: { reference } }));
    await as(priya.id, priya.email, (m) =>
      writeAudit(m, { action: 'application.screened_eligible', entityType: 'application', entityId: appId, after: { status: 'eligible' } }),
    );
    await as(auditor.id, auditor.email, (m) =>
      writeAudit(m, { action: 'user.roles_changed', entityType: 'user_account', entityId: priya.id, before: { roles: [] }, after: { roles: ['assessor'] } }),
    );

    const browser = await signIn(t, auditor);
    // Found by the application's reference (not its id): every event on it, in words, with the round's name.
    const byReference = await browser.get(`/admin/audit?entityType=application&entityId=${reference.toLowerCase()}`).expect(200);
    expect(byReference.text).toContain('3 events');
    expect(byReference.text).toContain(`Priya Shah ${suffix} screened ${reference} as eligible`);
    expect(byReference.text).toContain(`The service submitted ${reference}`);
    expect(byReference.text).toContain(`The service started a draft application to Fund ${suffix}`);
    expect(byReference.text).not.toContain(`>${appId}<`);
    // By person (part of the name, any case) and by action.
    const byPerson = await browser.get(`/admin/audit?person=priya+shah+${suffix.toUpperCase()}`).expect(200);
    expect(byPerson.text).toContain('1 event ');
    expect(byPerson.text).toContain(`screened ${reference} as eligible`);
    const byAction = await browser.get(`/admin/audit?action=user.roles_changed&entityId=${priya.id}`).expect(200);
    expect(byAction.text).toContain('1 event ');
    expect(byAction.text).toContain(`${auditor.fullName} changed the roles of Priya Shah ${suffix} from no staff roles (an applicant) to assessor`);
    expect(byAction.text).toContain('<option value="user.roles_changed" selected>Roles changed</option>');

    // The API takes the same filters.
    const api1 = await api(`?action=application.screened_eligible&person=${encodeURIComponent(priya.email)}`).expect(200);
    expect(api1.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([appId]);
    expect((await api(`?entityId=${reference}`).expect(200)).body.total).toBe(3);
    expect((await api(`?action=application.screened_eligible&person=nobody-${suffix}`).expect(200)).body.total).toBe(0);
  });

  it('documents the API in OpenAPI, and leaves the HTML pages out', async () => {
    const doc = (await request(t.http).get('/api/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).toEqual([]);
    for (const p of ['/admin/audit', '/admin/mailbox']) expect(doc.paths[p]).toBeUndefined();

    const op = doc.paths['/api/v1/audit-events'].get;
    expect(op.summary).toBeTruthy();
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'action',
      'actor',
      'entityId',
      'entityType',
      'from',
      'limit',
      'page',
      'person',
      'to',
    ]);
    expect(Object.keys(op.responses).sort()).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    const page = resolve(doc, op.responses['200'].content['application/json'].schema);
    expect(Object.keys(page.properties).sort()).toEqual(['items', 'limit', 'page', 'total']);
    const event = resolve(doc, page.properties.items.items);
    expect(Object.keys(event.properties).sort()).toEqual([
      'action',
      'actor',
      'actorId',
      'after',
      'before',
      'entityId',
      'entityType',
      'id',
      'ip',
      'occurredAt',
      'requestId',
    ]);
    expect(event.properties.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
    for (const nullable of ['actorId', 'actor', 'before', 'after', 'requestId', 'ip']) expect(event.properties[nullable].nullable).toBe(true);

    const mailbox = doc.paths['/api/v1/admin/mailbox'].get;
    expect(mailbox.summary).toBeTruthy();
    expect(mailbox.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['limit', 'page', 'q']);
    expect(Object.keys(mailbox.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    const mailPage = resolve(doc, mailbox.responses['200'].content['application/json'].schema);
    const message = resolve(doc, mailPage.properties.items.items);
    expect(Object.keys(message.properties).sort()).toEqual(['createdAt', 'html', 'id', 'sentAt', 'status', 'subject', 'template', 'text', 'to']);
    expect(message.properties.sentAt).toMatchObject({ format: 'date-time', nullable: true });
    expect(message.properties.createdAt).toMatchObject({ format: 'date-time' });
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolve(doc: any, schema: any): any {
  if (!schema?.$ref) return schema;
  return doc.components.schemas[schema.$ref.split('/').pop()];
}
