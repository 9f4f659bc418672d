import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import request from 'supertest';
import { ApplicationsService } from '../../src/modules/applications';
import { seedRoundApplications } from '../support/application-lists';
import { createUser, csrfFrom, signIn } from '../support/identity';
import { bearer, createPublishedRound, roundBody, seedFunds, staffMember, type RoundJson, type StaffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * A round of 5,000 applications through the staff list API and the round totals: paging, sorting,
 * searching, and the plan PostgreSQL picks for the list query (an index, never a scan of every
 * application).
 */

const N = 5000;
/** What the seed makes of application g (see seedRoundApplications). */
const seeded = (g: number, categories: string[]) => ({
  status: g % 10 === 0 ? 'draft' : g % 7 === 0 ? 'eligible' : 'submitted',
  amount: 100000 + (g % 97) * 25000,
  category: categories[g % categories.length],
});

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Parent Relationship'?: string; Plans?: PlanNode[] };

describe('lists of applications that scale', () => {
  let t: TestApp;
  let manager: StaffMember;
  let round: RoundJson;
  let categories: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const { VF } = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
    round = await createPublishedRound(t, manager, roundBody(VF));
    categories = (round.categories as { code: string }[]).map((c) => c.code);
    await seedRoundApplications(t.dataSource, { roundId: round.id, prefix: round.referencePrefix, n: N, createdBy: manager.id, categories, tag: 'Lists' });
  }, 60_000);
  afterAll(() => t?.close());

  const list = (query: string) => request(t.http).get(`/api/v1/rounds/${round.id}/applications${query}`).set(bearer(manager.token));

  it('pages 50 at a time by default with the total, and up to 200', async () => {
    const first = await list('');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: N, limit: 50, page: 1 });
    expect(first.body.items).toHaveLength(50);
    expect(first.body.items[0].reference).toBe(`${round.referencePrefix}-0001`);
    const last = await list('?limit=200&page=25');
    expect(last.body.items).toHaveLength(200);
    // Drafts have no reference and come after every submitted application.
    expect(last.body.items.at(-1).status).toBe('draft');
    expect((await list('?limit=201')).body.details[0].field).toBe('limit');
  });

  it('sorts by a column in either direction, with no application on two pages', async () => {
    const seen = new Set<string>();
    let previous = Infinity;
    for (const page of [1, 2, 3]) {
      const res = await list(`?sort=-amount&limit=200&page=${page}`);
      for (const a of res.body.items) {
        expect(a.amountRequestedPence).toBeLessThanOrEqual(previous);
        previous = a.amountRequestedPence;
        expect(seen.has(a.id)).toBe(false);
        seen.add(a.id);
      }
    }
    expect(previous).toBeLessThan((await list('?sort=-amount')).body.items[0].amountRequestedPence);
    const bad = await list('?sort=password');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'sort', message: expect.stringContaining('sort must be one of reference, -reference, organisation') });
  });

  it('searches by reference or part of an organisation name, with the filters', async () => {
    const one = await list(`?q=${round.referencePrefix.toLowerCase()}-0123`);
    expect(one.body.total).toBe(1);
    expect(one.body.items[0].reference).toBe(`${round.referencePrefix}-0123`);
    const named = await list('?q=group 012');
    expect(named.body.total).toBe(10); // groups 0120 to 0129
    const filtered = await list('?q=group 012&status=draft');
    expect(filtered.body.total).toBe(1);
    expect((await list('?q=100%25')).body.total).toBe(0);
  });

  it('totals a round in one query: submitted and drafts apart, per category, screening outstanding', async () => {
    const expected = {
      submitted: 0,
      draft: 0,
      eligible: 0,
      submittedPence: 0,
      draftPence: 0,
      byCategory: {} as Record<string, { submittedRequestedPence: number; count: number }>,
    };
    for (let g = 1; g <= N; g++) {
      const a = seeded(g, categories);
      if (a.status === 'draft') {
        expected.draft++;
        expected.draftPence += a.amount;
        continue;
      }
      if (a.status === 'eligible') expected.eligible++;
      else expected.submitted++;
      expected.submittedPence += a.amount;
      const c = (expected.byCategory[a.category] ??= { submittedRequestedPence: 0, count: 0 });
      c.submittedRequestedPence += a.amount;
      c.count++;
    }
    const none = '00000000-0000-4000-8000-000000000000';
    const totals = await t.app.get(ApplicationsService).roundTotals([round.id, none]);
    expect(totals.get(round.id)).toEqual({
      countsByStatus: { draft: expected.draft, submitted: expected.submitted, eligible: expected.eligible, ineligible: 0, withdrawn: 0 },
      submittedRequestedPence: expected.submittedPence,
      draftRequestedPence: expected.draftPence,
      byCategory: expected.byCategory,
      // Every seeded organisation is in Birmingham, so its area holds everything submitted.
      byArea: { E08000025: { submittedRequestedPence: expected.submittedPence, count: expected.submitted + expected.eligible } },
      screeningOutstanding: expected.submitted,
    });
    expect(totals.get(none)).toMatchObject({ submittedRequestedPence: 0, screeningOutstanding: 0, byCategory: {}, byArea: {} });
  });

  it('finds the page with an index, for the default sort and a search by reference', async () => {
    const captured: { sql: string; params: unknown[] }[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the runner as `this`
    const original = PostgresQueryRunner.prototype.query;
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
      this: PostgresQueryRunner,
      ...args: Parameters<typeof original>
    ) {
      if (/FROM "application"/.test(args[0]) && /LIMIT/.test(args[0])) captured.push({ sql: args[0], params: (args[1] ?? []) as unknown[] });
      return original.apply(this, args);
    });
    try {
      await list('');
      await list(`?q=${round.referencePrefix}-4321`);
    } finally {
      spy.mockRestore();
    }
    expect(captured).toHaveLength(2);
    for (const { sql, params } of captured) {
      const [{ 'QUERY PLAN': plan }] = await t.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      // The page itself (the total is an InitPlan: counted once, by whatever reads the matching
      // rows fastest, which for a round that is the whole table is reading the table).
      const top: PlanNode = plan[0].Plan;
      const initPlans = (n: PlanNode): PlanNode[] => [
        ...(n.Plans ?? []).filter((c) => c['Parent Relationship'] === 'InitPlan'),
        ...(n.Plans ?? []).flatMap(initPlans),
      ];
      expect(initPlans(top)).toHaveLength(1);
      const pageNodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).filter((c) => c['Parent Relationship'] !== 'InitPlan').flatMap(pageNodes)];
      const onApplication = pageNodes(top).filter((n) => n['Relation Name'] === 'application');
      expect(onApplication.map((n) => n['Node Type'])).not.toContain('Seq Scan');
      expect(onApplication.some((n) => /Index/.test(n['Node Type']))).toBe(true);
    }
  });

  it('opens an application from a list page with previous and next in that list, and keeps the list through screening', async () => {
    const agent = await signIn(t, await createUser(t, ['fund_manager']));
    const listPath = `/staff/rounds/${round.id}/applications`;
    // Page 3 of the submitted ones, largest amount first: positions 101 to 150.
    const listPage = `${listPath}?status=submitted&sort=-amount&page=3`;
    const html = (await agent.get(listPage).expect(200)).text;
    const hrefs = [...html.matchAll(/href="(\/staff\/applications\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(hrefs).toHaveLength(50);
    const target = new URL(hrefs[49], 'http://x');
    expect(target.searchParams.get('returnTo')).toBe(listPage);
    const app = (await agent.get(hrefs[49]).expect(200)).text;
    expect(app).toContain('application 150 of');
    const next = /href="([^"]+)" rel="next"/.exec(app)![1].replace(/&amp;/g, '&');
    const previous = /href="([^"]+)" rel="prev"/.exec(app)![1].replace(/&amp;/g, '&');
    expect(previous).toBe(hrefs[48]);
    // The 151st is on page 4: its page's back link says so.
    const nextPage = (await agent.get(next).expect(200)).text;
    expect(nextPage).toContain('application 151 of');
    expect(nextPage).toContain(`href="${listPath}?status=submitted&amp;sort=-amount&amp;page=4"`);
    // Another site is never a place to go back to.
    const elsewhere = (await agent.get(`${target.pathname}?returnTo=${encodeURIComponent('//evil.example/staff/rounds/')}`).expect(200)).text;
    expect(elsewhere).not.toContain('evil.example');

    const screened = await agent
      .post(`${target.pathname}/screening`)
      .type('form')
      .send({ _csrf: csrfFrom(app), decision: 'eligible', returnTo: listPage });
    expect(screened.status).toBe(303);
    expect(screened.headers.location).toBe(`${target.pathname}?done=screened&${new URLSearchParams({ returnTo: listPage }).toString()}`);
  });
});
