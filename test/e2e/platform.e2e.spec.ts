import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

describe('web shell and operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the GOV.UK start page with a per-request CSP nonce', async () => {
    const first = await request(t.http).get('/').expect(200).expect('Content-Type', /html/);
    const second = await request(t.http).get('/');
    expect(first.text).toContain('PCC Grants');
    expect(first.text).toContain('govuk-template');
    expect(first.text).toContain('href="/accessibility"');
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(first.headers['content-security-policy'])?.[1];
    expect(nonce).toBeTruthy();
    expect(first.text).toContain(`nonce="${nonce}"`);
    expect(second.headers['content-security-policy']).not.toContain(nonce);
  });

  it('reports healthy when the database is up and migrated', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
  });

  it('reports 503 when a migration is missing', async () => {
    const [last] = await t.dataSource.query(`SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1`);
    await t.dataSource.query(`DELETE FROM schema_migration WHERE name = $1`, [last.name]);
    try {
      const res = await request(t.http).get('/health').expect(503);
      expect(res.body.status).toBe('error');
    } finally {
      await t.dataSource.query(`INSERT INTO schema_migration (timestamp, name) VALUES ($1, $2)`, [Number(last.name.match(/\d+/)[0]), last.name]);
    }
  });

  it('publishes the OpenAPI document and Swagger UI', async () => {
    const doc = await request(t.http).get('/api/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    // The document describes the API; /health is for load balancers and stays out of it.
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/rounds');
    expect(Object.keys(doc.body.paths)).not.toContain('/health');
    await request(t.http).get('/api/docs').expect(200).expect('Content-Type', /html/);
  });

  it('answers unknown API routes with JSON and unknown pages with a GOV.UK page', async () => {
    const api = await request(t.http).get('/api/v1/nothing-here').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect(api.body.requestId).toBe(api.headers['x-request-id']);
    const page = await request(t.http).get('/nothing-here').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('Page not found');
  });
});
