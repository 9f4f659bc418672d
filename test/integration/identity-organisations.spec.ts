import request from 'supertest';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { auditRows, csrfOf, emailsTo, errorSummary, linkIn } from './identity-support';

const BIRMINGHAM = 'E08000025';

/** A valid organisation; each test overrides what it is about. */
function orgBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Handsworth Community Kitchen',
    type: 'unincorporated_group',
    addressLine1: '12 Soho Road',
    town: 'Birmingham',
    postcode: 'b21 9bh',
    area: BIRMINGHAM,
    contactName: 'Priya Shah',
    contactEmail: 'Priya@Example.org',
    contactPhone: '0121 626 6060',
    ...overrides,
  };
}

/** Organisations: registration numbers, identifiers, area, invitations and object-level access. */
describe('identity: organisations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // The seven areas are reference data the demo seed loads; a fresh database has none.
  });
  afterAll(() => t?.close());

  const api = (token: string) => ({
    create: (body: Record<string, unknown>) => request(t.http).post('/api/v1/organisations').set('Authorization', `Bearer ${token}`).send(body),
    get: (id: string) => request(t.http).get(`/api/v1/organisations/${id}`).set('Authorization', `Bearer ${token}`),
    me: () => request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`),
  });
  async function applicant(): Promise<TestUser & { token: string }> {
    const user = await createUser(t);
    return { ...user, token: await tokenFor(t, user) };
  }
  const orgCount = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation`))[0].n);

  describe('registration numbers', () => {
    it.each([
      ['a registered charity without a charity number', { type: 'registered_charity' }, 'charityNumber', 'required'],
      ['a CIO without a charity number', { type: 'cio', charityNumber: '  ' }, 'charityNumber', 'required'],
      ['a CIC without a company number', { type: 'cic' }, 'companyNumber', 'required'],
      [
        'a company limited by guarantee without a company number',
        { type: 'company_limited_by_guarantee', charityNumber: '1100001' },
        'companyNumber',
        'required',
      ],
      ['a charity number of 5 digits', { type: 'registered_charity', charityNumber: '12345' }, 'charityNumber', 'charityNumber'],
      ['a charity number with letters', { type: 'cio', charityNumber: 'CH123456' }, 'charityNumber', 'charityNumber'],
      ['a Scottish charity number one digit short', { type: 'registered_charity', charityNumber: 'SC12345' }, 'charityNumber', 'charityNumber'],
      ['a company number of 9 digits', { type: 'cic', companyNumber: '123456789' }, 'companyNumber', 'companyNumber'],
      ['a company number with one letter', { type: 'cic', companyNumber: 'A1234567' }, 'companyNumber', 'companyNumber'],
      ['a company number for a group that gave one in a bad format', { type: 'other', companyNumber: 'SC12345' }, 'companyNumber', 'companyNumber'],
      ['a postcode that is not one', { postcode: 'NOT A CODE' }, 'postcode', 'isPostcode'],
      ['an area that is not one of the seven', { area: 'E09000001' }, 'area', 'isIn'],
      ['an area outside without saying where', { area: 'outside' }, 'areaDescription', 'required'],
      ['an unknown organisation type', { type: 'sole_trader' }, 'type', 'isEnum'],
    ])('refuses %s, naming the field', async (_what, overrides, field, rule) => {
      const { token } = await applicant();
      const before = await orgCount();
      const res = await api(token).create(orgBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(await orgCount()).toBe(before);
    });

    it.each([
      ['registered_charity', { charityNumber: '1123456' }, 'GB-CHC-1123456', { charityNumber: '1123456', companyNumber: null }],
      ['cio', { charityNumber: ' 1 134 567 ' }, 'GB-CHC-1134567', { charityNumber: '1134567' }],
      ['registered_charity', { charityNumber: '1145678-2' }, 'GB-CHC-1145678', { charityNumber: '1145678-2' }],
      ['registered_charity', { charityNumber: 'sc012345' }, 'GB-SC-SC012345', { charityNumber: 'SC012345' }],
      ['registered_charity', { charityNumber: 'NIC100123' }, 'GB-NIC-100123', { charityNumber: 'NIC100123' }],
      ['cic', { companyNumber: '1234567' }, 'GB-COH-01234567', { companyNumber: '01234567', charityNumber: null }],
      ['company_limited_by_guarantee', { companyNumber: 'sc123456' }, 'GB-COH-SC123456', { companyNumber: 'SC123456' }],
      ['company_limited_by_guarantee', { companyNumber: '07654321', charityNumber: '1156789' }, 'GB-CHC-1156789', { companyNumber: '07654321' }],
    ])('gives a %s with %j the identifier %s', async (type, numbers, orgId, stored) => {
      const { token } = await applicant();
      const res = await api(token).create(orgBody({ type, ...numbers, name: `Org ${orgId}` }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type, orgId, ...stored });
      const [row] = await t.dataSource.query(`SELECT org_id, charity_number, company_number FROM organisation WHERE id = $1`, [res.body.id]);
      expect(row.org_id).toBe(orgId);
    });

    it.each(['unincorporated_group', 'school', 'faith_group', 'other'])('gives a %s with no numbers a 360G- identifier of its own', async (type) => {
      const { token } = await applicant();
      const res = await api(token).create(orgBody({ type }));
      expect(res.status).toBe(201);
      expect(res.body.orgId).toMatch(/^360G-pccgrants-[0-9a-f]{8}$/);
      expect(res.body.id.startsWith(res.body.orgId.slice(-8))).toBe(true);
    });

    it('refuses a second organisation with the same charity or company number (409), however it is typed', async () => {
      const first = await applicant();
      const second = await applicant();
      expect((await api(first.token).create(orgBody({ type: 'registered_charity', charityNumber: '1199999' }))).status).toBe(201);
      expect((await api(first.token).create(orgBody({ type: 'cic', companyNumber: '09999999' }))).status).toBe(201);
      for (const [numbers, field] of [
        [{ type: 'registered_charity', charityNumber: '1199999' }, 'charityNumber'],
        [{ type: 'cio', charityNumber: ' 119 9999 ' }, 'charityNumber'],
        [{ type: 'cic', companyNumber: '9999999' }, 'companyNumber'],
      ] as const) {
        const res = await api(second.token).create(orgBody({ ...numbers, name: 'Copycat' }));
        expect(res.status).toBe(409);
        expect(res.body.error).toBe('identity.conflict');
        expect(res.body.details).toEqual([expect.objectContaining({ field, rule: 'unique' })]);
      }
      expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE name = 'Copycat'`)).toHaveLength(0);
      expect((await api(second.token).me()).body.organisations).toEqual([]);
    });

    it('answers simultaneous registrations of the same charity with one 201 and 409s, never a 500', async () => {
      const people = await Promise.all([applicant(), applicant(), applicant(), applicant()]);
      const results = await Promise.all(
        people.map((p) => api(p.token).create(orgBody({ type: 'registered_charity', charityNumber: '1188888', name: 'Race' }))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE org_id = 'GB-CHC-1188888'`)).toHaveLength(1);
    });

    it('names the field on the page form too', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const csrf = await csrfOf(agent, '/organisations/new');
      const res = await agent
        .post('/organisations')
        .type('form')
        .send({ _csrf: csrf, ...orgBody({ type: 'registered_charity', charityNumber: '12' }) });
      expect(res.status).toBe(400);
      expect(errorSummary(res.text)).toContain('Enter a charity number like 1234567, SC012345 or NIC100123');
      expect(res.text).toContain('href="#charityNumber"');
      // What they typed comes back.
      expect(res.text).toContain('value="Handsworth Community Kitchen"');
    });
  });

  describe('area and ownership', () => {
    it('records the creator as owner, with the address and contact normalised, and audits it', async () => {
      const me = await applicant();
      const res = await api(me.token).create(orgBody({ name: '  Soho Road Pantry ' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'Soho Road Pantry',
        address: { line1: '12 Soho Road', line2: null, town: 'Birmingham', postcode: 'B21 9BH' },
        areaOnsCode: BIRMINGHAM,
        outsideForceArea: false,
        areaDescription: null,
        contact: { name: 'Priya Shah', email: 'priya@example.org', phone: '0121 626 6060' },
      });
      expect((await api(me.token).me()).body.organisations).toEqual([{ id: res.body.id, name: 'Soho Road Pantry', orgId: res.body.orgId, role: 'owner' }]);
      const [audit] = await auditRows(t, 'organisation.created', res.body.id);
      expect(audit).toMatchObject({ entity_type: 'organisation', actor_id: me.id, after: expect.objectContaining({ orgId: res.body.orgId }) });
    });

    it('records an organisation outside the West Midlands and flags it', async () => {
      const me = await createUser(t);
      const token = await tokenFor(t, me);
      const res = await api(token).create(
        orgBody({ name: 'Stoke Helpline', area: 'outside', areaDescription: 'Stoke-on-Trent', town: 'Stoke-on-Trent', postcode: 'ST4 1HH' }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ outsideForceArea: true, areaOnsCode: null, areaDescription: 'Stoke-on-Trent' });
      const [row] = await t.dataSource.query(`SELECT outside_force_area, area_ons_code, area_description FROM organisation WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ outside_force_area: true, area_ons_code: null, area_description: 'Stoke-on-Trent' });
      const page = await (await signIn(t, me)).get(`/organisations/${res.body.id}`).expect(200);
      expect(page.text).toContain('This organisation is based outside the West Midlands.');

      const inside = await api(token).create(orgBody({ name: 'Coventry Group', area: 'E08000026', areaDescription: 'ignored' }));
      expect(inside.body).toMatchObject({ outsideForceArea: false, areaOnsCode: 'E08000026', areaDescription: null });
      const insidePage = await (await signIn(t, me)).get(`/organisations/${inside.body.id}`).expect(200);
      expect(insidePage.text).not.toContain('outside the West Midlands');
      expect(insidePage.text).toContain('Coventry');
    });

    it('does not let staff register organisations', async () => {
      const staff = await createUser(t, ['fund_manager']);
      const res = await api(await tokenFor(t, staff)).create(orgBody({ name: 'Staff Org' }));
      expect(res.status).toBe(403);
      expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE name = 'Staff Org'`)).toHaveLength(0);
    });
  });

  describe('invitations and object-level access', () => {
    it('invites by email; only the invited account can accept, once; it becomes a member', async () => {
      const owner = await createUser(t);
      const invitee = await createUser(t);
      const stranger = await createUser(t);
      const ownerAgent = await signIn(t, owner);
      const created = await api(await tokenFor(t, owner)).create(orgBody({ name: 'Invite Test Group' }));
      const orgId: string = created.body.id;

      const orgPage = await ownerAgent.get(`/organisations/${orgId}`).expect(200);
      const sent = await ownerAgent
        .post(`/organisations/${orgId}/invitations`)
        .type('form')
        .send({ _csrf: csrfFrom(orgPage.text), email: invitee.email.toUpperCase() });
      expect(sent.status).toBe(303);
      const [mail] = await emailsTo(t, invitee.email);
      expect(mail.template).toBe('organisation-invitation');
      expect(mail.text_body).toContain('Invite Test Group');
      const link = linkIn(mail.text_body, '/organisation-invitation');
      const token = new URLSearchParams(link.split('?')[1]).get('token')!;
      expect(await auditRows(t, 'organisation.member_invited', orgId)).toHaveLength(1);

      // Someone else who gets hold of the link cannot use it.
      const strangerAgent = await signIn(t, stranger);
      const strangerPage = await strangerAgent.get(link).expect(200);
      expect(strangerPage.text).toContain(invitee.email);
      const wrongPerson = await strangerAgent
        .post('/organisation-invitation')
        .type('form')
        .send({ _csrf: csrfFrom(strangerPage.text), token });
      expect(wrongPerson.status).toBe(403);
      expect((await api(await tokenFor(t, stranger)).get(orgId)).status).toBe(404);

      // The invited account can, and becomes a member (not an owner).
      const inviteeAgent = await signIn(t, invitee);
      const page = await inviteeAgent.get(link).expect(200);
      const joined = await inviteeAgent
        .post('/organisation-invitation')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token });
      expect(joined.status).toBe(303);
      expect(joined.headers.location).toBe(`/organisations/${orgId}`);
      const inviteeToken = await tokenFor(t, invitee);
      expect((await api(inviteeToken).me()).body.organisations).toEqual([expect.objectContaining({ id: orgId, role: 'member' })]);
      expect((await api(inviteeToken).get(orgId).expect(200)).body.name).toBe('Invite Test Group');
      expect(await auditRows(t, 'organisation.member_joined', orgId)).toEqual([expect.objectContaining({ after: { userId: invitee.id } })]);

      // Once only.
      expect(
        (
          await inviteeAgent
            .post('/organisation-invitation')
            .type('form')
            .send({ _csrf: csrfFrom(page.text), token })
        ).status,
      ).toBe(400);
      expect((await inviteeAgent.get(link)).status).toBe(400);

      // A member cannot invite others; only the owner can.
      const memberPage = await inviteeAgent.get(`/organisations/${orgId}`).expect(200);
      expect(memberPage.text).not.toContain(`/organisations/${orgId}/invitations`);
      const memberInvite = await inviteeAgent
        .post(`/organisations/${orgId}/invitations`)
        .type('form')
        .send({ _csrf: csrfFrom(memberPage.text), email: 'friend@example.org' });
      expect(memberInvite.status).toBe(403);
      expect(await emailsTo(t, 'friend@example.org')).toEqual([]);
    });

    it("gives a non-member 404 for another group's organisation, the same as for one that does not exist", async () => {
      const owner = await applicant();
      const outsider = await applicant();
      const created = await api(owner.token).create(orgBody({ name: 'Private Group' }));
      await api(owner.token).get(created.body.id).expect(200);

      const theirs = await api(outsider.token).get(created.body.id);
      const nothing = await api(outsider.token).get('00000000-0000-4000-8000-000000000000');
      expect(theirs.status).toBe(404);
      expect({ ...theirs.body, requestId: null }).toEqual({ ...nothing.body, requestId: null });
      expect(JSON.stringify(theirs.body)).not.toContain('Private Group');
      // The page too, and the outsider cannot invite themselves in.
      const agent = await signIn(t, outsider);
      expect((await agent.get(`/organisations/${created.body.id}`)).status).toBe(404);
      const csrf = await csrfOf(agent, '/account');
      expect((await agent.post(`/organisations/${created.body.id}/invitations`).type('form').send({ _csrf: csrf, email: outsider.email })).status).toBe(404);
      expect(await emailsTo(t, outsider.email)).toEqual([]);
    });

    it('lets staff who may view all applications see any organisation, and no other staff', async () => {
      const owner = await applicant();
      const created = await api(owner.token).create(orgBody({ name: 'Seen By Staff' }));
      for (const [role, status] of [
        ['fund_manager', 200],
        ['auditor', 200],
        ['commissioner', 200],
        ['assessor', 404],
        ['admin', 404],
      ] as const) {
        const staff = await createUser(t, [role]);
        const res = await api(await tokenFor(t, staff)).get(created.body.id);
        expect([role, res.status]).toEqual([role, status]);
      }
      expect((await request(t.http).get(`/api/v1/organisations/${created.body.id}`)).status).toBe(401);
    });
  });
});
