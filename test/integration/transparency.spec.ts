import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { DecisionsService } from '../../src/modules/decisions/decisions.service';
import { GrantsService } from '../../src/modules/grants/grants.service';
import { PublishingService } from '../../src/modules/publishing/publishing.service';
import { OrganisationMembership } from '../../src/modules/identity/entities/organisation-membership.entity';
import { UserAccount } from '../../src/modules/identity/entities/user-account.entity';
import { toPrincipal } from '../../src/modules/identity/users.service';
import { OrganisationRole } from '../../src/platform/access';
import { demoPassword } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';
import { parseCsv } from '../support/csv';

/*
 * Issue 13: the Specified Information list of crime and disorder reduction grants
 * (/transparency/crime-and-disorder-grants, with CSV and JSON) and the public funded projects
 * (/funded-projects and a page per grant), on the demo data. Only grants accepted under a
 * published, non-confidential decision; the Specified Information list only from funds set as
 * making crime and disorder reduction grants (the Active Citizens Fund, not the Victims Fund);
 * every filter checked, bad values a 400 naming the field, never a 500.
 */
const SI = '/transparency/crime-and-disorder-grants';

interface SiGrant {
  month: string;
  awardDate: string;
  reference: string;
  recipient: { name: string; identifier: string };
  purpose: string | null;
  amountAwarded: number;
  conditions: string;
  reasons: string;
  decision: { number: string; url: string };
  url: string;
}

/** The references of the grants a Specified Information page lists, in order. */
const pageReferences = (html: string) => [...html.matchAll(/data-reference="([^"]+)"/g)].map((m) => m[1]);

/** The grant pages a funded projects page links to, in order. */
const projectLinks = (html: string) => [...html.matchAll(/href="\/funded-projects\/([0-9a-f-]{36})\?/g)].map((m) => m[1]);

describe('Specified Information and funded projects (issue 13)', () => {
  let t: TestApp;

  interface Row {
    id: string;
    reference: string;
    org_name: string;
    programme: string;
    cdr: boolean;
    month: string;
    year: number;
    conditions: string;
    reasons: string;
    summary: string | null;
    title: string | null;
    purpose: string | null;
    category: string | null;
    area: string | null;
    decision_id: string;
  }
  /** The grants the public may see, straight from the tables, newest offer first. */
  const publishable = () =>
    t.dataSource.query<Row[]>(
      `SELECT g.id, a.reference, o.name AS org_name, p.code AS programme, p.crime_and_disorder_reduction AS cdr,
              to_char(g.offered_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
              extract(year FROM g.offered_at AT TIME ZONE 'Europe/London')::int AS year,
              g.conditions, d.reasons, a.answers ->> 'projectSummary' AS summary,
              a.answers ->> 'projectTitle' AS title, g.purpose, a.category, o.area_ons_code AS area, g.decision_id
         FROM "grant" g JOIN application a ON a.id = g.application_id JOIN organisation o ON o.id = a.organisation_id
         JOIN funding_round r ON r.id = g.round_id JOIN fund_programme p ON p.id = r.programme_id JOIN pcc_decision d ON d.id = g.decision_id
        WHERE g.status = 'accepted' AND d.status = 'published' AND NOT d.confidential
        ORDER BY g.offered_at DESC, g.id`,
    );
  const siJson = async (query = '') => {
    const res = await request(t.http).get(`${SI}.json${query}`).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return res.body as { title: string; legislation: string; year: number; month: number | null; grants: SiGrant[] };
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is an empty, well-formed page and file before anything is published', async () => {
    const page = await request(t.http).get(SI).expect(200);
    expect(page.text).toContain('Crime and disorder reduction grants');
    expect(pageReferences(page.text)).toEqual([]);
    expect((await siJson()).grants).toEqual([]);
    const csv = await request(t.http).get(`${SI}.csv`).expect(200);
    expect(parseCsv(csv.text)).toHaveLength(1);
    // Every year's files too: the headers, and a document with no grants.
    expect(parseCsv((await request(t.http).get(`${SI}/all-years.csv`).expect(200)).text)).toEqual(parseCsv(csv.text));
    expect((await request(t.http).get(`${SI}/all-years.json`).expect(200)).body).toMatchObject({ year: null, month: null, grants: [] });
    expect(page.text).toContain('No crime and disorder reduction grants have been published yet.');
    const list = await request(t.http).get('/funded-projects').expect(200);
    expect(list.text).toContain('No projects');
    expect(projectLinks(list.text)).toEqual([]);
  });

  describe('on the demo data', () => {
    let vfAccepted: string;
    let vfOffered: string;

    beforeAll(async () => {
      await seedDemoData(t.app, undefined, demoPassword());
      // Victims Fund 6's decision approved (its offers made) and one offer accepted: not public until the decision is published.
      const accounts = t.dataSource.getRepository(UserAccount);
      const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
      const [vf6] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM pcc_decision WHERE status = 'submitted' AND round_id IS NOT NULL`);
      await t.app.get(DecisionsService).approve(commissioner, vf6.id);
      const offers = await t.dataSource.query<{ id: string; organisation_id: string }[]>(
        `SELECT g.id, a.organisation_id FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.decision_id = $1 ORDER BY a.reference`,
        [vf6.id],
      );
      expect(offers.length).toBeGreaterThan(1);
      const owner = await t.dataSource.getRepository(OrganisationMembership).findOneOrFail({
        where: { organisationId: offers[0].organisation_id, role: OrganisationRole.Owner },
        relations: { user: true },
      });
      await t.app.get(GrantsService).accept(toPrincipal(owner.user!, 'session'), offers[0].id, { fullName: owner.user!.fullName });
      vfAccepted = offers[0].id;
      vfOffered = offers[1].id;
    });

    const publishVf6 = async () => {
      const accounts = t.dataSource.getRepository(UserAccount);
      const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
      const [vf6] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM pcc_decision WHERE status = 'approved' AND round_id IS NOT NULL`);
      await t.app.get(DecisionsService).publish(commissioner, vf6.id);
    };

    it('lists each crime and disorder reduction grant with its recipient, purpose, conditions and reasons', async () => {
      const rows = (await publishable()).filter((r) => r.cdr);
      expect(rows.length).toBeGreaterThanOrEqual(4);
      expect(new Set(rows.map((r) => r.programme))).toEqual(new Set(['ACF']));
      const latest = Math.max(...rows.map((r) => r.year));
      const body = await siJson();
      // Without a year: the latest year with such grants.
      expect(body.year).toBe(latest);
      expect(body.legislation).toContain('Specified Information');
      const expected = rows.filter((r) => r.year === latest);
      expect(body.grants.map((g) => g.reference).sort()).toEqual(expected.map((r) => r.reference).sort());
      for (const g of body.grants) {
        const r = expected.find((x) => x.reference === g.reference)!;
        expect(g.recipient.name).toBe(r.org_name);
        expect(g.month).toBe(r.month);
        expect(g.purpose).toBe(r.summary);
        expect(g.conditions).toBe(r.conditions.trim());
        expect(g.conditions).toContain('Use the grant only for the project');
        expect(g.reasons).toBe(r.reasons.trim());
        expect(g.reasons).toContain('reduce crime and anti-social behaviour');
        expect(g.decision.url).toMatch(new RegExp(`/decisions/${g.decision.number}$`));
        expect(g.url).toMatch(new RegExp(`/funded-projects/${r.id}$`));
      }
      // Newest month first.
      const months = body.grants.map((g) => g.month);
      expect([...months].sort().reverse()).toEqual(months);

      const page = await request(t.http).get(SI).expect(200);
      for (const r of expected) {
        expect(page.text).toContain(r.org_name);
      }
      expect(page.text).toContain('Use the grant only for the project described in your application, within 12 months.');
      expect(page.text).toContain('Active Citizens Fund');
      // The page links the Specified Information list to the decision and the project.
      expect(page.text).toMatch(/href="\/decisions\/\d{3}-\d{4}"/);
    });

    it('gives the page’s rows, in the page’s order, as CSV and JSON, filtered the same way', async () => {
      const rows = (await publishable()).filter((r) => r.cdr);
      const queries = ['', `?year=${rows[0].year}`, `?year=${rows[0].year}&month=${Number(rows[0].month.slice(5))}`, '?year=2099'];
      for (const q of queries) {
        const page = await request(t.http).get(`${SI}${q}`).expect(200);
        const onPage = pageReferences(page.text);
        const json = (await siJson(q)).grants.map((g) => g.reference);
        const csvRes = await request(t.http).get(`${SI}.csv${q}`).expect(200);
        expect(csvRes.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(csvRes.headers['content-disposition']).toMatch(/^attachment; filename="crime-and-disorder-grants-\d{4}(-\d{2})?\.csv"$/);
        const [headers, ...csvRows] = parseCsv(csvRes.text);
        expect(headers).toEqual(expect.arrayContaining(['Month', 'Grant reference', 'Recipient', 'Purpose', 'Conditions', 'Reasons', 'Decision number']));
        const csv = csvRows.map((r) => r[headers.indexOf('Grant reference')]);
        expect({ q, json }).toEqual({ q, json: onPage });
        expect({ q, csv }).toEqual({ q, csv: onPage });
        // The page's download links carry its filter.
        expect(page.text).toContain(`href="${SI}.csv?year=`);
      }
      // A month holds only that month's grants.
      const month = rows[0].month;
      const body = await siJson(`?year=${month.slice(0, 4)}&month=${Number(month.slice(5))}`);
      expect(body.grants.length).toBeGreaterThan(0);
      expect(body.grants.every((g) => g.month === month)).toBe(true);
      expect(body.month).toBe(Number(month.slice(5)));
      // A year with no grants: an empty, well-formed page and files.
      const empty = await request(t.http).get(`${SI}?year=2099`).expect(200);
      expect(empty.text).toContain('No crime and disorder reduction grants made in 2099 have been published.');
      expect(await siJson('?year=2099')).toMatchObject({ year: 2099, month: null, grants: [] });
    });

    it('writes the CSV safe from spreadsheet formulas, with the conditions’ paragraphs intact', async () => {
      const [row] = (await publishable()).filter((r) => r.cdr);
      await t.dataSource.query(`UPDATE "grant" SET purpose = '=HYPERLINK("http://evil.example","Click")' WHERE id = $1`, [row.id]);
      try {
        const res = await request(t.http).get(`${SI}.csv?year=${row.year}`).expect(200);
        const [headers, ...rows] = parseCsv(res.text);
        const mine = rows.find((r) => r[headers.indexOf('Grant reference')] === row.reference)!;
        expect(mine[headers.indexOf('Purpose')]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
        expect(mine[headers.indexOf('Conditions')]).toContain('\n\n');
      } finally {
        await t.dataSource.query(`UPDATE "grant" SET purpose = NULL WHERE id = $1`, [row.id]);
      }
    });

    it('gives every year’s grants in one CSV and one JSON, read in batches, oldest first, each as its year’s files give it; linked from the page', async () => {
      const rows = (await publishable()).filter((r) => r.cdr);
      // The oldest moved back two years, so the files hold more than one year.
      const oldest = rows[rows.length - 1];
      await t.dataSource.query(`UPDATE "grant" SET offered_at = offered_at - interval '2 years' WHERE id = $1`, [oldest.id]);
      try {
        const expected = await t.dataSource.query<{ reference: string; year: number }[]>(
          `SELECT a.reference, extract(year FROM g.offered_at AT TIME ZONE 'Europe/London')::int AS year
             FROM "grant" g JOIN application a ON a.id = g.application_id JOIN funding_round r ON r.id = g.round_id
             JOIN fund_programme p ON p.id = r.programme_id JOIN pcc_decision d ON d.id = g.decision_id
            WHERE g.status = 'accepted' AND d.status = 'published' AND NOT d.confidential AND p.crime_and_disorder_reduction
            ORDER BY g.offered_at, g.id`,
        );
        const years = [...new Set(expected.map((r) => r.year))];
        expect(years.length).toBeGreaterThan(1);

        const jsonRes = await request(t.http).get(`${SI}/all-years.json`).expect(200);
        expect(jsonRes.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(jsonRes.headers['cache-control']).toBe('public, max-age=900');
        const all = JSON.parse(jsonRes.text) as { title: string; legislation: string; publisher: string; year: null; month: null; grants: SiGrant[] };
        expect(all).toMatchObject({ title: 'Crime and disorder reduction grants', year: null, month: null });
        expect(all.legislation).toContain('Specified Information');
        expect(all.grants.map((g) => g.reference)).toEqual(expected.map((r) => r.reference));

        const csvRes = await request(t.http).get(`${SI}/all-years.csv`).expect(200);
        expect(csvRes.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(csvRes.headers['content-disposition']).toBe('attachment; filename="crime-and-disorder-grants-all-years.csv"');
        const [headers, ...csvRows] = parseCsv(csvRes.text);
        expect(csvRows.map((r) => r[headers.indexOf('Grant reference')])).toEqual(expected.map((r) => r.reference));

        // Each grant exactly as its own year's files give it.
        for (const year of years) {
          const yearly = (await siJson(`?year=${year}`)).grants;
          expect(yearly.length).toBeGreaterThan(0);
          for (const g of yearly) expect(all.grants.find((x) => x.reference === g.reference)).toEqual(g);
          const [yearHeaders, ...yearRows] = parseCsv((await request(t.http).get(`${SI}.csv?year=${year}`).expect(200)).text);
          expect(yearHeaders).toEqual(headers);
          for (const r of yearRows) expect(csvRows.find((x) => x[2] === r[2])).toEqual(r);
        }

        // Read two at a time, the batches join up to the same grants: none twice, none missed, ties on the instant broken by the id.
        const batches: string[][] = [];
        for await (const batch of t.app.get(PublishingService).allCrimeAndDisorderGrants(2)) batches.push(batch.map((g) => g.reference));
        expect(batches.length).toBeGreaterThan(1);
        expect(batches.flat()).toEqual(expected.map((r) => r.reference));

        // Linked from the page, whatever the year shown.
        const page = await request(t.http).get(`${SI}?year=2099`).expect(200);
        expect(page.text).toContain(`href="${SI}/all-years.csv"`);
        expect(page.text).toContain(`href="${SI}/all-years.json"`);
      } finally {
        await t.dataSource.query(`UPDATE "grant" SET offered_at = offered_at + interval '2 years' WHERE id = $1`, [oldest.id]);
      }
    });

    it('refuses a bad year or month with a 400 naming the field, on the page and the downloads', async () => {
      const cases: [string, 'year' | 'month'][] = [
        ['?year=abc', 'year'],
        ['?year=1999', 'year'],
        ['?year=20261', 'year'],
        ['?month=13', 'month'],
        ['?month=0', 'month'],
        ['?year=2026&month=June', 'month'],
      ];
      for (const [q, field] of cases) {
        const page = await request(t.http).get(`${SI}${q}`);
        expect({ q, status: page.status }).toEqual({ q, status: 400 });
        expect(page.text).toContain(`href="#${field}"`);
        expect(page.text).toContain(field === 'year' ? 'Select a year from the list' : 'Select a month from the list');
        expect(pageReferences(page.text)).toEqual([]);
        for (const ext of ['.csv', '.json']) {
          const res = await request(t.http).get(`${SI}${ext}${q}`);
          expect({ q, ext, status: res.status }).toEqual({ q, ext, status: 400 });
        }
      }
      // A parameter given twice counts once.
      const [row] = (await publishable()).filter((r) => r.cdr);
      await request(t.http).get(`${SI}?year=${row.year}&year=abc`).expect(200);
    });

    it('leaves out a fund without the setting, unpublished decisions and confidential ones', async () => {
      const before = (await siJson()).grants.map((g) => g.reference);
      // Victims Fund 6's accepted grant, under an approved but unpublished decision: nowhere public.
      expect((await publishable()).some((r) => r.id === vfAccepted)).toBe(false);
      await request(t.http).get(`/funded-projects/${vfAccepted}`).expect(404);
      await publishVf6();
      // Published: a funded project, but the Victims Fund's grants are not crime and disorder reduction grants.
      const [vf] = (await publishable()).filter((r) => r.id === vfAccepted);
      expect(vf).toMatchObject({ programme: 'VF', cdr: false });
      await request(t.http).get(`/funded-projects/${vfAccepted}`).expect(200);
      const all = await request(t.http).get(`${SI}?year=${vf.year}`).expect(200);
      expect(pageReferences(all.text)).not.toContain(vf.reference);
      expect((await siJson(`?year=${vf.year}`)).grants.map((g) => g.reference)).not.toContain(vf.reference);
      // An offer not accepted is no grant.
      await request(t.http).get(`/funded-projects/${vfOffered}`).expect(404);

      // The Active Citizens Budget made confidential, then unpublished: its grants go.
      const [acf] = (await publishable()).filter((r) => r.cdr);
      await t.dataSource.query(`UPDATE pcc_decision SET confidential = true, confidential_subject = 'a test' WHERE id = $1`, [acf.decision_id]);
      try {
        expect((await siJson()).grants.map((g) => g.reference)).not.toContain(acf.reference);
        await request(t.http).get(`/funded-projects/${acf.id}`).expect(404);
      } finally {
        await t.dataSource.query(`UPDATE pcc_decision SET confidential = false, confidential_subject = NULL WHERE id = $1`, [acf.decision_id]);
      }
      await t.dataSource.query(`UPDATE pcc_decision SET status = 'approved', published_at = NULL WHERE id = $1`, [acf.decision_id]);
      try {
        expect((await siJson()).grants.map((g) => g.reference)).not.toContain(acf.reference);
        await request(t.http).get(`/funded-projects/${acf.id}`).expect(404);
      } finally {
        await t.dataSource.query(`UPDATE pcc_decision SET status = 'published', published_at = decided_at WHERE id = $1`, [acf.decision_id]);
      }
      // The setting is the fund's: turned on for the Victims Fund, its grant joins the list.
      await t.dataSource.query(`UPDATE fund_programme SET crime_and_disorder_reduction = true WHERE code = 'VF'`);
      try {
        expect((await siJson(`?year=${vf.year}`)).grants.map((g) => g.reference)).toContain(vf.reference);
      } finally {
        await t.dataSource.query(`UPDATE fund_programme SET crime_and_disorder_reduction = false WHERE code = 'VF'`);
      }
      expect((await siJson()).grants.map((g) => g.reference)).toEqual(before);
    });

    describe('funded projects', () => {
      const list = async (query: string, status = 200) => {
        const res = await request(t.http).get(`/funded-projects${query}`);
        expect({ query, status: res.status }).toEqual({ query, status });
        return res.text;
      };

      it('lists every publishable grant, newest first, with a page each', async () => {
        const rows = await publishable();
        const html = await list('');
        expect(projectLinks(html)).toEqual(rows.map((r) => r.id));
        expect(html).toContain(`of ${rows.length} project`);
        expect(html).toContain('href="/funded-projects"');
      });

      it('searches by fund, year, area, category and text', async () => {
        const rows = await publishable();
        const ids = (pred: (r: Row) => boolean) => rows.filter(pred).map((r) => r.id);
        expect(projectLinks(await list('?fund=ACF'))).toEqual(ids((r) => r.programme === 'ACF'));
        expect(projectLinks(await list('?fund=VF'))).toEqual(ids((r) => r.programme === 'VF'));
        const year = rows[rows.length - 1].year;
        expect(projectLinks(await list(`?year=${year}`))).toEqual(ids((r) => r.year === year));
        expect(projectLinks(await list('?year=2099'))).toEqual([]);
        const withCategory = rows.find((r) => r.category)!;
        expect(projectLinks(await list(`?category=${withCategory.category}`))).toEqual(ids((r) => r.category === withCategory.category));
        // Area: the areas the application named, else the organisation's (as the open data's beneficiary location).
        const served = await t.dataSource.query<{ id: string; areas: string[] | null }[]>(
          `SELECT g.id, a.answers -> 'areasServed' AS areas FROM "grant" g JOIN application a ON a.id = g.application_id`,
        );
        const areasOf = (r: Row) => {
          const named = served.find((s) => s.id === r.id)?.areas;
          return Array.isArray(named) && named.length ? named : [r.area];
        };
        const area = areasOf(rows[0])[0]!;
        const inArea = projectLinks(await list(`?area=${area}`));
        expect(inArea).toEqual(ids((r) => areasOf(r).includes(area)));
        expect(inArea.length).toBeGreaterThan(0);
        // Text: part of a recipient's name, any case, in the reference, name, title, summary or purpose; filters combine.
        const word = (rows[0].org_name.split(' ')[1] ?? rows[0].org_name).toLowerCase();
        const mentions = (r: Row) => [r.reference, r.org_name, r.title, r.summary, r.purpose].some((v) => (v ?? '').toLowerCase().includes(word));
        expect(projectLinks(await list(`?q=${encodeURIComponent(word)}`))).toEqual(ids(mentions));
        expect(projectLinks(await list(`?q=${encodeURIComponent(rows[0].reference)}&fund=${rows[0].programme}`))).toEqual([rows[0].id]);
        // A search is matched as typed: "%" is not a wildcard.
        expect(projectLinks(await list('?q=%25'))).toEqual([]);
        // The filter form keeps its values and offers to clear them.
        const filtered = await list(`?fund=ACF&year=${year}`);
        expect(filtered).toContain('Clear filters');
        expect(filtered).toMatch(/<option value="ACF" selected>/);
      });

      it('refuses unknown filter values with a 400 naming the field, never a 500', async () => {
        const cases: [string, string][] = [
          ['?fund=NOPE', 'fund'],
          ['?fund=%3Cscript%3E', 'fund'],
          ['?year=abc', 'year'],
          ['?year=1999', 'year'],
          ['?area=E99999999', 'area'],
          ['?area=Birmingham', 'area'],
          ['?category=not_a_category', 'category'],
          ['?category=Hate%20crime', 'category'],
          [`?q=${'x'.repeat(101)}`, 'q'],
          ['?q=a%0Ab', 'q'],
        ];
        for (const [query, field] of cases) {
          const html = await list(query, 400);
          expect({ query, linked: html.includes(`href="#${field}"`) }).toEqual({ query, linked: true });
          expect(projectLinks(html)).toEqual([]);
        }
        // Unknown parameters are ignored; a repeated one counts once.
        await list('?colour=red');
        await list('?fund=ACF&fund=NOPE');
      });

      it('pages 50 at a time (or as asked), keeping the filters; a page beyond the end is empty', async () => {
        const rows = await publishable();
        expect(rows.length).toBeGreaterThan(2);
        const first = await list('?fund=ACF&limit=2');
        expect(projectLinks(first)).toEqual(
          rows
            .filter((r) => r.programme === 'ACF')
            .slice(0, 2)
            .map((r) => r.id),
        );
        expect(first).toContain('href="/funded-projects?fund=ACF&amp;limit=2&amp;page=2"');
        const second = await list('?fund=ACF&limit=2&page=2');
        expect(projectLinks(second)).toEqual(
          rows
            .filter((r) => r.programme === 'ACF')
            .slice(2, 4)
            .map((r) => r.id),
        );
        const beyond = await list('?page=99');
        expect(projectLinks(beyond)).toEqual([]);
        expect(beyond).toContain('There are no projects on this page');
        expect(beyond).toContain('href="/funded-projects"');
        // A page nobody could click falls back to the first.
        expect(projectLinks(await list('?page=abc'))).toEqual(rows.slice(0, 50).map((r) => r.id));
        expect(projectLinks(await list('?page=0&limit=100000'))).toEqual(rows.slice(0, 50).map((r) => r.id));
      });

      it('has a page per grant: amount, purpose, recipient, area and the authorising decision, and nothing personal', async () => {
        const [row] = (await publishable()).filter((r) => r.cdr);
        const listPage = await list('?fund=ACF');
        const href = [...listPage.matchAll(/href="(\/funded-projects\/[0-9a-f-]{36}\?returnTo=[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'))[0];
        const page = await request(t.http).get(href).expect(200);
        expect(page.text).toContain('href="/funded-projects?fund=ACF"');
        const own = await request(t.http).get(`/funded-projects/${row.id}`).expect(200);
        expect(own.text).toContain(row.org_name);
        expect(own.text).toContain(row.summary!);
        expect(own.text).toMatch(/£[\d,]+/);
        const [{ year, seq }] = await t.dataSource.query<{ year: number; seq: number }[]>(`SELECT year, seq FROM pcc_decision WHERE id = $1`, [
          row.decision_id,
        ]);
        expect(own.text).toContain(`href="/decisions/${String(seq).padStart(3, '0')}-${year}"`);
        const names = await t.dataSource.query<{ name: string }[]>(`SELECT name FROM local_authority_area`);
        expect(names.some((a) => own.text.includes(a.name))).toBe(true);
        expect(own.text).toContain('crime and disorder reduction grant');
        // A returnTo to somewhere else is not followed.
        const evil = await request(t.http).get(`/funded-projects/${row.id}?returnTo=//evil.example`).expect(200);
        expect(evil.text).not.toContain('evil.example');
        // Not a grant, or not an id: not found.
        await request(t.http).get('/funded-projects/00000000-0000-4000-8000-000000000000').expect(404);
        await request(t.http).get('/funded-projects/not-an-id').expect(404);

        const people = await t.dataSource.query<{ v: string }[]>(
          `SELECT contact_name AS v FROM organisation UNION SELECT contact_email FROM organisation UNION SELECT contact_phone FROM organisation
           UNION SELECT address_line1 FROM organisation UNION SELECT full_name FROM user_account UNION SELECT email FROM user_account
           UNION SELECT account_name FROM bank_details UNION SELECT accepted_name FROM "grant"`,
        );
        const orgNames = new Set((await t.dataSource.query<{ name: string }[]>(`SELECT name FROM organisation`)).map((o) => o.name));
        // The demo Commissioner's account is named for the office ("The Commissioner"), which the pages do name.
        const secrets = people.map((p) => p.v).filter((v): v is string => !!v && v.length > 3 && !orgNames.has(v) && v !== 'The Commissioner');
        expect(secrets.length).toBeGreaterThan(20);
        const bodies: [string, string][] = [];
        for (const path of [
          '/funded-projects',
          '/funded-projects?page=2&limit=2',
          SI,
          `${SI}.csv`,
          `${SI}.json`,
          `${SI}/all-years.csv`,
          `${SI}/all-years.json`,
        ]) {
          bodies.push([path, (await request(t.http).get(path).expect(200)).text]);
        }
        for (const r of await publishable()) bodies.push([r.id, (await request(t.http).get(`/funded-projects/${r.id}`).expect(200)).text]);
        const leaks = bodies.flatMap(([path, text]) => secrets.filter((s) => text.includes(s)).map((s) => `${path}: ${s}`));
        expect(leaks).toEqual([]);
      });

      it('is linked from every page’s footer and from the open data page', async () => {
        const home = await request(t.http).get('/').expect(200);
        expect(home.text).toContain('href="/funded-projects"');
        const openData = await request(t.http).get('/open-data').expect(200);
        expect(openData.text).toContain('href="/funded-projects"');
        expect(openData.text).toContain(`href="${SI}"`);
      });
    });
  });
});
