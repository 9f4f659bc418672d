import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { CSV_EXTENSION_TITLES, PublishingService } from '../../src/modules/publishing';
import { demoPassword } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';
import { packageValidator, standardTitles } from '../support/three-sixty-giving';
import { parseCsv } from '../support/csv';

/*
 * Issue 13: the 360Giving data package. The export of the demo data validates against the vendored
 * official schema (1.4.3, JSON Schema 2020-12 via Ajv) with no errors; it holds exactly the grants
 * accepted under a published, non-confidential decision, with amounts in pounds, what has been
 * paid, registered identifiers or 360G- ones; no personal data; the CSV has the standard's titles.
 */
interface Grant360 {
  id: string;
  amountAwarded: number;
  amountAppliedFor?: number;
  amountDisbursed: number;
  recipientOrganization: { id: string; name: string; postalCode?: string; charityNumber?: string; companyNumber?: string }[];
  beneficiaryLocation: { name: string; geoCode: string; geoCodeType: string }[];
  fundingOrganization: { id: string; name: string }[];
  classifications?: { code: string; title: string }[];
  pccDecision: { number: string; url: string };
  dateModified: string;
}

const PREFIX = '360G-wmpcc';
const FUNDER = 'GB-GOR-TEST001';

describe('360Giving open data (issue 13)', () => {
  let t: TestApp;
  const validate = packageValidator();
  const getJson = async () => {
    const res = await request(t.http).get('/open-data/360giving.json').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    return res.body as { grants: Grant360[]; publisher: { identifier: string } };
  };
  /** The package's grant ids, or none when nothing is published (no package then: a 404). */
  const packageIds = async (): Promise<string[]> => {
    const res = await request(t.http).get('/open-data/360giving.json');
    if (res.status === 404) return [];
    expect(res.status).toBe(200);
    return (res.body as { grants: Grant360[] }).grants.map((g) => g.id).sort();
  };
  const publishedIds = async (): Promise<string[]> =>
    (
      await t.dataSource.query<{ reference: string }[]>(
        `SELECT a.reference FROM "grant" g JOIN application a ON a.id = g.application_id JOIN pcc_decision d ON d.id = g.decision_id
          WHERE g.status = 'accepted' AND d.status = 'published' AND NOT d.confidential ORDER BY 1`,
      )
    ).map((r) => `${PREFIX}-${r.reference}`);

  beforeAll(async () => {
    t = await startTestApp({ env: { OPEN_DATA_ID_PREFIX: PREFIX, FUNDING_ORGANISATION_ID: FUNDER } });
  });
  afterAll(() => t.close());

  it('before anything is published: no package (the schema needs a grant) but a clear 404 in JSON, a CSV of just the titles, and the page says so', async () => {
    // The package schema asks for at least one grant, so an empty package would be an invalid file.
    const publishing = t.app.get(PublishingService);
    expect(validate({ ...publishing.header(await publishing.context()), grants: [] })).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(['/grants minItems']);
    for (const accept of ['application/json', 'text/html', '*/*']) {
      const res = await request(t.http).get('/open-data/360giving.json').set('Accept', accept).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ error: 'publishing.nothing_published', message: expect.stringMatching(/^No grants have been published yet/) });
    }
    const csv = await request(t.http).get('/open-data/360giving.csv').expect(200);
    expect(parseCsv(csv.text)).toHaveLength(1);
    const page = await request(t.http).get('/open-data').expect(200);
    expect(page.text).toContain('No grants have been published yet');
    expect(page.text).not.toContain('href="/open-data/360giving.json"');
  });

  describe('on the demo data', () => {
    beforeAll(async () => {
      await seedDemoData(t.app, undefined, demoPassword());
    });

    it('validates against the official 360Giving 1.4.3 package schema with zero errors', async () => {
      const body = await getJson();
      expect(body.grants.length).toBeGreaterThan(0);
      const ok = validate(body);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(body.publisher.identifier).toBe(FUNDER);
    });

    it('holds exactly the grants accepted under a published, non-confidential decision', async () => {
      const { grants } = await getJson();
      expect(grants.map((g) => g.id).sort()).toEqual(await publishedIds());
      // Victims Fund 6's awards wait for the Commissioner's decision.
      expect(grants.some((g) => g.id.includes('VF6-'))).toBe(false);
      // An offer not (yet) accepted made no grant.
      const [accepted] = await t.dataSource.query<{ id: string; responded_at: Date; responded_by: string; accepted_name: string }[]>(
        `SELECT id, responded_at, responded_by, accepted_name FROM "grant" WHERE status = 'accepted' ORDER BY id LIMIT 1`,
      );
      await t.dataSource.query(`UPDATE "grant" SET status = 'offered', responded_at = NULL WHERE id = $1`, [accepted.id]);
      try {
        expect((await getJson()).grants).toHaveLength(grants.length - 1);
      } finally {
        await t.dataSource.query(`UPDATE "grant" SET status = 'accepted', responded_at = $2 WHERE id = $1`, [accepted.id, accepted.responded_at]);
      }
    });

    it('gives amounts in pounds, what has been paid, the decision, the areas and the category', async () => {
      const { grants } = await getJson();
      const rows = await t.dataSource.query<
        { reference: string; amount_pence: string; requested: string; paid: string; year: number; seq: number; category: string | null }[]
      >(
        `SELECT a.reference, g.amount_pence, a.amount_requested_pence AS requested, a.category, d.year, d.seq,
                coalesce((SELECT sum(p.amount_pence) FROM payment p WHERE p.grant_id = g.id AND p.status = 'paid'), 0) AS paid
           FROM "grant" g JOIN application a ON a.id = g.application_id JOIN pcc_decision d ON d.id = g.decision_id`,
      );
      const byId = new Map(rows.map((r) => [`${PREFIX}-${r.reference}`, r]));
      let somethingPaid = false;
      for (const g of grants) {
        const r = byId.get(g.id)!;
        expect(g.amountAwarded).toBe(Number(r.amount_pence) / 100);
        expect(g.amountAppliedFor).toBe(Number(r.requested) / 100);
        expect(g.amountDisbursed).toBe(Number(r.paid) / 100);
        if (Number(r.paid) > 0) somethingPaid = true;
        expect(g.pccDecision.number).toBe(`${String(r.seq).padStart(3, '0')}-${r.year}`);
        expect(g.pccDecision.url).toMatch(new RegExp(`/decisions/${g.pccDecision.number}$`));
        expect(g.fundingOrganization).toEqual([{ id: FUNDER, name: 'West Midlands Police and Crime Commissioner' }]);
        expect(g.beneficiaryLocation.length).toBeGreaterThan(0);
        for (const l of g.beneficiaryLocation) expect(l).toMatchObject({ geoCode: expect.stringMatching(/^E08\d{6}$/), geoCodeType: 'MD' });
        if (r.category) expect(g.classifications?.[0]?.code).toBe(r.category);
        expect(Number.isNaN(Date.parse(g.dateModified))).toBe(false);
      }
      expect(somethingPaid).toBe(true);
      // The decision's page really is on the public register.
      await request(t.http).get(new URL(grants[0].pccDecision.url).pathname).expect(200);
    });

    it('identifies recipients by their register, or by a 360G- identifier with no postcode when they have no number', async () => {
      // Make one published grant's organisation a group with no registered number, as a
      // constituted community group would be.
      const [target] = await t.dataSource.query<{ id: string; reference: string }[]>(
        `SELECT o.id, a.reference FROM "grant" g JOIN application a ON a.id = g.application_id JOIN organisation o ON o.id = a.organisation_id
          JOIN pcc_decision d ON d.id = g.decision_id WHERE g.status = 'accepted' AND d.status = 'published' ORDER BY a.reference LIMIT 1`,
      );
      const before = await t.dataSource.query<Record<string, unknown>[]>(`SELECT * FROM organisation WHERE id = $1`, [target.id]);
      await t.dataSource.query(
        `UPDATE organisation SET type = 'unincorporated_group', charity_number = NULL, company_number = NULL, org_id = '360G-pccgrants-' || id WHERE id = $1`,
        [target.id],
      );
      try {
        const { grants } = await getJson();
        for (const g of grants) {
          const [org] = g.recipientOrganization;
          if (g.id === `${PREFIX}-${target.reference}`) {
            expect(org.id).toBe(`360G-pccgrants-${target.id}`);
            expect(org).not.toHaveProperty('postalCode');
            expect(org).not.toHaveProperty('charityNumber');
          } else {
            expect(org.id).toMatch(/^(GB-(CHC|COH|SC|NIC)-|360G-)/);
            if (/^GB-/.test(org.id)) expect(org.postalCode).toMatch(/^[A-Z]{1,2}\d/);
          }
        }
        expect(validate({ ...(await getJson()) })).toBe(true);
      } finally {
        const o = before[0];
        await t.dataSource.query(`UPDATE organisation SET type = $2, charity_number = $3, company_number = $4, org_id = $5 WHERE id = $1`, [
          target.id,
          o.type,
          o.charity_number,
          o.company_number,
          o.org_id,
        ]);
      }
    });

    it('leaves out grants whose decision is no longer published, or is confidential', async () => {
      const { grants } = await getJson();
      const [decision] = await t.dataSource.query<{ id: string }[]>(`SELECT DISTINCT g.decision_id AS id FROM "grant" g WHERE g.status = 'accepted' LIMIT 1`);
      await t.dataSource.query(`UPDATE pcc_decision SET confidential = true, confidential_subject = 'a test' WHERE id = $1`, [decision.id]);
      try {
        const after = await packageIds();
        expect(after.length).toBeLessThan(grants.length);
        expect(after).toEqual(await publishedIds());
      } finally {
        await t.dataSource.query(`UPDATE pcc_decision SET confidential = false, confidential_subject = NULL WHERE id = $1`, [decision.id]);
      }
      await t.dataSource.query(`UPDATE pcc_decision SET status = 'approved', published_at = NULL WHERE id = $1`, [decision.id]);
      try {
        const after = await packageIds();
        expect(after).toEqual(await publishedIds());
        expect(after.length).toBeLessThan(grants.length);
      } finally {
        await t.dataSource.query(`UPDATE pcc_decision SET status = 'published', published_at = decided_at WHERE id = $1`, [decision.id]);
      }
    });

    it('holds no personal data: contacts, people’s names and emails, addresses, bank details', async () => {
      const json = (await request(t.http).get('/open-data/360giving.json').expect(200)).text;
      const csv = (await request(t.http).get('/open-data/360giving.csv').expect(200)).text;
      const people = await t.dataSource.query<{ v: string }[]>(
        `SELECT contact_name AS v FROM organisation UNION SELECT contact_email FROM organisation UNION SELECT contact_phone FROM organisation
         UNION SELECT address_line1 FROM organisation UNION SELECT full_name FROM user_account UNION SELECT email FROM user_account
         UNION SELECT account_name FROM bank_details UNION SELECT verified_with FROM bank_details UNION SELECT accepted_name FROM "grant"`,
      );
      // A bank account in the organisation's own name is the organisation's name, which is published.
      const orgNames = new Set((await t.dataSource.query<{ name: string }[]>(`SELECT name FROM organisation`)).map((o) => o.name));
      const secrets = [
        ...people.map((p) => p.v).filter((v): v is string => !!v && v.length > 3 && !orgNames.has(v)),
        '40-47-84',
        '404784',
        '70872490',
        '309411',
        '40011234',
      ];
      expect(secrets.length).toBeGreaterThan(20);
      for (const s of secrets) {
        expect({ s, inJson: json.includes(s) }).toEqual({ s, inJson: false });
        expect({ s, inCsv: csv.includes(s) }).toEqual({ s, inCsv: false });
      }
    });

    it('gives the same grants as a flat CSV under the standard’s column titles', async () => {
      const res = await request(t.http).get('/open-data/360giving.csv').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="360giving.csv"');
      const [headers, ...rows] = parseCsv(res.text);
      const titles = standardTitles();
      const extension = headers.filter((h) => !titles.has(h));
      expect(extension).toEqual([...CSV_EXTENSION_TITLES]);
      expect(headers).toEqual(expect.arrayContaining(['Identifier', 'Title', 'Description', 'Currency', 'Amount Awarded', 'Award Date']));
      expect(headers).toEqual(expect.arrayContaining(['Recipient Org:Identifier', 'Recipient Org:Name', 'Funding Org:Identifier', 'Funding Org:Name']));
      expect(headers).toEqual(expect.arrayContaining(['Beneficiary Location:Geographic Code', 'Planned Dates:Start Date', 'Grant Programme:Title']));
      const { grants } = await getJson();
      expect(rows.map((r) => r[0]).sort()).toEqual(grants.map((g) => g.id).sort());
      const col = (row: string[], title: string) => row[headers.indexOf(title)];
      for (const row of rows) {
        const g = grants.find((x) => x.id === row[0])!;
        expect(Number(col(row, 'Amount Awarded'))).toBe(g.amountAwarded);
        expect(col(row, 'Recipient Org:Identifier')).toBe(g.recipientOrganization[0].id);
        expect(col(row, 'PCC Decision:Number')).toBe(g.pccDecision.number);
      }
    });

    it('has a page about the files and their licence, linked from every page', async () => {
      const home = await request(t.http).get('/').expect(200);
      expect(home.text).toContain('href="/open-data"');
      const page = await request(t.http).get('/open-data').expect(200);
      expect(page.text).toContain('href="/open-data/360giving.json"');
      expect(page.text).toContain('href="/open-data/360giving.csv"');
      expect(page.text).toContain('Open Government Licence');
      expect(page.text).toContain('pccDecision');
    });
  });
});
