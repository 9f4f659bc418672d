import { GrantsService } from '../../src/modules/grants';
import { UserAccount } from '../../src/modules/identity/entities/user-account.entity';
import { toPrincipal } from '../../src/modules/identity/users.service';
import type { Principal } from '../../src/platform/access';
import { createUser, tokenFor } from '../support/identity';
import { apiAs, paymentsFixture } from '../support/payments';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The lists of grants (a round's, a budget decision's delegated awards, the grants API, an
 * organisation's own) show each grant exactly as its own page does, and read a page of them in as
 * many queries as a page of two: each kind of related data once for the page, none per grant.
 */
describe('lists of grants', () => {
  let t: TestApp;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;
  let staff: Principal;
  /** An owner of every organisation in the round, so offers in its lists are theirs to answer. */
  let holder: Principal;
  let holderToken: string;
  let total: number;

  const principal = async (id: string) => toPrincipal(await t.dataSource.getRepository(UserAccount).findOneByOrFail({ id }), 'token');

  beforeAll(async () => {
    t = await startTestApp();
    fx = await paymentsFixture(t, {
      budgetPence: 50_000_00,
      applications: 12,
      paymentSchedule: [
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report', reportMonths: 6 },
      ],
    });
    const fm = apiAs(t, fx.manager.token);
    const apps: { id: string; organisation_id: string }[] = await t.dataSource.query(
      `SELECT id, organisation_id FROM application WHERE round_id = $1 AND status = 'eligible' ORDER BY reference`,
      [fx.round.id],
    );
    // One application says its project starts well after the offer, so its grant's period does too
    // (answers can change only while it is a draft).
    const late = apps[apps.length - 1];
    await t.dataSource.query(`UPDATE application SET status = 'draft' WHERE id = $1`, [late.id]);
    await t.dataSource.query(`UPDATE application SET answers = answers || '{"projectStart": "2098-05-01"}'::jsonb WHERE id = $1`, [late.id]);
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE id = $1`, [late.id]);

    // Accepted, with instalments and monitoring reports; one with an approved variation that moves its end.
    const accepted = [await fx.acceptGrant(1_000_00), await fx.acceptGrant(1_100_00), await fx.acceptGrant(1_200_00)];
    const v = (
      await apiAs(t, accepted[0].owner.token)
        .post(`/grants/${accepted[0].grantId}/variations`, { newEndsOn: '2099-03-31', reason: 'A later venue' })
        .expect(201)
    ).body;
    await fm.post(`/variations/${v.id}/approve`, {}).expect(200);

    const holderUser = await createUser(t);
    await t.dataSource.query(
      `INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT DISTINCT organisation_id, $2::uuid, 'owner' FROM application WHERE round_id = $1`,
      [fx.round.id, holderUser.id],
    );
    holderToken = await tokenFor(t, holderUser);
    // Offered and still open (one of them the late-starting project), and one declined.
    const awarded = await t.dataSource.query(`SELECT application_id FROM "grant" WHERE round_id = $1`, [fx.round.id]);
    const free = apps.filter((a) => !awarded.some((g: { application_id: string }) => g.application_id === a.id));
    const offered: string[] = [];
    for (const app of [late, ...free.filter((a) => a !== late).slice(0, 3)])
      offered.push((await fm.post(`/decisions/${fx.decision.id}/delegated-awards`, { applicationId: app.id, amountPence: 1_000_00 }).expect(201)).body.id);
    await apiAs(t, holderToken).post(`/grants/${offered[3]}/decline`, { reason: 'We found other funding' }).expect(200);

    staff = await principal(fx.manager.id);
    holder = await principal(holderUser.id);
    total = accepted.length + offered.length;
  });
  afterAll(() => t.close());

  it('shows each grant in every list exactly as its own page does, whatever its state', async () => {
    const grants = t.app.get(GrantsService);
    const round = await grants.forRound(fx.round.id, 200, 1);
    expect(round.items.length).toBe(total);
    // The states the lists must get right: open offers, accepted (one varied), declined; a period from the project's start.
    expect(round.items.map((v) => v.grant.status).sort()).toEqual(['accepted', 'accepted', 'accepted', 'declined', 'offered', 'offered', 'offered']);
    expect(round.items.filter((v) => v.endsOn === '2099-03-31')).toHaveLength(1);
    expect(round.items.filter((v) => v.startsOn === '2098-05-01')).toHaveLength(1);
    for (const item of round.items) expect(item).toEqual(await grants.getFor(staff, item.grant.id));
    const delegated = await grants.delegatedAwards(fx.decision.id, 200, 1);
    expect(delegated.items.map((v) => v.grant.id)).toEqual(round.items.map((v) => v.grant.id));
    for (const item of delegated.items) expect(item).toEqual(await grants.getFor(staff, item.grant.id));
    const own = await grants.pageForOrganisationsOf(holder, 200, 1);
    expect(own.items.map((v) => v.grant.id)).toEqual(round.items.map((v) => v.grant.id));
    for (const item of own.items) expect(item).toEqual(await grants.getFor(holder, item.grant.id));
    // The holder may answer the open offers, in the list as on each grant's page.
    expect(own.items.filter((v) => v.canRespond)).toHaveLength(3);

    // The API's list, for staff and for the owner, item by item against GET /grants/:id.
    for (const token of [fx.manager.token, holderToken]) {
      const api = apiAs(t, token);
      const list = (await api.get(`/grants?roundId=${fx.round.id}&limit=200`).expect(200)).body;
      expect(list.total).toBe(total);
      for (const item of list.items) expect(item).toEqual((await api.get(`/grants/${item.id}`).expect(200)).body);
    }
  });

  it('reads a page of grants in as many queries as a page of two', async () => {
    const grants = t.app.get(GrantsService);
    const lists: Record<string, (limit: number) => Promise<unknown>> = {
      forRound: (limit) => grants.forRound(fx.round.id, limit, 1),
      delegatedAwards: (limit) => grants.delegatedAwards(fx.decision.id, limit, 1),
      'list (staff)': (limit) => grants.list(staff, { roundId: fx.round.id, limit, page: 1 }),
      'list (owner)': (limit) => grants.list(holder, { roundId: fx.round.id, limit, page: 1 }),
      pageForOrganisationsOf: (limit) => grants.pageForOrganisationsOf(holder, limit, 1),
    };
    // Both pages full (TypeORM leaves out the count when a first page is not).
    const queries = jest.spyOn(t.dataSource.logger, 'logQuery');
    const queriesFor = async (read: (limit: number) => Promise<unknown>, limit: number) => {
      queries.mockClear();
      await read(limit);
      return queries.mock.calls.length;
    };
    try {
      const counts: Record<string, [number, number]> = {};
      for (const [name, read] of Object.entries(lists)) counts[name] = [await queriesFor(read, total), await queriesFor(read, 2)];
      expect(counts).toEqual(Object.fromEntries(Object.entries(counts).map(([name, [, two]]) => [name, [two, two]])));
    } finally {
      queries.mockRestore();
    }
  });
});
