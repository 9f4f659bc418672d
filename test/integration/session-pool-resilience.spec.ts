import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The session store's pool when PostgreSQL ends its idle connections (a restart, an administrator,
 * a failover): the app keeps serving and the next page opens a new connection. A CI run once
 * failed with "Unhandled error … terminating connection due to administrator command" because the
 * pool had no error listener, which would have stopped the whole app in production.
 */
describe('session store pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('survives the server ending its idle connections, and reconnects', async () => {
    // A page with a form starts a session, so the session pool has a connection, left idle.
    await request(t.http).get('/sign-in').expect(200);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pcc-grants-sessions' AND datname = current_database()`,
    );
    expect(n).toBeGreaterThan(0);
    await t.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pcc-grants-sessions' AND datname = current_database()`,
    );
    // Give the pool time to hear of it (the error arrives on the idle client's socket).
    await new Promise((resolve) => setTimeout(resolve, 300));
    await request(t.http).get('/sign-in').expect(200);
  });
});
