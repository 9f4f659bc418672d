import request from 'supertest';
import { createUser, signIn } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  it('probes', async () => {
    const u = await createUser(t);
    const r = await request(t.http).post('/api/v1/auth/tokens').send({ email: u.email, password: u.password });
    console.log(r.status, r.text.slice(0, 500));
    const r2 = await request(t.http).post('/sign-in').type('form').send({ email: u.email, password: u.password });
    console.log(r2.status, r2.headers['content-type'], r2.text.slice(0, 3000));
    const page = await request(t.http).get('/sign-in');
    console.log(page.headers['set-cookie'], page.text);
  });
});
