import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { approveDemoVictimsFund6Decision } from '../support/demo';
import { createUser, csrfFrom, signIn, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { parseCsv } from '../support/csv';

/*
 * Issue 13's staff insights on the demo data: every figure against sums made straight from the
 * tables, each CSV download against its table, who may see them, and the population figures an
 * administrator keeps (audited; bad input refused naming the field).
 */

type Agent = Awaited<ReturnType<typeof signIn>>;

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

/** A chart's table as text: its header cells, then each row's cells (visually hidden text included). */
function tableOf(html: string, id: string): string[][] {
  const m = new RegExp(`<table class="govuk-table" id="chart-${id}-table">([\\s\\S]*?)</table>`).exec(html);
  if (!m) throw new Error(`no table for chart ${id}`);
  return [...m[1].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1])));
}

/** "£1,234.50" → 123450 pence; "12.5%" → 12.5; "3 days" → 3; "1,144,900" → 1144900. */
const numberIn = (text: string): number => Number(text.replace(/[£,%]|days?/g, '').trim());
const poundsOf = (text: string): number => Math.round(numberIn(text) * 100);

const CHARTS = ['by-round', 'per-1000-residents', 'by-category', 'by-ring-fence', 'success-rate', 'time-to-decision', 'payments-outstanding'];

describe('staff insights (issue 13)', () => {
  let t: TestApp;
  let manager: Agent;
  let rounds: { id: string; name: string }[];
  let page: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app);
    // So that one round is decided, with grants offered under its decision (and the ACF's delegated awards besides).
    await approveDemoVictimsFund6Decision(t.app);
    manager = await signIn(t, await createUser(t, ['fund_manager']));
    rounds = await t.dataSource.query(`SELECT id, name FROM funding_round WHERE state = 'published' ORDER BY closes_at`);
    page = (await manager.get('/staff/insights').expect(200)).text;
  }, 120_000);
  afterAll(() => t?.close());

  const rowFor = (table: string[][], name: string) => {
    const row = table.find((r) => r[0] === name);
    if (!row) throw new Error(`no row ${name} in ${JSON.stringify(table)}`);
    return row;
  };

  it('draws every chart as a named SVG image followed by its table and a CSV link, reachable from the dashboard', async () => {
    for (const id of CHARTS) {
      const at = page.indexOf(`id="chart-${id}-heading"`);
      expect([id, at]).not.toEqual([id, -1]);
      const section = page.slice(at, page.indexOf('</section>', at));
      const svg = section.indexOf('<svg class="app-chart" role="img"');
      const table = section.indexOf(`id="chart-${id}-table"`);
      // A chart with nothing to draw says so instead; the demo data has something for every one.
      expect([id, svg >= 0, table > svg]).toEqual([id, true, true]);
      expect(section).toContain(`aria-labelledby="chart-${id}-title chart-${id}-desc"`);
      expect(section).toContain(`href="/staff/insights/${id}.csv"`);
    }
    expect((await manager.get('/staff').expect(200)).text).toContain('href="/staff/insights"');
  });

  it('applications received, requested and awarded per round equal the tables’ sums', async () => {
    const table = tableOf(page, 'by-round');
    expect(table.slice(1).map((r) => r[0])).toEqual(rounds.map((r) => r.name));
    for (const r of rounds) {
      const [{ received, requested }] = await t.dataSource.query(
        `SELECT count(*)::int AS received, coalesce(sum(amount_requested_pence), 0)::bigint AS requested
           FROM application WHERE round_id = $1 AND status IN ('submitted', 'eligible', 'ineligible')`,
        [r.id],
      );
      const [{ awarded, awarded_pence }] = await t.dataSource.query(
        `SELECT count(*)::int AS awarded, coalesce(sum(amount_pence), 0)::bigint AS awarded_pence FROM "grant" WHERE round_id = $1 AND status IN ('offered', 'accepted')`,
        [r.id],
      );
      const row = rowFor(table, r.name);
      expect([r.name, numberIn(row[1]), poundsOf(row[2]), numberIn(row[3]), poundsOf(row[4])]).toEqual([
        r.name,
        received,
        Number(requested),
        awarded,
        Number(awarded_pence),
      ]);
    }
    // The demo has awards, so the check above checked something.
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM "grant" WHERE status IN ('offered', 'accepted')`);
    expect(n).toBeGreaterThan(0);
  });

  it('awarded per 1,000 residents in each of the seven areas equals the sums over the organisations’ areas and the population table', async () => {
    const table = tableOf(page, 'per-1000-residents');
    const areas: { ons_code: string; name: string; population: number; year: number; awarded: string; grants: number }[] = await t.dataSource.query(
      `SELECT a.ons_code, a.name, p.population, p.year,
              coalesce((SELECT sum(g.amount_pence) FROM "grant" g JOIN application ap ON ap.id = g.application_id JOIN organisation o ON o.id = ap.organisation_id
                         WHERE o.area_ons_code = a.ons_code AND g.status IN ('offered', 'accepted')), 0)::bigint AS awarded,
              (SELECT count(*) FROM "grant" g JOIN application ap ON ap.id = g.application_id JOIN organisation o ON o.id = ap.organisation_id
                WHERE o.area_ons_code = a.ons_code AND g.status IN ('offered', 'accepted'))::int AS grants
         FROM local_authority_area a JOIN local_authority_population p ON p.area_ons_code = a.ons_code
        WHERE a.in_force_area ORDER BY a.name`,
    );
    expect(areas.map((a) => a.ons_code).sort()).toEqual(['E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030', 'E08000031']);
    expect(areas.find((a) => a.ons_code === 'E08000025')).toMatchObject({ population: 1_144_900, year: 2021 });
    for (const a of areas) {
      const row = rowFor(table, a.name);
      expect([a.name, row[1], numberIn(row[2]), numberIn(row[3]), numberIn(row[4]), poundsOf(row[5]), poundsOf(row[6])]).toEqual([
        a.name,
        a.ons_code,
        a.population,
        a.year,
        a.grants,
        Number(a.awarded),
        Math.round((Number(a.awarded) * 1000) / a.population),
      ]);
    }
    expect(page).toContain('ONS, Population and household estimates, England and Wales: Census 2021');
  });

  it('awarded by category and by ring-fence add up to everything awarded', async () => {
    const [{ total }] = await t.dataSource.query(`SELECT coalesce(sum(amount_pence), 0)::bigint AS total FROM "grant" WHERE status IN ('offered', 'accepted')`);
    for (const id of ['by-category', 'by-ring-fence']) {
      const rows = tableOf(page, id).slice(1);
      expect([id, rows.reduce((s, r) => s + poundsOf(r[2]), 0)]).toEqual([id, Number(total)]);
    }
    const fences: { name: string; pence: string }[] = await t.dataSource.query(
      `SELECT coalesce(ring_fence, 'General pot (no ring-fence)') AS name, sum(amount_pence)::bigint AS pence FROM "grant" WHERE status IN ('offered', 'accepted') GROUP BY 1`,
    );
    const table = tableOf(page, 'by-ring-fence');
    for (const f of fences) expect([f.name, poundsOf(rowFor(table, f.name)[2])]).toEqual([f.name, Number(f.pence)]);
  });

  it('success rates and the median days from submission to decision are those of the decided rounds', async () => {
    const success = tableOf(page, 'success-rate');
    const times = tableOf(page, 'time-to-decision');
    let decidedRounds = 0;
    for (const r of rounds) {
      const [decision] = await t.dataSource.query(`SELECT decided_at FROM pcc_decision WHERE round_id = $1 AND status IN ('approved', 'published')`, [r.id]);
      if (!decision) {
        expect(rowFor(success, r.name)[1]).toBe('Not decided yet');
        continue;
      }
      decidedRounds++;
      const [{ decided, median }] = await t.dataSource.query(
        `SELECT count(*)::int AS decided,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY (($2::timestamptz AT TIME ZONE 'Europe/London')::date - (submitted_at AT TIME ZONE 'Europe/London')::date)) AS median
           FROM application WHERE round_id = $1 AND status IN ('submitted', 'eligible', 'ineligible') AND submitted_at <= $2`,
        [r.id, decision.decided_at],
      );
      const [{ offered }] = await t.dataSource.query(`SELECT count(*)::int AS offered FROM "grant" WHERE round_id = $1`, [r.id]);
      const row = rowFor(success, r.name);
      expect([r.name, numberIn(row[2]), numberIn(row[3]), numberIn(row[4])]).toEqual([r.name, decided, offered, Math.round((offered * 1000) / decided) / 10]);
      expect([r.name, numberIn(rowFor(times, r.name)[2])]).toEqual([r.name, Math.round(Number(median) * 10) / 10]);
    }
    expect(decidedRounds).toBeGreaterThan(0);
  });

  it('payments outstanding are each round’s live commitments less what has been paid; overdue reports are counted per round', async () => {
    const table = tableOf(page, 'payments-outstanding');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    let shown = 0;
    for (const r of rounds) {
      const [{ committed }] = await t.dataSource.query(
        `SELECT coalesce(sum(amount_pence), 0)::bigint AS committed FROM budget_commitment WHERE round_id = $1 AND released_at IS NULL`,
        [r.id],
      );
      const [{ paid }] = await t.dataSource.query(
        `SELECT coalesce(sum(p.amount_pence), 0)::bigint AS paid FROM payment p JOIN "grant" g ON g.id = p.grant_id WHERE g.round_id = $1 AND p.status = 'paid'`,
        [r.id],
      );
      const [{ overdue }] = await t.dataSource.query(
        `SELECT count(*)::int AS overdue FROM monitoring_report mr JOIN "grant" g ON g.id = mr.grant_id
          WHERE g.round_id = $1 AND mr.status IN ('due', 'changes_requested') AND mr.due_on < $2::date`,
        [r.id, today],
      );
      if (Number(committed) === 0 && overdue === 0) continue;
      shown++;
      const row = rowFor(table, r.name);
      expect([r.name, poundsOf(row[1]), poundsOf(row[2]), poundsOf(row[3]), numberIn(row[4])]).toEqual([
        r.name,
        Number(committed),
        Number(paid),
        Number(committed) - Number(paid),
        overdue,
      ]);
    }
    expect(shown).toBe(table.length - 1);
    expect(shown).toBeGreaterThan(0);
  });

  it('each CSV download holds its table: the same rows, amounts in pounds and pence, other numbers as numbers', async () => {
    for (const id of CHARTS) {
      const res = await manager.get(`/staff/insights/${id}.csv`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="insights-${id}.csv"`);
      const csv = parseCsv(res.text);
      const table = tableOf(page, id);
      expect([id, csv.length]).toEqual([id, table.length]);
      table.slice(1).forEach((row, i) =>
        row.forEach((text, j) => {
          const cell = csv[i + 1][j];
          const expected = /^£/.test(text)
            ? (poundsOf(text) / 100).toFixed(2)
            : /^[\d,.]+(%| days?)?$/.test(text)
              ? String(numberIn(text))
              : /^Not (known|applicable|decided yet)$/.test(text) && j > 1
                ? ''
                : text;
          expect([id, i, j, cell]).toEqual([id, i, j, expected]);
        }),
      );
    }
    await manager.get('/staff/insights/nonsense.csv').expect(404);
  });

  it('filters by one published round, in the page and its CSV; an unknown or repeated round is a 400', async () => {
    const r = rounds[0];
    const one = (await manager.get(`/staff/insights?roundId=${r.id}`).expect(200)).text;
    expect(
      tableOf(one, 'by-round')
        .slice(1)
        .map((x) => x[0]),
    ).toEqual([r.name]);
    expect(one).toContain(`href="/staff/insights/by-round.csv?roundId=${r.id}"`);
    const csv = parseCsv((await manager.get(`/staff/insights/by-round.csv?roundId=${r.id}`).expect(200)).text);
    expect(csv.slice(1).map((x) => x[0])).toEqual([r.name]);
    await manager.get('/staff/insights?roundId=00000000-0000-4000-8000-000000000000').expect(400);
    await manager.get('/staff/insights?roundId=nonsense').expect(400);
    await manager.get(`/staff/insights?roundId=${r.id}&roundId=${r.id}`).expect(400);
    await manager.get('/staff/insights?fund=x').expect(400);
    await manager.get('/staff/insights.csv').expect(404);
  });

  describe('the fund and financial year filters', () => {
    /** The financial year ("2026-27") a round closes in, London time, as the page counts it. */
    const FY = `to_char((r.closes_at AT TIME ZONE 'Europe/London')::date - interval '3 months', 'YYYY') || '-' ||
                to_char((r.closes_at AT TIME ZONE 'Europe/London')::date + interval '9 months', 'YY')`;
    const roundsWhere = async (where: string, params: unknown[]) =>
      (
        await t.dataSource.query<{ name: string }[]>(
          `SELECT r.name FROM funding_round r JOIN fund_programme p ON p.id = r.programme_id WHERE r.state = 'published' AND ${where} ORDER BY r.closes_at`,
          params,
        )
      ).map((r) => r.name);
    const awardedWhere = async (where: string, params: unknown[]) => {
      const [{ pence }] = await t.dataSource.query(
        `SELECT coalesce(sum(g.amount_pence), 0)::bigint AS pence FROM "grant" g JOIN funding_round r ON r.id = g.round_id JOIN fund_programme p ON p.id = r.programme_id
          WHERE g.status IN ('offered', 'accepted') AND ${where}`,
        params,
      );
      return Number(pence);
    };
    const totalOf = (html: string, id: string, column: number) =>
      tableOf(html, id)
        .slice(1)
        .reduce((sum, r) => sum + poundsOf(r[column]), 0);
    let funds: { id: string; code: string }[];

    beforeAll(async () => {
      funds = await t.dataSource.query(`SELECT id, code FROM fund_programme ORDER BY code`);
    });

    it('by fund: every chart and table has only that fund’s rounds, and every CSV link carries the filter', async () => {
      const everything = await awardedWhere('true', []);
      for (const fund of funds) {
        const html = (await manager.get(`/staff/insights?fundId=${fund.id}`).expect(200)).text;
        const names = await roundsWhere('p.id = $1', [fund.id]);
        expect([
          fund.code,
          tableOf(html, 'by-round')
            .slice(1)
            .map((r) => r[0]),
        ]).toEqual([fund.code, names]);
        const awarded = await awardedWhere('p.id = $1', [fund.id]);
        // The figures change with the filter: each fund has awards, and less than everything.
        expect([fund.code, awarded > 0, awarded < everything]).toEqual([fund.code, true, true]);
        for (const [id, column] of [
          ['by-round', 4],
          ['by-category', 2],
          ['by-ring-fence', 2],
          ['per-1000-residents', 5],
        ] as const)
          expect([fund.code, id, totalOf(html, id, column)]).toEqual([fund.code, id, awarded]);
        for (const id of CHARTS) expect(html).toContain(`href="/staff/insights/${id}.csv?fundId=${fund.id}"`);
        expect(html).toMatch(new RegExp(`<option value="${fund.id}" selected>`));
        // The CSV has the page's rows for the same filter, and says so in its name.
        for (const id of CHARTS) {
          const res = await manager.get(`/staff/insights/${id}.csv?fundId=${fund.id}`).expect(200);
          expect(res.headers['content-disposition']).toBe(`attachment; filename="insights-${id}-${fund.code}.csv"`);
          const csv = parseCsv(res.text);
          expect([fund.code, id, csv.map((r) => r[0])]).toEqual([fund.code, id, tableOf(html, id).map((r) => r[0])]);
        }
      }
    });

    it('by financial year: the rounds that close in it (London time), with all their figures; a year with none is empty and says so', async () => {
      // Victims Fund 6 moved back a year, so the demo's rounds span two financial years.
      const [vf6] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 6'`);
      const shift = (sign: '+' | '-') =>
        t.dataSource.query(
          `UPDATE funding_round SET opens_at = opens_at ${sign} interval '1 year', closes_at = closes_at ${sign} interval '1 year',
                  scoring_closes_at = scoring_closes_at ${sign} interval '1 year' WHERE id = $1`,
          [vf6.id],
        );
      await shift('-');
      try {
        const years: string[] = (
          await t.dataSource.query(`SELECT DISTINCT ${FY} AS year FROM funding_round r WHERE r.state = 'published' ORDER BY 1 DESC`)
        ).map((y: { year: string }) => y.year);
        expect(years.length).toBe(2);
        const all = (await manager.get('/staff/insights').expect(200)).text;
        for (const year of years) {
          const html = (await manager.get(`/staff/insights?year=${year}`).expect(200)).text;
          const names = await roundsWhere(`${FY} = $1`, [year]);
          expect([
            year,
            tableOf(html, 'by-round')
              .slice(1)
              .map((r) => r[0]),
          ]).toEqual([year, names]);
          const awarded = await awardedWhere(`${FY} = $1`, [year]);
          expect([year, totalOf(html, 'by-category', 2)]).toEqual([year, awarded]);
          expect(html).toContain(`href="/staff/insights/by-category.csv?year=${year}"`);
          const csv = parseCsv((await manager.get(`/staff/insights/by-category.csv?year=${year}`).expect(200)).text);
          expect([year, csv.slice(1).reduce((sum, r) => sum + Math.round(Number(r[2]) * 100), 0)]).toEqual([year, awarded]);
        }
        // Together the two years are everything.
        expect((await Promise.all(years.map((y) => awardedWhere(`${FY} = $1`, [y])))).reduce((a, b) => a + b, 0)).toBe(totalOf(all, 'by-category', 2));
        // The year's options are the rounds' years, and the hint says how a round is counted.
        for (const year of years) expect(all).toContain(`<option value="${year}">April ${year.slice(0, 4)} to March ${Number(year.slice(0, 4)) + 1}</option>`);
        expect(decode(all)).toContain('A round counts in the year it closes (London time)');

        // Fund and year together.
        const vf = funds.find((f) => f.code === 'VF')!;
        const both = (await manager.get(`/staff/insights?fundId=${vf.id}&year=${years[1]}`).expect(200)).text;
        expect(
          tableOf(both, 'by-round')
            .slice(1)
            .map((r) => r[0]),
        ).toEqual(await roundsWhere(`p.id = $1 AND ${FY} = $2`, [vf.id, years[1]]));
        expect(both).toContain(`href="/staff/insights/by-round.csv?fundId=${vf.id}&amp;year=${years[1]}"`);
      } finally {
        await shift('+');
      }

      // A year no round closes in: every chart empty and well-formed, saying so; the CSVs have their headers only.
      const empty = (await manager.get('/staff/insights?year=2001-02').expect(200)).text;
      expect(decode(empty)).toContain('No published funding round matches these filters');
      expect(decode(empty)).toContain('There is nothing to show yet for rounds closing in the financial year April 2001 to March 2002.');
      expect(empty).not.toContain('<svg class="app-chart"');
      expect(tableOf(empty, 'by-round')).toEqual([tableOf(page, 'by-round')[0], ['No figures yet.']]);
      expect(empty).toContain('<option value="2001-02" selected>');
      for (const id of CHARTS) {
        const csv = parseCsv((await manager.get(`/staff/insights/${id}.csv?year=2001-02`).expect(200)).text);
        // Every area is still listed per 1,000 residents, with nothing awarded.
        expect([id, id === 'per-1000-residents' ? csv.slice(1).every((r) => r[5] === '0.00') : csv.length]).toEqual([
          id,
          id === 'per-1000-residents' ? true : 1,
        ]);
      }
    });

    it('refuses an unknown or malformed fund or year with a 400 naming the field: on the page by its box, on the CSV in the error', async () => {
      const cases: [string, string, string][] = [
        ['fundId=00000000-0000-4000-8000-000000000000', 'fundId', 'Select a fund from the list'],
        ['fundId=VF', 'fundId', 'Select a fund from the list'],
        [`fundId=${funds[0].id}&fundId=${funds[1].id}`, 'fundId', 'Select one fund'],
        ['year=2026', 'year', 'Select a financial year from the list'],
        ['year=2026-28', 'year', 'Select a financial year from the list'],
        ['year=26-27', 'year', 'Select a financial year from the list'],
        ['year=2026-27&year=2025-26', 'year', 'Select one financial year'],
      ];
      for (const [q, field, message] of cases) {
        const res = await manager.get(`/staff/insights?${q}`);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
        expect(res.text).toContain(`href="#${field}"`);
        expect(decode(res.text)).toContain(message);
        expect(res.text).toContain('<title>Error: ');
        expect(res.text).not.toContain('id="chart-');
        const csv = await manager.get(`/staff/insights/by-round.csv?${q}`).set('Accept', 'application/json');
        expect({ q, status: csv.status, fields: csv.body.details?.map((d: { field: string }) => d.field) }).toEqual({ q, status: 400, fields: [field] });
      }
    });
  });

  it('is for fund managers, finance and the Commissioner, not applicants, assessors or administrators', async () => {
    for (const role of ['finance_officer', 'finance_approver', 'commissioner'] as const) {
      const agent = await signIn(t, await createUser(t, [role]));
      await agent.get('/staff/insights').expect(200);
      await agent.get('/staff/insights/by-round.csv').expect(200);
      expect((await agent.get('/staff').expect(200)).text).toContain('href="/staff/insights"');
    }
    for (const roles of [[], ['assessor'], ['admin']] as const) {
      const agent = await signIn(t, await createUser(t, [...roles]));
      await agent.get('/staff/insights').expect(403);
      await agent.get('/staff/insights/by-round.csv').expect(403);
    }
    await request(t.http)
      .get('/staff/insights/by-round.csv')
      .expect((res) => expect([302, 303, 401]).toContain(res.status));
  });

  describe('the population figures', () => {
    let admin: TestUser;
    let adminAgent: Agent;
    beforeAll(async () => {
      admin = await createUser(t, ['admin']);
      adminAgent = await signIn(t, admin);
    });

    const post = async (agent: Agent, code: string, fields: Record<string, string>) => {
      const form = await agent.get(`/admin/populations/${code}`);
      return agent
        .post(`/admin/populations/${code}`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ...fields });
    };

    it('an administrator changes an area’s figure, year and source; it is audited and the insights use it', async () => {
      expect((await adminAgent.get('/admin/populations').expect(200)).text).toContain('href="/admin/populations/E08000027"');
      const res = await post(adminAgent, 'E08000027', {
        population: '331,500',
        year: '2023',
        source: 'ONS, Estimates of the population for England and Wales, mid-2023',
      });
      expect(res.status).toBe(303);
      const [row] = await t.dataSource.query(`SELECT population, year, source, updated_by FROM local_authority_population WHERE area_ons_code = 'E08000027'`);
      expect(row).toEqual({
        population: 331_500,
        year: 2023,
        source: 'ONS, Estimates of the population for England and Wales, mid-2023',
        updated_by: admin.id,
      });
      const [audit] = await t.dataSource.query(
        `SELECT before, after FROM audit_event WHERE action = 'area.population_changed' AND entity_id = 'E08000027' ORDER BY occurred_at DESC LIMIT 1`,
      );
      expect(audit.before).toMatchObject({ population: 323_500, year: 2021 });
      expect(audit.after).toMatchObject({ areaName: 'Dudley', population: 331_500, year: 2023 });
      const dudley = rowFor(tableOf((await manager.get('/staff/insights').expect(200)).text, 'per-1000-residents'), 'Dudley');
      expect([numberIn(dudley[2]), numberIn(dudley[3])]).toEqual([331_500, 2023]);
      const trail = await adminAgent.get('/admin/audit?action=area.population_changed').expect(200);
      expect(decode(trail.text)).toContain('set the population of Dudley to 331,500 (2023, ONS, Estimates of the population for England and Wales, mid-2023)');
    });

    it('refuses a population that is not a positive whole number, a year that is not four digits and a missing source, naming each field', async () => {
      const res = await post(adminAgent, 'E08000028', { population: '-5', year: '23', source: '  ' });
      expect(res.status).toBe(400);
      const text = decode(res.text);
      expect(text).toContain('Population must be a positive whole number');
      expect(text).toContain('Year must be four digits, like 2022');
      expect(text).toContain('Enter the source of the figure');
      expect(res.text).toContain('href="#population"');
      expect(res.text).toContain('href="#year"');
      expect(res.text).toContain('href="#source"');
      for (const population of ['0', '12.5', 'lots', '']) {
        const r = await post(adminAgent, 'E08000028', { population, year: '2022', source: 'ONS' });
        expect([population, r.status, decode(r.text).includes('Population must be a positive whole number')]).toEqual([population, 400, true]);
      }
      const [row] = await t.dataSource.query(`SELECT population FROM local_authority_population WHERE area_ons_code = 'E08000028'`);
      expect(row.population).toBe(341_900);
      await adminAgent.get('/admin/populations/E09999999').expect(404);
      await adminAgent.get('/admin/populations/nonsense').expect(404);
    });

    it('is for administrators only', async () => {
      await manager.get('/admin/populations').expect(403);
      const form = await adminAgent.get('/admin/populations/E08000025');
      await manager
        .post('/admin/populations/E08000025')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), population: '1', year: '2022', source: 'x' })
        .expect(403);
    });
  });
});
