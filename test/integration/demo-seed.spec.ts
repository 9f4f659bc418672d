import { seedDemoData } from '../../src/demo/seed';
import { UsersService } from '../../src/modules/identity/users.service';
import { AssessmentService } from '../../src/modules/assessment/assessment.service';
import { formatPercent } from '../../src/modules/assessment/scoring';
import { startTestApp, type TestApp } from '../support/test-app';

describe('demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads both funds, the seven West Midlands areas and the demo users, once', async () => {
    const first = await seedDemoData(t.app);
    // The seven areas come with the migrations; the demo adds none.
    expect(first).toMatchObject({ programmesCreated: 2, usersCreated: 11, roundsCreated: 3, applicationsCreated: 62 });
    expect(await seedDemoData(t.app)).toEqual({ programmesCreated: 0, usersCreated: 0, roundsCreated: 0, applicationsCreated: 0 });
    // The password printed on first start really is the demo users' password.
    const users = t.app.get(UsersService);
    for (const email of ['admin@example.org', 'applicant2@example.org']) {
      await expect(users.authenticate(email, first.generatedPassword!, '127.0.0.9')).resolves.toMatchObject({ email });
    }
    const programmes = await t.dataSource.query(`SELECT code, funding_source FROM fund_programme ORDER BY code`);
    expect(programmes).toEqual([
      { code: 'ACF', funding_source: 'proceeds_of_crime_act' },
      { code: 'VF', funding_source: 'moj_victims_grant' },
    ]);
    const areas = await t.dataSource.query(`SELECT name FROM local_authority_area ORDER BY name`);
    expect(areas.map((a: { name: string }) => a.name)).toEqual(['Birmingham', 'Coventry', 'Dudley', 'Sandwell', 'Solihull', 'Walsall', 'Wolverhampton']);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action IN ('fund_programme.created', 'local_authority_area.created')`,
    );
    expect(n).toBe(2);
  });

  it('creates one demo user per role and two applicants in different organisations, with the right roles and organisation identifiers', async () => {
    const users = await t.dataSource.query(`SELECT email, roles FROM user_account WHERE email NOT LIKE 'group%' ORDER BY email`);
    expect(users.map((u: { email: string }) => u.email)).toEqual([
      'admin@example.org',
      'applicant2@example.org',
      'applicant@example.org',
      'assessor1@example.org',
      'assessor2@example.org',
      'assessor3@example.org',
      'auditor@example.org',
      'commissioner@example.org',
      'finance@example.org',
      'financeapprover@example.org',
      'fundmanager@example.org',
    ]);
    const roles = new Set(users.flatMap((u: { roles: string[] }) => u.roles));
    expect([...roles].sort()).toEqual(['admin', 'assessor', 'auditor', 'commissioner', 'finance_approver', 'finance_officer', 'fund_manager']);
    const orgs = await t.dataSource.query(
      `SELECT u.email, o.name, o.org_id FROM organisation_membership m JOIN user_account u ON u.id = m.user_id JOIN organisation o ON o.id = m.organisation_id WHERE m.role = 'owner' AND u.email LIKE 'applicant%' ORDER BY u.email`,
    );
    expect(orgs).toHaveLength(2);
    expect(orgs[0].name).not.toBe(orgs[1].name);
    expect(orgs.find((o: { email: string }) => o.email === 'applicant2@example.org').org_id).toBe('GB-CHC-1190001');
  });

  it('opens Victims Fund 7 as in the report: £200,000, £50,000 ring-fenced for hate crime, 48 applications in a mix of states', async () => {
    const [vf7] = await t.dataSource.query(`SELECT id, total_budget_pence, state, opens_at, closes_at FROM funding_round WHERE name = 'Victims Fund 7'`);
    expect(vf7).toMatchObject({ total_budget_pence: '20000000', state: 'published' });
    expect(vf7.opens_at.getTime()).toBeLessThan(Date.now());
    expect(vf7.closes_at.getTime()).toBeGreaterThan(Date.now());
    const fences = await t.dataSource.query(`SELECT name, amount_pence, category FROM ring_fence WHERE round_id = $1`, [vf7.id]);
    expect(fences).toEqual([{ name: 'Victims of hate crime', amount_pence: '5000000', category: 'hate_crime' }]);
    const states = await t.dataSource.query(`SELECT status, count(*)::int AS n FROM application WHERE round_id = $1 GROUP BY status ORDER BY status`, [vf7.id]);
    expect(states).toEqual([
      { status: 'draft', n: 11 },
      { status: 'submitted', n: 34 },
      { status: 'withdrawn', n: 3 },
    ]);
    const refs = await t.dataSource.query(`SELECT reference FROM application WHERE round_id = $1 AND reference IS NOT NULL ORDER BY reference_seq`, [vf7.id]);
    expect(refs.map((r: { reference: string }) => r.reference)).toEqual(Array.from({ length: 37 }, (_, i) => `VF7-${String(i + 1).padStart(4, '0')}`));
  });

  it('has a closed Victims Fund 6 whose scoring is complete: two assessors each, a conflict reassigned, a divergent pair moderated', async () => {
    const [vf6] = await t.dataSource.query(`SELECT id, closes_at FROM funding_round WHERE name = 'Victims Fund 6'`);
    expect(vf6.closes_at.getTime()).toBeLessThan(Date.now());
    const ranking = await t.app.get(AssessmentService).ranking(vf6.id);
    expect([ranking.ready, ranking.rows.length, ranking.outstanding]).toEqual([true, 8, []]);
    const counts = await t.dataSource.query(`SELECT status, count(*)::int AS n FROM assessment WHERE round_id = $1 GROUP BY status ORDER BY status`, [vf6.id]);
    expect(counts).toEqual([
      { status: 'conflicted', n: 1 },
      { status: 'submitted', n: 16 },
    ]);
    const moderated = ranking.rows.filter(({ row }) => row.moderated !== null);
    expect(moderated.map(({ row }) => [row.divergent, formatPercent(row.final)])).toEqual([[true, '62.50']]);
    // Nothing divergent is left unmoderated, and every application has two submitted assessments.
    expect(ranking.rows.filter(({ row }) => row.divergent && row.moderated === null)).toEqual([]);
    expect(ranking.rows.every(({ row }) => row.submittedAssessments === 2)).toBe(true);
    const declarations = await t.app.get(AssessmentService).declarations(vf6.id);
    expect(declarations.filter((d) => d.conflict).map((d) => d.reason)).toEqual(['My sister is a trustee of this charity']);
  });

  it('has a register of decisions like the annual report’s: published ones, one confidential, one withdrawn', async () => {
    const register = await t.dataSource.query(`SELECT title, status, confidential, confidential_subject FROM pcc_decision ORDER BY seq`);
    expect(register.map((d: { title: string; status: string }) => `${d.status}: ${d.title}`)).toEqual([
      'published: Fees and Charges',
      'published: Victims Services',
      'published: Lease of property',
      'published: Active Citizens Budget',
      'withdrawn: Disposal of items from the museum',
      'submitted: Victims Services: Victims Fund 6 awards',
    ]);
    expect(register[2]).toMatchObject({ confidential: true, confidential_subject: 'the lease of property' });
  });

  it('delegates the Active Citizens awards under the budget decision, across the areas, and has Victims Fund 6 with the Commissioner', async () => {
    const grants = await t.dataSource.query(
      `SELECT g.status, g.ring_fence, o.area_ons_code FROM "grant" g JOIN pcc_decision d ON d.id = g.decision_id
         JOIN application a ON a.id = g.application_id JOIN organisation o ON o.id = a.organisation_id
        WHERE d.title = 'Active Citizens Budget' ORDER BY g.offered_at`,
    );
    expect(grants).toHaveLength(4);
    expect(new Set(grants.map((g: { area_ons_code: string }) => g.area_ons_code)).size).toBe(4);
    expect(grants.map((g: { status: string }) => g.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    for (const g of grants) expect(g.ring_fence).toMatch(/ share$/);
    const [vf6] = await t.dataSource.query(
      `SELECT d.status, d.financial_implications FROM pcc_decision d JOIN funding_round r ON r.id = d.round_id WHERE r.name = 'Victims Fund 6'`,
    );
    expect(vf6.status).toBe('submitted');
    expect(vf6.financial_implications.totalPence).toBeGreaterThan(0);
    expect(vf6.financial_implications.totalPence).toBeLessThanOrEqual(60_000_00);
  });

  it('has the Active Citizens grants at each stage of payment: held by a bank change, paid, part-paid, and paid with money paid back', async () => {
    const rows: { name: string; seq: number; status: string; amount: string; paid: string | null }[] = await t.dataSource.query(
      `SELECT o.name, i.seq, i.status, i.amount_pence AS amount, p.status AS paid FROM instalment i
         JOIN organisation o ON o.id = i.organisation_id LEFT JOIN payment p ON p.instalment_id = i.id AND p.status = 'paid'
        ORDER BY o.name, i.seq`,
    );
    const stage = (name: string) => rows.filter((r) => r.name === name).map((r) => `${r.seq}:${r.status}`);
    expect(stage('Bromford Lane Street Pastors')).toEqual(['1:on_hold']);
    expect(stage('Tipton Community Clean-up')).toEqual(['1:paid']);
    expect(stage('Coventry Community Food Bus')).toEqual(['1:paid', '2:scheduled']);
    expect(stage('Bilston Community Café')).toEqual(['1:paid']);
    const runs = await t.dataSource.query(
      `SELECT number, payment_count, exported_at < now() - interval '6 months' AS in_spring FROM payment_run ORDER BY number`,
    );
    expect(runs).toEqual([
      { number: 1, payment_count: 1, in_spring: true },
      { number: 2, payment_count: 2, in_spring: false },
    ]);
    // Coventry was accepted in the spring: its six-month report is overdue, its final one still to come.
    const reports: { months: number; overdue: boolean; status: string }[] = await t.dataSource.query(
      `SELECT r.months, r.due_on < current_date AS overdue, r.status FROM monitoring_report r JOIN instalment i ON i.grant_id = r.grant_id AND i.seq = 1
         JOIN organisation o ON o.id = i.organisation_id WHERE o.name = 'Coventry Community Food Bus' ORDER BY r.months`,
    );
    const [variation] = await t.dataSource.query(
      `SELECT v.number, v.status, v.new_ends_on IS NOT NULL AS longer FROM grant_variation v JOIN instalment i ON i.grant_id = v.grant_id AND i.seq = 1
         JOIN organisation o ON o.id = i.organisation_id WHERE o.name = 'Coventry Community Food Bus'`,
    );
    expect(variation).toEqual({ number: 1, status: 'proposed', longer: true });
    expect(reports).toEqual([
      { months: 6, overdue: true, status: 'due' },
      { months: 12, overdue: false, status: 'due' },
    ]);
    const [repayment] = await t.dataSource.query(`SELECT status, amount_pence FROM repayment`);
    expect(repayment).toEqual({ status: 'received', amount_pence: '40000' });
    // Bromford's new details wait for finance; the others are verified. None is readable without the key.
    const details: { name: string; verified: boolean; sort: string }[] = await t.dataSource.query(
      `SELECT o.name, b.verified_by IS NOT NULL AS verified, b.sort_code_encrypted AS sort FROM bank_details b JOIN organisation o ON o.id = b.organisation_id WHERE b.superseded_at IS NULL ORDER BY o.name`,
    );
    expect(details.map((d) => `${d.name}: ${d.verified ? 'verified' : 'waiting'}`)).toEqual([
      'Bilston Community Café: verified',
      'Bromford Lane Street Pastors: waiting',
      'Coventry Community Food Bus: verified',
      'Tipton Community Clean-up: verified',
    ]);
    for (const d of details) expect(d.sort).toMatch(/^v1\./);
  });

  it('says what the Active Citizens Fund cannot pay for', async () => {
    const [acf] = await t.dataSource.query(`SELECT exclusions FROM fund_programme WHERE code = 'ACF'`);
    expect(acf.exclusions.join(' ')).toMatch(/police officers/);
  });
});
