import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { DecisionsService } from '../../src/modules/decisions/decisions.service';
import { GrantsService } from '../../src/modules/grants/grants.service';
import { OrganisationMembership } from '../../src/modules/identity/entities/organisation-membership.entity';
import { UserAccount } from '../../src/modules/identity/entities/user-account.entity';
import { toPrincipal } from '../../src/modules/identity/users.service';
import { OrganisationRole } from '../../src/platform/access';
import { demoPassword } from '../support/database';
import { createUser, csrfFrom, signIn, type TestUser, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 13: a fund's crime and disorder reduction setting (and its cost centre), changed by a fund
 * manager on the fund's page or with PATCH /api/v1/fund-programmes/{id}: audited, refused to
 * everyone else, bad input a 400 naming the field, and the Specified Information list follows it
 * at once — a fund switched on brings its published grants onto the list, switched off takes them away.
 */
const SI = '/transparency/crime-and-disorder-grants';

type Agent = Awaited<ReturnType<typeof signIn>>;

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

describe('a fund’s settings (issue 13)', () => {
  let t: TestApp;
  let manager: TestUser;
  let managerAgent: Agent;
  let managerToken: string;
  let vf: { id: string; name: string };
  let acf: { id: string };
  /** Victims Fund 6's grant, accepted under its published decision, and the London year it was made. */
  let vfGrant: { reference: string; year: number };

  const siReferences = async (year: number) => {
    const res = await request(t.http).get(`${SI}.json?year=${year}`).expect(200);
    return (res.body as { grants: { reference: string }[] }).grants.map((g) => g.reference);
  };
  const allYearsReferences = async () => {
    const res = await request(t.http).get(`${SI}/all-years.json`).expect(200);
    return (res.body as { grants: { reference: string }[] }).grants.map((g) => g.reference);
  };
  const settings = async (id: string) => {
    const [row] = await t.dataSource.query(`SELECT crime_and_disorder_reduction AS cdr, cost_centre FROM fund_programme WHERE id = $1`, [id]);
    return row as { cdr: boolean; cost_centre: string | null };
  };
  const postForm = async (agent: Agent, id: string, fields: Record<string, string>) => {
    const form = await agent.get(`/staff/funds/${id}/settings`).expect(200);
    return agent
      .post(`/staff/funds/${id}/settings`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...fields });
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app, undefined, demoPassword());
    // Victims Fund 6's awards approved, one accepted and the decision published: a public Victims Fund grant.
    const accounts = t.dataSource.getRepository(UserAccount);
    const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
    const [decision] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM pcc_decision WHERE status = 'submitted' AND round_id IS NOT NULL`);
    const decisions = t.app.get(DecisionsService);
    await decisions.approve(commissioner, decision.id);
    const [offer] = await t.dataSource.query<{ id: string; organisation_id: string; reference: string; year: number }[]>(
      `SELECT g.id, a.organisation_id, a.reference, extract(year FROM g.offered_at AT TIME ZONE 'Europe/London')::int AS year
         FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.decision_id = $1 ORDER BY a.reference LIMIT 1`,
      [decision.id],
    );
    const owner = await t.dataSource.getRepository(OrganisationMembership).findOneOrFail({
      where: { organisationId: offer.organisation_id, role: OrganisationRole.Owner },
      relations: { user: true },
    });
    await t.app.get(GrantsService).accept(toPrincipal(owner.user!, 'session'), offer.id, { fullName: owner.user!.fullName });
    await decisions.publish(commissioner, decision.id);
    vfGrant = { reference: offer.reference, year: offer.year };
    [vf] = await t.dataSource.query(`SELECT id, name FROM fund_programme WHERE code = 'VF'`);
    [acf] = await t.dataSource.query(`SELECT id FROM fund_programme WHERE code = 'ACF'`);
    manager = await createUser(t, ['fund_manager'], { fullName: 'Mina Fundmanager' });
    managerAgent = await signIn(t, manager);
    managerToken = await tokenFor(t, manager);
  }, 120_000);
  afterAll(() => t?.close());

  it('shows each fund’s setting on the funds list, the fund’s page and its rounds’ pages, linked from the dashboard', async () => {
    expect((await managerAgent.get('/staff').expect(200)).text).toContain('href="/staff/funds"');
    const list = await managerAgent.get('/staff/funds').expect(200);
    expect(list.text).toContain(`href="/staff/funds/${vf.id}"`);
    const page = decode((await managerAgent.get(`/staff/funds/${vf.id}`).expect(200)).text);
    expect(page).toContain('Crime and disorder reduction grants No: its grants are not on the crime and disorder reduction grants page');
    expect(page).toContain('Victims Fund 6');
    expect(decode((await managerAgent.get(`/staff/funds/${acf.id}`).expect(200)).text)).toContain(
      'Yes: its grants are published each month as crime and disorder reduction grants',
    );
    const form = await managerAgent.get(`/staff/funds/${vf.id}/settings`).expect(200);
    expect(decode(form.text)).toContain('Elected Local Policing Bodies (Specified Information) Order 2011');
    expect(form.text).toMatch(/<input class="govuk-radios__input" id="crimeAndDisorderReduction" name="crimeAndDisorderReduction" type="radio" value="yes"/);
    expect(form.text).toMatch(/value="no" checked/);
    const [round] = await t.dataSource.query(`SELECT id FROM funding_round WHERE programme_id = $1 LIMIT 1`, [vf.id]);
    expect((await managerAgent.get(`/staff/rounds/${round.id}`).expect(200)).text).toContain(`href="/staff/funds/${vf.id}/settings#crimeAndDisorderReduction"`);
    await managerAgent.get('/staff/funds/00000000-0000-4000-8000-000000000000').expect(404);
    await managerAgent.get('/staff/funds/nonsense/settings').expect(404);
  });

  it('switched on by a fund manager on the page, the fund’s published grants join the Specified Information list; switched off with the API, they leave it', async () => {
    expect(await siReferences(vfGrant.year)).not.toContain(vfGrant.reference);
    const { cost_centre: costCentreBefore } = await settings(vf.id);

    const on = await postForm(managerAgent, vf.id, { crimeAndDisorderReduction: 'yes', costCentre: ' PCC-VF-4610 ' });
    expect(on.status).toBe(303);
    expect(on.headers.location).toBe(`/staff/funds/${vf.id}?saved=settings`);
    expect(await settings(vf.id)).toEqual({ cdr: true, cost_centre: 'PCC-VF-4610' });
    expect(decode((await managerAgent.get(on.headers.location).expect(200)).text)).toContain('Settings saved');
    expect(await siReferences(vfGrant.year)).toContain(vfGrant.reference);
    expect(await allYearsReferences()).toContain(vfGrant.reference);
    expect((await request(t.http).get(`${SI}?year=${vfGrant.year}`).expect(200)).text).toContain(`data-reference="${vfGrant.reference}"`);

    const off = await request(t.http)
      .patch(`/api/v1/fund-programmes/${vf.id}`)
      .auth(managerToken, { type: 'bearer' })
      .send({ crimeAndDisorderReduction: false })
      .expect(200);
    expect(off.body).toMatchObject({ id: vf.id, code: 'VF', crimeAndDisorderReduction: false, costCentre: 'PCC-VF-4610' });
    expect(await siReferences(vfGrant.year)).not.toContain(vfGrant.reference);
    expect(await allYearsReferences()).not.toContain(vfGrant.reference);
    // The public list of funds says which are which.
    const funds = (await request(t.http).get('/api/v1/fund-programmes').expect(200)).body as { code: string; crimeAndDisorderReduction: boolean }[];
    expect(Object.fromEntries(funds.map((f) => [f.code, f.crimeAndDisorderReduction]))).toEqual({ ACF: true, VF: false });
    expect(funds[0]).not.toHaveProperty('costCentre');

    // Each change audited in its own words, with what it was before.
    const audit = await t.dataSource.query(
      `SELECT actor_id, before, after FROM audit_event WHERE action = 'fund_programme.settings_changed' AND entity_id = $1 ORDER BY id`,
      [vf.id],
    );
    expect(audit).toEqual([
      {
        actor_id: manager.id,
        before: { crimeAndDisorderReduction: false, costCentre: costCentreBefore },
        after: { name: vf.name, crimeAndDisorderReduction: true, costCentre: 'PCC-VF-4610' },
      },
      { actor_id: manager.id, before: { crimeAndDisorderReduction: true }, after: { name: vf.name, crimeAndDisorderReduction: false } },
    ]);
    const auditor = await signIn(t, await createUser(t, ['auditor']));
    const trail = decode((await auditor.get('/admin/audit?action=fund_programme.settings_changed').expect(200)).text);
    expect(trail).toContain(
      'Mina Fundmanager changed the settings of the fund Victims Fund: its grants are now published as crime and disorder reduction grants; cost centre set to PCC-VF-4610',
    );
    expect(trail).toContain(
      'Mina Fundmanager changed the settings of the fund Victims Fund: its grants are no longer published as crime and disorder reduction grants',
    );

    // The same values again change nothing and record nothing; an empty cost centre takes it away.
    await request(t.http)
      .patch(`/api/v1/fund-programmes/${vf.id}`)
      .auth(managerToken, { type: 'bearer' })
      .send({ crimeAndDisorderReduction: false })
      .expect(200);
    await request(t.http).patch(`/api/v1/fund-programmes/${vf.id}`).auth(managerToken, { type: 'bearer' }).send({}).expect(200);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'fund_programme.settings_changed' AND entity_id = $1`, [
      vf.id,
    ]);
    expect(n).toBe(2);
    expect((await postForm(managerAgent, vf.id, { crimeAndDisorderReduction: 'no', costCentre: '' })).status).toBe(303);
    expect(await settings(vf.id)).toEqual({ cdr: false, cost_centre: null });
  });

  it('refuses a missing answer or a bad cost centre on the page, re-showing the form with the GOV.UK error summary', async () => {
    const before = await settings(acf.id);
    const res = await postForm(managerAgent, acf.id, { costCentre: '=SUM(A1)' });
    expect(res.status).toBe(400);
    const text = decode(res.text);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Select yes if its grants are crime and disorder reduction grants');
    expect(text).toContain('Cost centre must be letters, numbers, hyphens, full stops or slashes, like PCC-POCA-4620');
    expect(res.text).toContain('href="#crimeAndDisorderReduction"');
    expect(res.text).toContain('href="#costCentre"');
    expect(res.text).toContain('value="=SUM(A1)"');
    for (const fields of [
      { crimeAndDisorderReduction: 'maybe', costCentre: '' },
      { crimeAndDisorderReduction: 'yes', costCentre: 'X'.repeat(31) },
    ]) {
      expect((await postForm(managerAgent, acf.id, fields)).status).toBe(400);
    }
    expect(await settings(acf.id)).toEqual(before);
  });

  it('refuses a bad body on the API with a 400 naming the field, and an unknown fund with a 404', async () => {
    const patch = (id: string, body: unknown) =>
      request(t.http)
        .patch(`/api/v1/fund-programmes/${id}`)
        .auth(managerToken, { type: 'bearer' })
        .send(body as object);
    const cases: [unknown, string][] = [
      [{ crimeAndDisorderReduction: 'yes' }, 'crimeAndDisorderReduction'],
      // Found in review: null passed as "left out" and reached the NOT NULL column, a 500.
      [{ crimeAndDisorderReduction: null }, 'crimeAndDisorderReduction'],
      [{ costCentre: 'PCC 1' }, 'costCentre'],
      [{ costCentre: 12 }, 'costCentre'],
      [{ name: 'Renamed' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(acf.id, body);
      expect({ body, status: res.status, fields: [...new Set((res.body.details as { field: string }[]).map((d) => d.field))] }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    expect((await patch('00000000-0000-4000-8000-000000000000', { crimeAndDisorderReduction: true }).expect(404)).body.error).toBe('funds.not_found');
    await patch('nonsense', { crimeAndDisorderReduction: true }).expect(400);
    expect((await patch(acf.id, { costCentre: null }).expect(200)).body.costCentre).toBeNull();
    expect((await patch(acf.id, { costCentre: 'PCC-POCA-4620' }).expect(200)).body.costCentre).toBe('PCC-POCA-4620');
  });

  it('is for fund managers only: everyone else is refused on the pages and the API, and nothing changes', async () => {
    const before = await settings(acf.id);
    for (const roles of [['assessor'], ['finance_officer'], ['commissioner'], ['admin'], []] as const) {
      const user = await createUser(t, [...roles]);
      const agent = await signIn(t, user);
      await agent.get('/staff/funds').expect(403);
      await agent.get(`/staff/funds/${acf.id}`).expect(403);
      await agent.get(`/staff/funds/${acf.id}/settings`).expect(403);
      // A form token from a page they may open, to show it is the permission that refuses.
      const csrf = csrfFrom((await agent.get('/account').expect(200)).text);
      await agent.post(`/staff/funds/${acf.id}/settings`).type('form').send({ _csrf: csrf, crimeAndDisorderReduction: 'no' }).expect(403);
      await request(t.http)
        .patch(`/api/v1/fund-programmes/${acf.id}`)
        .auth(await tokenFor(t, user), { type: 'bearer' })
        .send({ crimeAndDisorderReduction: false })
        .expect(403);
    }
    await request(t.http).patch(`/api/v1/fund-programmes/${acf.id}`).send({ crimeAndDisorderReduction: false }).expect(401);
    expect(await settings(acf.id)).toEqual(before);
  });
});
