import request from 'supertest';
import { createUser, signIn, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { auditRows, clearThrottle, csrfOf, enrolThroughPages, freshStep, postSignIn, totpAt } from './identity-support';

/** STAFF_MFA_REQUIRED=true (the production default): staff must set up MFA before anything else. */
describe('identity: MFA required for staff', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { STAFF_MFA_REQUIRED: 'true' } });
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));

  const createToken = (body: Record<string, unknown>) => request(t.http).post('/api/v1/auth/tokens').send(body);
  const tokenCount = async (userId: string) => (await t.dataSource.query(`SELECT 1 FROM api_token WHERE user_id = $1`, [userId])).length;

  it('sends a staff member without MFA to set it up, refuses the API and token creation, and lets them in once enrolled', async () => {
    expect(t.config.staffMfaRequired).toBe(true);
    const admin = await createUser(t, ['admin']);
    // A token from before the rule applied to them still cannot be used.
    const oldToken = await tokenFor(t, admin);

    const agent = request.agent(t.http);
    const signedIn = await postSignIn(agent, admin.email, admin.password);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/account/mfa');

    // Pages: sent to set up MFA.
    for (const path of ['/admin/users', '/admin/users/invite', '/admin/audit']) {
      const res = await agent.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/mfa');
    }
    // The account page itself stays reachable, but not what it offers.
    const csrf = await csrfOf(agent, '/account');
    expect((await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'x' })).status).toBe(403);

    // API: refused, through the session and through the token.
    for (const res of [await agent.get('/api/v1/me'), await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${oldToken}`)]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('identity.mfa_enrolment_required');
    }
    const refused = await createToken({ email: admin.email, password: admin.password });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('identity.mfa_enrolment_required');
    expect(await tokenCount(admin.id)).toBe(1);

    // Set it up through the pages; the set-up page says it is required.
    const step = await freshStep();
    expect((await agent.get('/account/mfa').expect(200)).text).toContain('Staff must use an authenticator app to sign in.');
    const { secret, recoveryCodes } = await enrolThroughPages(agent, (s) => totpAt(s, step - 1));
    expect(recoveryCodes).toHaveLength(10);
    expect(await auditRows(t, 'user.mfa_enabled', admin.id)).toHaveLength(1);

    await agent.get('/admin/users').expect(200);
    expect((await agent.get('/api/v1/me').expect(200)).body).toMatchObject({ id: admin.id, roles: ['admin'], mfaEnabled: true });
    await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${oldToken}`).expect(200);

    expect((await createToken({ email: admin.email, password: admin.password })).body.error).toBe('identity.otp_required');
    const minted = await createToken({ email: admin.email, password: admin.password, otp: totpAt(secret, step) });
    expect(minted.status).toBe(201);
    await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${minted.body.token}`).expect(200);
  });

  it('does not require MFA of applicants', async () => {
    const applicant = await createUser(t);
    const agent = await signIn(t, applicant);
    await agent.get('/account').expect(200);
    expect((await agent.get('/api/v1/me').expect(200)).body.mfaEnabled).toBe(false);
    expect((await createToken({ email: applicant.email, password: applicant.password })).status).toBe(201);
  });

  it('applies to every staff role, not only admins', async () => {
    for (const role of ['assessor', 'fund_manager', 'finance_officer', 'finance_approver', 'commissioner', 'auditor'] as const) {
      const staff = await createUser(t, [role]);
      const res = await postSignIn(request.agent(t.http), staff.email, staff.password);
      expect(res.headers.location).toBe('/account/mfa');
      const api = await request(t.http)
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${await tokenFor(t, staff)}`);
      expect([role, api.status, api.body.error]).toEqual([role, 403, 'identity.mfa_enrolment_required']);
    }
  });
});
