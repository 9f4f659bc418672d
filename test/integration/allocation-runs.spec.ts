import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { bearer } from '../support/rounds';
import { tokenFor } from '../support/identity';
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
    expect(r).toMatchObject({ roundId: vf6, budgetPence: 150_000_00, thresholdPercent: '50.00', unspentRingFences: 'release' });
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
    expect(fence).toMatchObject({ name: 'Victims of hate crime', amountPence: 40_000_00 });
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
});
