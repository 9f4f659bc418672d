import { Client } from 'pg';
import request from 'supertest';
import { createUser, tokenFor } from '../support/identity';
import {
  bearer,
  createApplicant,
  createPublishedRound,
  roundBody,
  seedFunds,
  setClock,
  staffMember,
  startApplication,
  type Applicant,
  type StaffMember,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Regression tests for the malformed inputs a fuzz run found answering 500 (issue 7, finding 10),
 * and for the database outage that answered 500 instead of 503. Each must now be a 4xx in the
 * API's error shape, naming the field and the rule.
 */
describe('malformed input is a 4xx naming the field, never a 5xx', () => {
  let t: TestApp;
  let manager: StaffMember;
  let applicant: Applicant;
  let applicationId: string;
  let roundId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const { VF } = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
    setClock(t, '2027-01-10T12:00:00Z');
    roundId = (await createPublishedRound(t, manager, roundBody(VF))).id;
    applicant = await createApplicant(t);
    applicationId = (await startApplication(t, applicant, roundId)).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectFieldError = (res: request.Response, field: string, rule?: string) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(rule ? { rule } : {}) })]));
    expect(typeof res.body.requestId).toBe('string');
  };

  describe('ids', () => {
    it.each([
      ['36 letters, anonymously', 'get', `/api/v1/rounds/${'a'.repeat(36)}`],
      ['36 hyphens, anonymously', 'get', `/api/v1/rounds/${'-'.repeat(36)}`],
      ['no check before: withdraw', 'post', '/api/v1/applications/abc/withdraw'],
      ['no check before: publish', 'post', '/api/v1/rounds/abc/publish'],
      ['no check before: update', 'put', '/api/v1/rounds/abc'],
      ['an id with a NUL', 'get', '/api/v1/applications/abc%00'],
    ] as const)('%s → 400 isUuid', async (_name, method, path) => {
      const client = request(t.http);
      const res = await client[method](path)
        .set(bearer(path.includes('rounds') ? manager.token : applicant.token))
        .send({});
      expectFieldError(res, 'id', 'isUuid');
    });

    it('an upper-case id is the same record (one record, one URL)', async () => {
      const res = await request(t.http).get(`/api/v1/applications/${applicationId.toUpperCase()}`).set(bearer(applicant.token));
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(applicationId);
    });

    it('a malformed id in a page address is the GOV.UK "Page not found" page, not a 500', async () => {
      const res = await request(t.http)
        .get(`/funds/${'-'.repeat(36)}`)
        .set('Accept', 'text/html');
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
    });
  });

  describe('text PostgreSQL cannot store', () => {
    it('NUL in an organisation field → 400 naming the field', async () => {
      const someone = await createUser(t);
      const res = await request(t.http)
        .post('/api/v1/organisations')
        .set(bearer(await tokenFor(t, someone)))
        .send({
          name: 'Aston\u0000 Victims',
          type: 'unincorporated_group',
          addressLine1: '1 Road',
          town: 'Birmingham',
          postcode: 'B6 4AA',
          area: 'E08000025',
          contactName: 'A',
          contactEmail: someone.email,
        });
      expectFieldError(res, 'name', 'isWellFormedText');
    });

    it('a lone surrogate in the email on the token route → 400, not URIError', async () => {
      const res = await request(t.http)
        .post('/api/v1/auth/tokens')
        .set('Content-Type', 'application/json')
        .send('{"email":"x\\ud800y","password":"whatever-it-is"}');
      expectFieldError(res, 'email', 'isWellFormedText');
    });

    it('a lone low surrogate in a nested answer → 400 with the dotted path', async () => {
      const res = await request(t.http)
        .patch(`/api/v1/applications/${applicationId}`)
        .set(bearer(applicant.token))
        .set('Content-Type', 'application/json')
        .send('{"answers":{"projectTitle":"a\\udc00b"}}');
      expectFieldError(res, 'answers.projectTitle', 'isWellFormedText');
    });

    it('NUL in an object key → 400', async () => {
      const res = await request(t.http)
        .patch(`/api/v1/applications/${applicationId}`)
        .set(bearer(applicant.token))
        .set('Content-Type', 'application/json')
        .send('{"answers":{"a\\u0000b":"x"}}');
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('answers.a\\u0000b');
    });

    it('NUL in a query filter → 400 naming the parameter', async () => {
      const res = await request(t.http).get(`/api/v1/rounds/${roundId}/applications?category=hate%00crime`).set(bearer(manager.token));
      expectFieldError(res, 'category', 'isWellFormedText');
    });

    it('NUL in a page form → GOV.UK 400 page, not a 500', async () => {
      const res = await request(t.http).post('/sign-in').type('form').set('Accept', 'text/html').send('email=a%00b%40example.org&password=x');
      expect(res.status).toBeLessThan(500);
      expect(res.status).not.toBe(200);
    });
  });

  describe('shape of the body', () => {
    it('JSON nested 1,500 deep (3 KB) → 400 before it is parsed, on any JSON route', async () => {
      const deep = '['.repeat(750) + '{"a":1}' + ']'.repeat(750);
      for (const path of ['/api/v1/auth/tokens', `/api/v1/applications/${applicationId}`]) {
        const client = request(t.http);
        const res = await client[path.includes('auth') ? 'post' : 'patch'](path)
          .set(bearer(applicant.token))
          .set('Content-Type', 'application/json')
          .send(`{"answers":${deep}}`);
        expectFieldError(res, 'body', 'maxDepth');
      }
    });

    it('brackets inside strings do not count towards the depth', async () => {
      const title = `${'['.repeat(40)} brackets "\\" ${'{'.repeat(40)}`;
      const res = await request(t.http)
        .patch(`/api/v1/applications/${applicationId}`)
        .set(bearer(applicant.token))
        .send({ answers: { projectTitle: title } });
      expect(res.body.details ?? []).toEqual([]);
      expect(res.status).toBe(200);
    });

    it('a text/plain body to a JSON route → 400 naming the missing fields, not a 500', async () => {
      const res = await request(t.http).post('/api/v1/rounds').set(bearer(manager.token)).set('Content-Type', 'text/plain').send('name=x');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
    });
  });

  describe('query parameters', () => {
    it.each([
      ['repeated actor', '/api/v1/audit-events?actor=a&actor=b'],
      ['repeated entityType', '/api/v1/audit-events?entityType=a&entityType=b'],
      ['repeated entityId', '/api/v1/audit-events?entityId=a&entityId=b'],
    ])('%s → 400, not a TypeError', async (_name, path) => {
      const admin = await createUser(t, ['admin']);
      const res = await request(t.http)
        .get(path)
        .set(bearer(await tokenFor(t, admin)));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
    });

    it.each([
      ['minAmountPence', '1e300'],
      ['maxAmountPence', '99999999999999999999'],
    ])('%s=%s → 400 naming it, not a bigint error', async (field, value) => {
      const res = await request(t.http).get(`/api/v1/rounds/${roundId}/applications?${field}=${value}`).set(bearer(manager.token));
      expectFieldError(res, field);
    });

    it('an address too long for the HTTP parser → 431 in the error shape', async () => {
      const res = await request(t.http).get(`/api/v1/rounds?status=${'x'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(res.body).toMatchObject({ statusCode: 431, error: expect.any(String), requestId: expect.any(String) });
    });
  });

  describe('answers', () => {
    it.each([
      ['line1 a number', { line1: 42, town: 'Birmingham', postcode: 'B6 4AA' }],
      ['town an object', { line1: '1 Road', town: { x: 1 }, postcode: 'B6 4AA' }],
    ])('an address answer with %s → 400 naming the part, not a TypeError', async (_name, address) => {
      const round = (await request(t.http).get(`/api/v1/rounds/${roundId}`)).body as { form: { sections: { questions: { id: string; type: string }[] }[] } };
      const q = round.form.sections.flatMap((s) => s.questions).find((x) => x.type === 'address');
      if (!q) throw new Error('the test round has no address question');
      const res = await request(t.http)
        .patch(`/api/v1/applications/${applicationId}`)
        .set(bearer(applicant.token))
        .send({ answers: { [q.id]: address } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain(q.id);
    });
  });

  describe('races', () => {
    it('two identical POST /api/v1/rounds at once → one 201 and one 409 with a stable code', async () => {
      const { VF } = {
        VF:
          (await request(t.http).get('/api/v1/fund-programmes').set(bearer(manager.token))).body.find?.((p: { code: string }) => p.code === 'VF')?.id ??
          (await request(t.http).get('/api/v1/fund-programmes').set(bearer(manager.token))).body.items?.find((p: { code: string }) => p.code === 'VF')?.id,
      };
      const body = roundBody(VF);
      const results = await Promise.all([1, 2, 3].map(() => request(t.http).post('/api/v1/rounds').set(bearer(manager.token)).send(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(typeof r.body.error).toBe('string');
    });
  });
});

describe('a lost database is a 503 with Retry-After, and the app recovers by itself', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedFunds(t);
  });
  afterAll(async () => {
    await t.dataSource.query(`ALTER DATABASE ${t.database.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await t?.close();
  });

  it('answers 503 under /api and on pages while the database is gone, then 200 again', async () => {
    expect((await request(t.http).get('/api/v1/rounds')).status).toBe(200);
    // Take the database away: no new connections, and every existing one (the app's pool) cut.
    const admin = new Client({ connectionString: process.env.PCC_TEST_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${t.database.name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [t.database.name]);
      const api = await request(t.http).get('/api/v1/rounds');
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe('5');
      expect(api.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      const page = await request(t.http).get('/funds').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toBe('5');
      expect(page.text).toContain('Sorry, the service is unavailable');
    } finally {
      await admin.query(`ALTER DATABASE ${t.database.name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect((await request(t.http).get('/api/v1/rounds')).status).toBe(200);
  });
});
