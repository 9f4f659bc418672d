import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DataCipher } from '@pcc/crypto';
import { DATA_CIPHER } from '../../src/platform/crypto';
import { createUser, csrfFrom } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Regression test for a sign-in that now and then bounced back to /sign-in in the browser tests.
 * express-session, so as not to delay a response, sends its headers (and all but its last byte)
 * before the session the request changed has been saved. A browser follows a 303 on the headers
 * alone, so it could ask for /sign-in/code before the session holding `pendingMfa` was in the
 * store, and be sent back to /sign-in. A slow store is made here by a trigger that sleeps on the
 * session row's insert; the client follows the redirect the moment its headers arrive.
 */
describe('a changed session is saved before the reply that depends on it is sent', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    const server = t.http;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Only the save of a session holding the marker a test names waits: everything else is as usual.
    await t.dataSource.query(`
      CREATE TABLE test_slow_session (marker text NOT NULL);
      CREATE FUNCTION test_slow_session_save() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM test_slow_session WHERE NEW.sess::text LIKE '%' || marker || '%') THEN PERFORM pg_sleep(0.5); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_slow_session_save BEFORE INSERT OR UPDATE ON http_session FOR EACH ROW EXECUTE FUNCTION test_slow_session_save();
    `);
  });
  afterAll(() => t.close());
  const slowSavesOf = async (marker: string) => {
    await t.dataSource.query(`DELETE FROM test_slow_session`);
    await t.dataSource.query(`INSERT INTO test_slow_session (marker) VALUES ($1)`, [marker]);
  };

  /** Sends a request and resolves on its status line and headers, without waiting for the body. */
  const headersOf = (path: string, init: { method?: string; cookie?: string; form?: Record<string, string> } = {}) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
      const req = http.request(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          accept: 'text/html',
          ...(init.cookie ? { cookie: init.cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      });
      req.on('response', (res) => {
        resolve(res);
        res.resume();
      });
      req.on('error', reject);
      req.end(body);
    });
  const cookieOf = (res: http.IncomingMessage) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

  it('the password step of a sign-in with an authenticator app: the code page is there as soon as the redirect is', async () => {
    await slowSavesOf('pendingMfa');
    const user = await createUser(t, ['assessor']);
    const cipher = t.app.get<DataCipher>(DATA_CIPHER);
    await t.dataSource.query(`UPDATE user_account SET mfa_enabled_at = now(), mfa_secret = $2 WHERE id = $1`, [
      user.id,
      cipher.encrypt('JBSWY3DPEHPK3PXPJBSWY3DP', 'user_account.mfa_secret'),
    ]);
    const page = await request(base).get('/sign-in').expect(200);
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');

    const signedIn = await headersOf('/sign-in', { method: 'POST', cookie, form: { _csrf: csrfFrom(page.text), email: user.email, password: user.password } });
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/sign-in/code']);
    // At once, as a browser does: the session must already hold the password step.
    const code = await headersOf('/sign-in/code', { cookie: cookieOf(signedIn) || cookie });
    expect([code.statusCode, code.headers.location]).toEqual([200, undefined]);
  });

  it('a new session’s form: posted the moment the page’s token arrives, it is accepted (the token is stored first)', async () => {
    await slowSavesOf('csrfToken');
    const user = await createUser(t, []);
    // Read the sign-in page only until its token has arrived, as a quick hand or a test may.
    const { token, cookie } = await new Promise<{ token: string; cookie: string }>((resolve, reject) => {
      const req = http.get(`${base}/sign-in`, { headers: { accept: 'text/html' } }, (res) => {
        let html = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          html += chunk;
          const m = /name="_csrf" value="([^"]+)"/.exec(html);
          if (m) {
            resolve({ token: m[1], cookie: cookieOf(res) });
            res.removeAllListeners('data');
            res.resume();
          }
        });
      });
      req.on('error', reject);
    });
    const signedIn = await headersOf('/sign-in', { method: 'POST', cookie, form: { _csrf: token, email: user.email, password: user.password } });
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/applications']);
  });
});
