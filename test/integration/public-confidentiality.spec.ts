import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { DecisionsService } from '../../src/modules/decisions/decisions.service';
import { UserAccount } from '../../src/modules/identity/entities/user-account.entity';
import { toPrincipal } from '../../src/modules/identity/users.service';
import { demoPassword } from '../support/database';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 11: no confidential content in any public page or response. On the demo data, with
 * Victims Fund 6's decision completed with a confidential annex and published, a wholly
 * confidential decision published, and a confidential one on the forward plan: every page an
 * anonymous visitor can reach by following links from the start page, every public JSON
 * response about decisions, the open-data files and the Specified Information list's files
 * (issue 13), is read for each confidential text.
 */
const ANNEX = 'The refuge’s address is 14 Hidden Lane';
const EXEMPTION = 'Section 38 (health and safety)';
const PUBLIC_INTEREST = 'Publishing the address would endanger residents';
const CONFIDENTIAL_SUMMARY = 'Two unmarked vans bought from the sole supplier for £84,000';
const FORWARD_SECRET = 'Covert surveillance equipment';

describe('no confidential content in public (issue 11)', () => {
  let t: TestApp;
  const secrets: string[] = [ANNEX, EXEMPTION, PUBLIC_INTEREST, CONFIDENTIAL_SUMMARY, FORWARD_SECRET, 'Legal advice on the grant agreement'];

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app, undefined, demoPassword());
    const accounts = t.dataSource.getRepository(UserAccount);
    const manager = toPrincipal(await accounts.findOneByOrFail({ email: 'fundmanager@example.org' }), 'session');
    const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
    const decisions = t.app.get(DecisionsService);
    // Victims Fund 6's decision: withdrawn and redrafted with an annex, then approved and published.
    const [vf6] = await t.dataSource.query(`SELECT d.* FROM pcc_decision d WHERE d.status = 'submitted' AND d.round_id IS NOT NULL`);
    const declarations = (vf6.declarations as { assessorName: string; reason: string | null }[]) ?? [];
    for (const d of declarations) {
      secrets.push(d.assessorName);
      if (d.reason) secrets.push(d.reason);
    }
    await t.dataSource.query(`UPDATE pcc_decision SET status = 'draft', submitted_at = NULL WHERE id = $1`, [vf6.id]);
    await decisions.update(manager, vf6.id, {
      title: vf6.title,
      summary: vf6.summary,
      backgroundPapers: vf6.background_papers,
      confidentialAnnex: ANNEX,
      annexExemption: EXEMPTION,
      annexPublicInterest: PUBLIC_INTEREST,
    });
    await decisions.submit(manager, vf6.id);
    await decisions.approve(commissioner, vf6.id);
    await decisions.publish(commissioner, vf6.id);
    const vans = await decisions.draft(manager, {
      title: 'Vehicles',
      summary: CONFIDENTIAL_SUMMARY,
      confidential: true,
      confidentialSubject: 'the purchase of vehicles',
      background: CONFIDENTIAL_SUMMARY,
    });
    await decisions.submit(manager, vans.id);
    await decisions.approve(commissioner, vans.id);
    await decisions.publish(commissioner, vans.id);
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 2, 1)).toISOString().slice(0, 7);
    await decisions.draft(manager, { title: FORWARD_SECRET, summary: 'x', confidential: true, confidentialSubject: 'equipment', expectedMonth: nextMonth });
  });
  afterAll(() => t.close());

  it('finds none on any page a visitor reaches from the start page, or in the public decisions API', async () => {
    const seen = new Set<string>();
    const queue = ['/', '/decisions', '/decisions/forward-plan'];
    const bodies: { path: string; text: string }[] = [];
    while (queue.length && seen.size < 400) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await request(t.http).get(path);
      if (res.status !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
      bodies.push({ path, text: res.text });
      for (const m of res.text.matchAll(/href="(\/[^"#]*)"/g)) {
        const next = m[1].replace(/&amp;/g, '&');
        if (/^\/(api\/docs|govuk|assets|static|sign-out)|\.(css|js|png|ico|svg|woff2?)$/.test(next)) continue;
        if (!seen.has(next)) queue.push(next);
      }
    }
    expect(seen.has('/decisions')).toBe(true);
    expect([...seen].some((p) => /^\/decisions\/\d{3}-\d{4}$/.test(p))).toBe(true);
    // The open-data files (issue 13), reached from the /open-data page in the footer.
    expect(seen.has('/open-data')).toBe(true);
    // The funded projects (footer) with a page per grant, and the Specified Information list (from /open-data).
    expect(seen.has('/funded-projects')).toBe(true);
    expect([...seen].some((p) => /^\/funded-projects\/[0-9a-f-]{36}/.test(p))).toBe(true);
    expect(seen.has('/transparency/crime-and-disorder-grants')).toBe(true);
    const json = [
      '/api/v1/decisions?limit=200',
      '/api/v1/forward-plan?limit=200',
      '/open-data/360giving.json',
      '/open-data/360giving.csv',
      '/transparency/crime-and-disorder-grants.json',
      '/transparency/crime-and-disorder-grants.csv',
      '/transparency/crime-and-disorder-grants/all-years.json',
      '/transparency/crime-and-disorder-grants/all-years.csv',
    ];
    // The all-years files are linked from the Specified Information page.
    expect(seen.has('/transparency/crime-and-disorder-grants/all-years.csv')).toBe(true);
    // Every year of the Specified Information list and its files, not just the latest.
    const years = new Set(
      [
        ...bodies
          .map((b) => b.text)
          .join('')
          .matchAll(/<option value="(\d{4})"/g),
      ].map((m) => m[1]),
    );
    for (const year of years) for (const ext of ['', '.json', '.csv']) json.push(`/transparency/crime-and-disorder-grants${ext}?year=${year}`);
    const register = (await request(t.http).get('/api/v1/decisions?limit=200').expect(200)).body.items as { number: string }[];
    for (const d of register) json.push(`/api/v1/decisions/${d.number}`);
    for (const path of json) bodies.push({ path, text: (await request(t.http).get(path).expect(200)).text });

    const leaks = bodies.flatMap(({ path, text }) => secrets.filter((s) => text.includes(s)).map((s) => `${path}: ${s}`));
    expect(leaks).toEqual([]);
    // The published decision shows what is public: its grants, and that an annex is withheld.
    const vf6 = bodies.find((b) => b.text.includes('Victims Fund 6 awards') && b.path.startsWith('/decisions/'))!;
    expect(vf6.text).toContain('Grants awarded');
    expect(vf6.text).toContain('Part of this decision is in a confidential annex, which is not published.');
    expect(bodies.find((b) => b.path === '/decisions')!.text).toContain('is a confidential decision and relates to the purchase of vehicles');
  });
});
