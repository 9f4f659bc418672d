import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { createUser } from '../support/identity';

describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  it('probe', async () => {
    const u = await createUser(t);
    const r1 = await request(t.http).post('/api/v1/auth/tokens').send({ email: u.email, password: u.password });
    console.log('anon POST tokens', r1.status, JSON.stringify(r1.body));
    const r2 = await request(t.http).post('/api/v1/organisations').send({});
    console.log('anon POST orgs', r2.status, JSON.stringify(r2.body));
    const r3 = await request(t.http).get('/api/v1/me');
    console.log('anon GET me', r3.status, JSON.stringify(r3.body));
    const r4 = await request(t.http).delete('/api/v1/auth/tokens/00000000-0000-0000-0000-000000000000');
    console.log('anon DELETE', r4.status, JSON.stringify(r4.body));
    const r5 = await request(t.http).post('/api/v1/nothing');
    console.log('anon POST unknown', r5.status, JSON.stringify(r5.body));
    const inst: any = t.app.getHttpAdapter().getInstance();
    for (const l of inst.router.stack) console.log(l.name, l.route?.path, l.route && Object.keys(l.route.methods));
    console.log(t.config.staffMfaRequired, t.config.smtpUrl);
  });
});
