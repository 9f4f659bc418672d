import { uniqueEmail } from '@pcc/testing';
import request from 'supertest';
import { UsersService } from '../../src/modules/identity/users.service';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { type Agent, auditRows, clearThrottle, csrfOf, emailsTo, errorSummary, h1, linkIn } from './identity-support';

const BIRMINGHAM = 'E08000025';
const orgBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Aston Youth Trust',
  type: 'registered_charity',
  charityNumber: '1177777',
  addressLine1: '1 Park Lane',
  town: 'Birmingham',
  postcode: 'B6 5QX',
  area: BIRMINGHAM,
  contactName: 'Real Chair',
  contactEmail: 'chair@example.org',
  ...overrides,
});

/**
 * Issue 7, identity finding 6: organisation squatting. A confirmed email is needed to register an
 * organisation; a second claimant raises a dispute that an administrator resolves (audited, the
 * claimant emailed); administrators mark organisations verified and staff see which are not.
 */
describe('identity hardening: organisations need a confirmed email, disputes, verification', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminAgent: Agent;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, ['admin']);
    adminAgent = await signIn(t, admin);
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));

  let n = 0;
  const charityNumber = () => String(1_200_000 + Math.floor(Math.random() * 600_000) + n++);
  const createViaApi = (token: string, body: Record<string, unknown>) =>
    request(t.http).post('/api/v1/organisations').set('Authorization', `Bearer ${token}`).send(body);
  const membersOf = async (orgId: string) =>
    await t.dataSource.query<
      {
        user_id: string;
        role: string;
      }[]
    >(`SELECT user_id, role FROM organisation_membership WHERE organisation_id = $1 ORDER BY role, user_id`, [orgId]);

  describe('a confirmed email is needed to register an organisation', () => {
    it('refuses an unconfirmed account with 403 identity.email_not_verified on the API and an explanation with a resend button on the page', async () => {
      const email = uniqueEmail('unconfirmed');
      const password = 'Marble-Harbour-Lantern-7';
      await t.app.get(UsersService).registerApplicant({ fullName: 'Una Confirmed', email, password });
      const [{ id }] = await t.dataSource.query(`SELECT id FROM user_account WHERE email = $1`, [email]);
      const token = await tokenFor(t, { id, email, password, fullName: 'Una Confirmed' });
      const number = charityNumber();

      const api = await createViaApi(token, orgBody({ charityNumber: number }));
      expect(api.status).toBe(403);
      expect(api.body.error).toBe('identity.email_not_verified');
      expect(api.body.message).toBe('Confirm your email address before you register an organisation');

      const agent = request.agent(t.http);
      const signInCsrf = await csrfOf(agent, '/sign-in');
      expect((await agent.post('/sign-in').type('form').send({ _csrf: signInCsrf, email, password })).status).toBe(303);
      const page = await agent.get('/organisations/new').expect(200);
      expect(h1(page.text)).toBe('Confirm your email address first');
      expect(page.text).toContain('action="/verify-email/resend"');
      const posted = await agent
        .post('/organisations')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...orgBody({ charityNumber: number }) });
      expect(posted.status).toBe(403);
      expect(h1(posted.text)).toBe('Confirm your email address first');
      expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE charity_number = $1`, [number])).toHaveLength(0);

      // The button sends the link again; once confirmed, the same request works.
      expect(
        (
          await agent
            .post('/verify-email/resend')
            .type('form')
            .send({ _csrf: csrfFrom(page.text) })
        ).status,
      ).toBe(200);
      const link = linkIn((await emailsTo(t, email)).at(-1)!.text_body, '/verify-email');
      await agent.get(link).expect(200);
      expect((await createViaApi(token, orgBody({ charityNumber: number }))).status).toBe(201);
    });
  });

  describe('a second claimant raises a dispute that an administrator resolves', () => {
    async function squatted() {
      const squatter = await createUser(t, [], { fullName: 'Squatter' });
      const number = charityNumber();
      const org = await createViaApi(await tokenFor(t, squatter), orgBody({ charityNumber: number }));
      expect(org.status).toBe(201);
      const claimant = await createUser(t, [], { fullName: 'Real Chair' });
      return { squatter, number, orgId: org.body.id as string, claimant, claimantAgent: await signIn(t, claimant) };
    }
    async function raise(agent: Agent, fields: Record<string, string>) {
      const csrf = await csrfOf(agent, `/organisations/disputes/new?number=${encodeURIComponent(fields.registrationNumber ?? '')}`);
      return agent
        .post('/organisations/disputes')
        .type('form')
        .send({ _csrf: csrf, ...fields });
    }
    async function resolve(disputeId: string, fields: Record<string, string>) {
      const csrf = await csrfOf(adminAgent, `/admin/organisation-disputes/${disputeId}`);
      return adminAgent
        .post(`/admin/organisation-disputes/${disputeId}/resolve`)
        .type('form')
        .send({ _csrf: csrf, ...fields });
    }
    const disputeOf = async (claimantId: string) => (await t.dataSource.query(`SELECT * FROM organisation_dispute WHERE claimant_id = $1`, [claimantId]))[0];

    it('offers the dispute form instead of a dead end, and transferring makes the claimant the owner (audited, emailed)', async () => {
      const { squatter, number, orgId, claimant, claimantAgent } = await squatted();
      // The API says what to do.
      const api = await createViaApi(await tokenFor(t, claimant), orgBody({ charityNumber: number }));
      expect(api.status).toBe(409);
      expect(api.body.message).toContain('raise a dispute');
      // The page links to the dispute form with the number filled in.
      const formCsrf = await csrfOf(claimantAgent, '/organisations/new');
      const page = await claimantAgent
        .post('/organisations')
        .type('form')
        .send({ _csrf: formCsrf, ...orgBody({ charityNumber: number }) });
      expect(page.status).toBe(409);
      expect(page.text).toContain(`href="/organisations/disputes/new?number=${number}"`);
      const form = await claimantAgent.get(`/organisations/disputes/new?number=${number}`).expect(200);
      expect(form.text).toContain(`value="${number}"`);

      const sent = await raise(claimantAgent, {
        registrationNumber: number,
        claimantRole: 'Chair of trustees',
        reason: 'I am named on the Charity Commission register.\nThe other account is not ours.',
      });
      expect(sent.status).toBe(200);
      expect(h1(sent.text)).toBe('We have received your dispute');
      const dispute = await disputeOf(claimant.id);
      expect(dispute).toMatchObject({ organisation_id: orgId, status: 'open', claimant_role: 'Chair of trustees' });
      expect(await auditRows(t, 'organisation.dispute_raised', orgId)).toHaveLength(1);
      // A second one while the first is open is refused, naming the field.
      const again = await raise(claimantAgent, { registrationNumber: number, claimantRole: 'Chair', reason: 'Again' });
      expect(again.status).toBe(409);
      expect(errorSummary(again.text)).toContain('already raised a dispute');

      // The administrator sees it, with the organisation tagged unverified.
      const list = await adminAgent.get('/admin/organisation-disputes').expect(200);
      expect(list.text).toContain(`/admin/organisation-disputes/${dispute.id}`);
      const detail = await adminAgent.get(`/admin/organisation-disputes/${dispute.id}`).expect(200);
      expect(detail.text).toContain('Unverified');
      expect(detail.text).toContain('Squatter');

      // No decision chosen: a GOV.UK error naming the field.
      const none = await resolve(dispute.id, {});
      expect(none.status).toBe(400);
      expect(errorSummary(none.text)).toContain('Select whether to transfer the organisation or reject the claim');

      const done = await resolve(dispute.id, { decision: 'transfer', note: 'Checked with the Charity Commission' });
      expect(done.status).toBe(303);
      expect(await membersOf(orgId)).toEqual([{ user_id: claimant.id, role: 'owner' }]);
      expect(await disputeOf(claimant.id)).toMatchObject({
        status: 'transferred',
        resolved_by: admin.id,
        resolution_note: 'Checked with the Charity Commission',
      });
      const [transfer] = await auditRows(t, 'organisation.ownership_transferred', orgId);
      expect(transfer).toMatchObject({ actor_id: admin.id, before: { owners: [squatter.id] }, after: { owners: [claimant.id] } });
      expect(await auditRows(t, 'organisation.dispute_resolved', orgId)).toHaveLength(1);
      const mail = await emailsTo(t, claimant.email);
      expect(mail.map((m) => m.template)).toEqual(['organisation-dispute-upheld']);
      expect(mail[0].text_body).toContain('Checked with the Charity Commission');

      // The squatter has lost it; the claimant has it.
      expect(
        (
          await request(t.http)
            .get(`/api/v1/organisations/${orgId}`)
            .set('Authorization', `Bearer ${await tokenFor(t, squatter)}`)
        ).status,
      ).toBe(404);
      await claimantAgent.get(`/organisations/${orgId}`).expect(200);
      // Decided once.
      const twice = await adminAgent
        .post(`/admin/organisation-disputes/${dispute.id}/resolve`)
        .type('form')
        .send({ _csrf: csrfFrom(detail.text), decision: 'reject' });
      expect(twice.status).toBe(409);
    });

    it('rejecting changes nothing and emails the claimant', async () => {
      const { squatter, number, orgId, claimant, claimantAgent } = await squatted();
      expect((await raise(claimantAgent, { registrationNumber: number, claimantRole: 'Volunteer', reason: 'I help out.' })).status).toBe(200);
      const dispute = await disputeOf(claimant.id);
      expect((await resolve(dispute.id, { decision: 'reject' })).status).toBe(303);
      expect(await membersOf(orgId)).toEqual([{ user_id: squatter.id, role: 'owner' }]);
      expect(await disputeOf(claimant.id)).toMatchObject({ status: 'rejected', resolved_by: admin.id });
      expect((await emailsTo(t, claimant.email)).map((m) => m.template)).toEqual(['organisation-dispute-rejected']);
    });

    it('will not transfer an organisation to a claimant whose account has since been deactivated', async () => {
      const { squatter, number, orgId, claimant, claimantAgent } = await squatted();
      expect((await raise(claimantAgent, { registrationNumber: number, claimantRole: 'Treasurer', reason: 'We run it.' })).status).toBe(200);
      const dispute = await disputeOf(claimant.id);
      await t.dataSource.query(`UPDATE user_account SET status = 'deactivated' WHERE id = $1`, [claimant.id]);
      const res = await resolve(dispute.id, { decision: 'transfer' });
      expect(res.status).toBe(409);
      expect(await membersOf(orgId)).toEqual([{ user_id: squatter.id, role: 'owner' }]);
      expect(await disputeOf(claimant.id)).toMatchObject({ status: 'open' });
    });

    it('checks the dispute form: every field named, an unknown number, one-line role', async () => {
      const claimant = await createUser(t);
      const agent = await signIn(t, claimant);
      const empty = await raise(agent, {});
      expect(empty.status).toBe(400);
      for (const text of [
        'Enter the charity or company number of the organisation',
        'Enter your role in the organisation',
        'Enter why you should manage this organisation',
      ])
        expect(errorSummary(empty.text)).toContain(text);
      const unknown = await raise(agent, { registrationNumber: '1999999', claimantRole: 'Chair', reason: 'Ours' });
      expect(unknown.status).toBe(400);
      expect(errorSummary(unknown.text)).toContain('No organisation with this charity or company number uses the service');
      const crlf = await raise(agent, { registrationNumber: '1999999', claimantRole: 'Chair\r\nPayment on hold', reason: 'Ours' });
      expect(crlf.status).toBe(400);
      expect(errorSummary(crlf.text)).toContain('Your role must be on one line');
    });

    it('keeps the dispute and verification pages to administrators', async () => {
      const manager = await createUser(t, ['fund_manager']);
      const agent = await signIn(t, manager);
      for (const path of ['/admin/organisation-disputes', '/admin/organisations']) expect((await agent.get(path)).status).toBe(403);
    });
  });

  describe('verification', () => {
    it('pages the administrators’ list of organisations, keeping the page size, and refuses a malformed page', async () => {
      for (let i = 0; i < 3; i++) await createViaApi(await tokenFor(t, await createUser(t)), orgBody({ charityNumber: charityNumber() }));
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation`);
      const first = await adminAgent.get('/admin/organisations?limit=2').expect(200);
      expect((first.text.match(/id="org-/g) ?? []).length).toBe(2);
      expect(first.text).toContain(`${n} organisations, showing 1 to 2`);
      expect(first.text).toContain('href="/admin/organisations?limit=2&amp;page=2"');
      const last = Math.ceil(n / 2);
      const end = await adminAgent.get(`/admin/organisations?limit=2&page=${last}`).expect(200);
      expect((end.text.match(/id="org-/g) ?? []).length).toBe(n - (last - 1) * 2);
      expect(end.text).not.toContain('rel="next"');
      expect((await adminAgent.get('/admin/organisations?page=abc')).status).toBe(400);
    });

    it('shows staff an "Unverified" tag until an administrator marks the organisation verified (audited)', async () => {
      const owner = await createUser(t);
      const created = await createViaApi(await tokenFor(t, owner), orgBody({ charityNumber: charityNumber() }));
      expect(created.body).toMatchObject({ verified: false, verifiedAt: null });
      const orgId = created.body.id as string;

      const manager = await signIn(t, await createUser(t, ['fund_manager']));
      const staffView = await manager.get(`/organisations/${orgId}`).expect(200);
      expect(staffView.text).toContain('Unverified');
      expect(staffView.text).not.toContain(`action="/admin/organisations/${orgId}/verify"`);
      // Only administrators may mark it.
      expect(
        (
          await manager
            .post(`/admin/organisations/${orgId}/verify`)
            .type('form')
            .send({ _csrf: csrfFrom(staffView.text) })
        ).status,
      ).toBe(403);

      const list = await adminAgent.get('/admin/organisations').expect(200);
      expect(list.text).toMatch(new RegExp(`id="org-${orgId}"[\\s\\S]*?Unverified[\\s\\S]*?action="/admin/organisations/${orgId}/verify"`));
      const adminView = list;
      const marked = await adminAgent
        .post(`/admin/organisations/${orgId}/verify`)
        .type('form')
        .send({ _csrf: csrfFrom(adminView.text) });
      expect(marked.status).toBe(303);
      expect(marked.headers.location).toBe(`/admin/organisations#org-${orgId}`);
      expect((await adminAgent.get('/admin/organisations').expect(200)).text).not.toContain(`action="/admin/organisations/${orgId}/verify"`);
      const [audit] = await auditRows(t, 'organisation.verified', orgId);
      expect(audit.actor_id).toBe(admin.id);
      expect((await manager.get(`/organisations/${orgId}`).expect(200)).text).toContain('Verified');
      const api = await request(t.http)
        .get(`/api/v1/organisations/${orgId}`)
        .set('Authorization', `Bearer ${await tokenFor(t, owner)}`)
        .expect(200);
      expect(api.body.verified).toBe(true);
      expect(new Date(api.body.verifiedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      // Marking it again changes nothing and writes no second audit row.
      await adminAgent
        .post(`/admin/organisations/${orgId}/verify`)
        .type('form')
        .send({ _csrf: csrfFrom(adminView.text) })
        .expect(303);
      expect(await auditRows(t, 'organisation.verified', orgId)).toHaveLength(1);
    });
  });
});
