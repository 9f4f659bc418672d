import request from 'supertest';
import { AllocationService } from '../../src/modules/allocation';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import { Clock } from '../../src/platform/clock';
import { seedRoundApplications } from '../support/application-lists';
import { bearer, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 11's budget integrity, against PostgreSQL: 50 commitments at once, each valid on its own
 * but together more than a ring-fence, the general pot or the round holds, leave every figure
 * within its amount, with one audit row per commitment that was made and nothing of the others;
 * the budget is summed from the commitments; a ring-fence never pays for a bid that does not
 * qualify, and an application is never committed to twice.
 */
describe('budget commitments (issue 11)', () => {
  let t: TestApp;
  let service: AllocationService;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let principal: ReturnType<typeof toPrincipal>;
  let roundId: string;
  let hate: string[];
  let other: string[];

  beforeAll(async () => {
    t = await startTestApp();
    service = t.app.get(AllocationService);
    const programmeId = (await seedFunds(t)).VF;
    manager = await staffMember(t, 'fund_manager');
    principal = toPrincipal((await t.app.get(UsersService).findById(manager.id))!, 'token');
    // £30,000 in all: £10,000 for hate crime, so a £20,000 general pot.
    const round = await createPublishedRound(
      t,
      manager,
      roundBody(programmeId, {
        totalBudgetPence: 30_000_00,
        maxGrantPence: 10_000_00,
        ringFences: [{ name: 'Hate crime', amountPence: 10_000_00, category: 'hate_crime' }],
      }),
    );
    roundId = round.id;
    await seedRoundApplications(t.dataSource, {
      roundId,
      prefix: round.referencePrefix,
      n: 200,
      createdBy: manager.id,
      categories: ['hate_crime', 'domestic_abuse'],
      tag: round.referencePrefix,
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [roundId]);
    const apps: { id: string; category: string }[] = await t.dataSource.query(
      `SELECT id, category FROM application WHERE round_id = $1 AND status = 'eligible' ORDER BY reference`,
      [roundId],
    );
    hate = apps.filter((a) => a.category === 'hate_crime').map((a) => a.id);
    other = apps.filter((a) => a.category !== 'hate_crime').map((a) => a.id);
    t.app.get(Clock).set(new Date('2027-01-20T10:00:00Z'));
  });
  afterAll(async () => {
    t.app.get(Clock).set(null);
    await t.close();
  });

  const figures = async () => (await request(t.http).get(`/api/v1/rounds/${roundId}/budget`).set(bearer(manager.token)).expect(200)).body;
  const audits = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'allocation.committed'`))[0].n as number;

  it('keeps 50 concurrent commitments within the ring-fence, the general pot and the round, with nothing half-applied', async () => {
    // 50 at once against the £10,000 ring-fence, £1,000 each: exactly ten fit.
    const fenced = await Promise.allSettled(
      hate.slice(0, 50).map((id) => service.commit(principal, { roundId, applicationId: id, amountPence: 1_000_00, ringFenceCategory: 'hate_crime' })),
    );
    expect(fenced.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refusals = fenced.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code: string }).code);
    expect(new Set(refusals)).toEqual(new Set(['allocation.over_budget']));
    // 50 at once against the £20,000 general pot, £1,500 each: thirteen fit (£19,500).
    const general = await Promise.allSettled(
      other.slice(0, 50).map((id) => service.commit(principal, { roundId, applicationId: id, amountPence: 1_500_00, ringFenceCategory: null })),
    );
    expect(general.filter((r) => r.status === 'fulfilled')).toHaveLength(13);
    const b = await figures();
    expect(b).toMatchObject({ budgetPence: 30_000_00, committedPence: 29_500_00, availablePence: 500_00 });
    expect(b.ringFences).toEqual([expect.objectContaining({ name: 'Hate crime', amountPence: 10_000_00, committedPence: 10_000_00, availablePence: 0 })]);
    // One audit row per commitment made, and a row in the table for each: nothing of the refused ones.
    expect(await audits()).toBe(23);
    const [{ n, total }] = await t.dataSource.query(
      `SELECT count(*)::int AS n, sum(amount_pence)::bigint AS total FROM budget_commitment WHERE round_id = $1`,
      [roundId],
    );
    expect([n, Number(total)]).toEqual([23, 29_500_00]);

    // Released money is available again; the row stays as the record.
    const [{ id: first }] = await t.dataSource.query(`SELECT id FROM budget_commitment WHERE round_id = $1 AND ring_fence_category = 'hate_crime' LIMIT 1`, [
      roundId,
    ]);
    await service.release(principal, first);
    expect((await figures()).ringFences[0]).toMatchObject({ committedPence: 9_000_00, availablePence: 1_000_00 });
    expect((await t.dataSource.query(`SELECT released_at FROM budget_commitment WHERE id = $1`, [first]))[0].released_at).not.toBeNull();
  });

  it('refuses ring-fenced money for a bid that does not qualify, a second commitment to one application, and an ineligible one', async () => {
    const before = await audits();
    const refuse = async (input: Parameters<AllocationService['commit']>[1]) =>
      service.commit(principal, input).then(
        () => 'committed',
        (e: { code: string }) => e.code,
      );
    expect(await refuse({ roundId, applicationId: other[60], amountPence: 100, ringFenceCategory: 'hate_crime' })).toBe('allocation.not_qualifying');
    const twice = await Promise.all(
      [0, 1, 2].map(() => refuse({ roundId, applicationId: other[61], amountPence: 100, ringFenceCategory: null, useReleased: true })),
    );
    expect(twice.sort()).toEqual(['allocation.already_committed', 'allocation.already_committed', 'committed']);
    const [{ id: draft }] = await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 AND status = 'draft' LIMIT 1`, [roundId]);
    expect(await refuse({ roundId, applicationId: draft, amountPence: 100, ringFenceCategory: null })).toBe('allocation.not_eligible');
    expect(await audits()).toBe(before + 1);
  });
});
