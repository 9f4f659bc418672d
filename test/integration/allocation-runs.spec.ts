import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { bearer } from '../support/rounds';
import { csrfFrom, signIn, tokenFor } from '../support/identity';
import { errorSummary, h1 } from './identity-support';
import { startTestApp, type TestApp } from '../support/test-app';
import { demoPassword } from '../support/database';

/*
 * Issue 11's allocation runs through the API, on the demo's assessed Victims Fund 6: a run from
 * the ranking with a threshold and a policy, every eligible application with an outcome and a
 * reason, pots never exceeded, runs kept side by side; refused while the ranking is not ready.
 */
describe('allocation runs (issue 11)', () => {
  let t: TestApp;
  let token: string;
  let vf6: string;
  let vf7: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app, undefined, demoPassword());
    const [manager] = await t.dataSource.query(`SELECT id, email, full_name AS "fullName" FROM user_account WHERE email = 'fundmanager@example.org'`);
    token = await tokenFor(t, { ...manager, password: demoPassword() });
    [{ id: vf6 }] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 6'`);
    [{ id: vf7 }] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 7'`);
  });
  afterAll(() => t.close());

  const run = (roundId: string, body: object) => request(t.http).post(`/api/v1/rounds/${roundId}/allocation-runs`).set(bearer(token)).send(body);

  it('runs an allocation from the ranking, keeps every run, and never exceeds a pot', async () => {
    const ranking = (await request(t.http).get(`/api/v1/rounds/${vf6}/ranking`).set(bearer(token)).expect(200)).body;
    const first = await run(vf6, { thresholdPercent: '50' });
    expect([first.status, first.body.error]).toEqual([201, undefined]);
    const r = first.body;
    expect(r).toMatchObject({ roundId: vf6, budgetPence: 60_000_00, thresholdPercent: '50.00', unspentRingFences: 'release' });
    // Every ranked application, in rank order, with an outcome and a reason.
    expect(r.awards.map((a: { reference: string }) => a.reference)).toEqual(ranking.rows.map((row: { reference: string }) => row.reference));
    for (const a of r.awards) expect(a.reason).toMatch(/^(Funded|Part-funded|Reserve \d+|Not funded)/);
    const below = ranking.rows.filter((row: { finalScore: string }) => Number(row.finalScore) < 50).map((row: { reference: string }) => row.reference);
    expect(r.awards.filter((a: { outcome: string }) => a.outcome === 'not_funded').map((a: { reference: string }) => a.reference)).toEqual(below);
    // Nothing beyond the budget or a ring-fence; only hate-crime bids draw on the hate-crime ring-fence.
    const total = r.awards.reduce((s: number, a: { amountPence: number }) => s + a.amountPence, 0);
    expect(total).toBe(r.committedPence);
    expect(total).toBeLessThanOrEqual(r.budgetPence);
    const [fence] = r.ringFences;
    expect(fence).toMatchObject({ name: 'Victims of hate crime', amountPence: 20_000_00 });
    const fenced = r.awards.filter((a: { source: string }) => a.source === fence.id);
    expect(fenced.reduce((s: number, a: { amountPence: number }) => s + a.amountPence, 0)).toBe(fence.committedPence);
    const categories = new Map(
      (await t.dataSource.query(`SELECT id, category FROM application WHERE round_id = $1`, [vf6])).map((x: { id: string; category: string }) => [
        x.id,
        x.category,
      ]),
    );
    for (const a of fenced) expect(categories.get(a.applicationId)).toBe('hate_crime');

    // Another run with other settings is a new run; the first is kept as it was.
    const second = await run(vf6, { thresholdPercent: '100', unspentRingFences: 'hold' });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(r.id);
    expect(second.body.committedPence).toBe(0);
    const again = await request(t.http).get(`/api/v1/allocation-runs/${r.id}`).set(bearer(token)).expect(200);
    expect(again.body).toEqual(r);
    const [audit] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'allocation.run_created' AND after->>'runId' = $1`, [r.id]);
    expect(audit.after).toMatchObject({ thresholdHundredths: 5000, unspentRingFences: 'release', committedPence: r.committedPence });
  });

  it('refuses a run while the ranking is not ready, and bad settings, changing nothing', async () => {
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM allocation_run`);
    const notReady = await run(vf7, { thresholdPercent: '60' });
    expect([notReady.status, notReady.body.error]).toEqual([409, 'allocation.ranking_not_ready']);
    const bad = await Promise.all([
      run(vf6, { thresholdPercent: '101' }),
      run(vf6, { thresholdPercent: 60 }),
      run(vf6, { thresholdPercent: '60', unspentRingFences: 'spend' }),
      run(vf6, {}),
      run(vf6, { thresholdPercent: '60', colour: 'blue' }),
    ]);
    expect(bad.map((b) => [b.status, b.body.details?.[0]?.field])).toEqual([
      [400, 'thresholdPercent'],
      [400, 'thresholdPercent'],
      [400, 'unspentRingFences'],
      [400, 'thresholdPercent'],
      [400, 'colour'],
    ]);
    expect((await request(t.http).get('/api/v1/allocation-runs/5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e').set(bearer(token))).status).toBe(404);
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM allocation_run`);
    expect(after).toBe(before);
  });

  it('runs an allocation from the pages, shows its pots, areas and outcomes, and compares two runs', async () => {
    const fm = await signIn(t, { id: '', email: 'fundmanager@example.org', password: demoPassword(), fullName: '' });
    const runsPath = `/staff/rounds/${vf6}/allocation`;
    const page = await fm.get(runsPath).expect(200);
    expect(h1(page.text)).toBe('Allocation');
    const post = async (fields: Record<string, string>) =>
      fm
        .post(`/staff/rounds/${vf6}/allocation-runs`)
        .type('form')
        .send({ _csrf: csrfFrom((await fm.get(runsPath)).text), ...fields });
    const bad = await post({ thresholdPercent: 'sixty', unspentRingFences: 'release' });
    expect([bad.status, errorSummary(bad.text)]).toEqual([400, expect.stringContaining('Enter the threshold as a percentage from 0 to 100')]);
    expect(bad.text).toContain('value="sixty"');
    const first = await post({ thresholdPercent: '50%', unspentRingFences: 'hold' });
    expect(first.status).toBe(303);
    const second = await post({ thresholdPercent: '80', unspentRingFences: 'release' });
    const runPath = second.headers.location;
    const firstId = first.headers.location.split('/').pop()!;
    const run = await fm.get(runPath).expect(200);
    const text = run.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Ring-fence: Victims of hate crime £20,000');
    expect(text).toContain('Quality threshold 80.00%');
    expect(text).toMatch(/Awards by area/);
    expect(text).toMatch(/Not funded: score \d+\.\d\d is below the threshold of 80\.00/);
    const compared = await fm.get(`${runPath}?compare=${firstId}`).expect(200);
    expect(compared.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toMatch(/Changes from the run of .* application/);
    // The runs page lists both, newest first; the API pages them the same way.
    const listed = await request(t.http).get(`/api/v1/rounds/${vf6}/allocation-runs?limit=1`).set(bearer(token)).expect(200);
    expect([listed.body.items[0].id, listed.body.limit]).toEqual([runPath.split('/').pop(), 1]);
    expect(listed.body.total).toBeGreaterThanOrEqual(4);
    // Other staff cannot reach the pages.
    const assessor = await signIn(t, { id: '', email: 'assessor1@example.org', password: demoPassword(), fullName: '' });
    expect((await assessor.get(runsPath)).status).toBe(403);
    expect((await assessor.get(runPath)).status).toBe(403);
  });
});
