import request from 'supertest';
import { AllocationService } from '../../src/modules/allocation';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import { seedRoundApplications } from '../support/application-lists';
import { BIRMINGHAM, COVENTRY, DUDLEY, bearer, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { signIn } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 11's ring-fences by area, as the Active Citizens Fund splits its pot across the local
 * authority areas: a round takes a ring-fence for an area (never a category and an area at once,
 * only a known and eligible area, each area once); an allocation funds from an area's ring-fence
 * only applications from organisations in that area; commitments to it are checked the same way;
 * the budget reports it; the round's page says what qualifies.
 */
describe('ring-fences by area (issue 11)', () => {
  let t: TestApp;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let programmeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    programmeId = (await seedFunds(t)).ACF;
    manager = await staffMember(t, 'fund_manager');
  });
  afterAll(() => t.close());

  const body = (ringFences: object[]) => roundBody(programmeId, { totalBudgetPence: 20_000_00, maxGrantPence: 10_000_00, ringFences });

  it('refuses a ring-fence with both or neither qualifier, an unknown area, or an area twice', async () => {
    const post = (ringFences: object[]) => request(t.http).post('/api/v1/rounds').set(bearer(manager.token)).send(body(ringFences));
    const answers = await Promise.all([
      post([{ name: 'Both', amountPence: 1_000_00, category: 'hate_crime', areaOnsCode: COVENTRY }]),
      post([{ name: 'Neither', amountPence: 1_000_00 }]),
      post([{ name: 'Nowhere', amountPence: 1_000_00, areaOnsCode: 'E08999999' }]),
      post([
        { name: 'Coventry', amountPence: 1_000_00, areaOnsCode: COVENTRY },
        { name: 'Coventry again', amountPence: 1_000_00, areaOnsCode: COVENTRY },
      ]),
      post([{ name: 'Lower case', amountPence: 1_000_00, areaOnsCode: 'e08000026' }]),
    ]);
    expect(answers.map((a) => [a.status, a.body.details?.map((d: { field: string }) => d.field)])).toEqual([
      [400, ['ringFences.0']],
      [400, ['ringFences.0']],
      [400, ['ringFences.0.areaOnsCode']],
      [400, ['ringFences.1.areaOnsCode']],
      [400, ['ringFences.0.areaOnsCode']],
    ]);
    const outside = await request(t.http)
      .post('/api/v1/rounds')
      .set(bearer(manager.token))
      .send({ ...body([{ name: 'Dudley', amountPence: 1_000_00, areaOnsCode: DUDLEY }]), eligibleAreas: [COVENTRY] });
    expect([outside.status, outside.body.details?.[0]]).toEqual([400, expect.objectContaining({ field: 'ringFences.0.areaOnsCode', rule: 'eligible' })]);
  });

  it('funds an area’s ring-fence only from that area, commits to it only for that area, and reports it', async () => {
    const round = await createPublishedRound(
      t,
      manager,
      body([
        { name: 'Coventry share', amountPence: 3_000_00, areaOnsCode: COVENTRY },
        { name: 'Birmingham share', amountPence: 3_000_00, areaOnsCode: BIRMINGHAM },
      ]),
    );
    expect(round.ringFences).toHaveLength(2);
    expect(round.ringFences).toEqual(
      expect.arrayContaining([
        { name: 'Birmingham share', amountPence: 3_000_00, areaOnsCode: BIRMINGHAM },
        { name: 'Coventry share', amountPence: 3_000_00, areaOnsCode: COVENTRY },
      ]),
    );
    await seedRoundApplications(t.dataSource, {
      roundId: round.id,
      prefix: round.referencePrefix,
      n: 30,
      createdBy: manager.id,
      categories: ['other'],
      tag: round.referencePrefix,
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [round.id]);
    // A third of the organisations in each of Coventry, Birmingham and Dudley; every application moderated, so the ranking is ready.
    await t.dataSource.query(
      `UPDATE organisation o SET area_ons_code = (ARRAY[$2, $3, $4])[1 + a.reference_seq % 3] FROM application a WHERE a.organisation_id = o.id AND a.round_id = $1 AND a.reference_seq IS NOT NULL`,
      [round.id, COVENTRY, BIRMINGHAM, DUDLEY],
    );
    await t.dataSource.query(
      `INSERT INTO moderation (application_id, round_id, score_hundredths, reason, moderated_by, moderated_at)
       SELECT id, round_id, 5000 + reference_seq * 100, 'Panel', $2, now() FROM application WHERE round_id = $1 AND status = 'eligible'`,
      [round.id, manager.id],
    );
    const areaOf = new Map<string, string>(
      (
        await t.dataSource.query(`SELECT a.id, o.area_ons_code FROM application a JOIN organisation o ON o.id = a.organisation_id WHERE a.round_id = $1`, [
          round.id,
        ])
      ).map((r: { id: string; area_ons_code: string }) => [r.id, r.area_ons_code]),
    );

    const run = (
      await request(t.http)
        .post(`/api/v1/rounds/${round.id}/allocation-runs`)
        .set(bearer(manager.token))
        .send({ thresholdPercent: '0', unspentRingFences: 'hold' })
        .expect(201)
    ).body;
    const fenceArea = new Map<string, string>(
      run.ringFences.map((f: { id: string; name: string }) => [f.id, f.name === 'Coventry share' ? COVENTRY : BIRMINGHAM]),
    );
    const fenced = run.awards.filter((a: { source: string | null }) => a.source && a.source !== 'general');
    expect(fenced.length).toBeGreaterThan(1);
    for (const a of fenced) expect(areaOf.get(a.applicationId)).toBe(fenceArea.get(a.source));
    for (const f of run.ringFences) expect(f.committedPence).toBeLessThanOrEqual(f.amountPence);
    expect(run.awards.some((a: { applicationId: string; outcome: string }) => areaOf.get(a.applicationId) === DUDLEY && a.outcome === 'funded')).toBe(true);

    // Commitments: an area's money only for an application from that area.
    const service = t.app.get(AllocationService);
    const principal = toPrincipal((await t.app.get(UsersService).findById(manager.id))!, 'token');
    const ids = [...areaOf.keys()];
    const coventry = ids.find((id) => areaOf.get(id) === COVENTRY)!;
    const dudley = ids.find((id) => areaOf.get(id) === DUDLEY)!;
    await expect(
      service.commit(principal, { roundId: round.id, applicationId: dudley, amountPence: 100_00, ringFenceCategory: null, ringFenceArea: COVENTRY }),
    ).rejects.toMatchObject({
      code: 'allocation.not_qualifying',
    });
    await service.commit(principal, { roundId: round.id, applicationId: coventry, amountPence: 1_000_00, ringFenceCategory: null, ringFenceArea: COVENTRY });
    const budget = (await request(t.http).get(`/api/v1/rounds/${round.id}/budget`).set(bearer(manager.token)).expect(200)).body;
    expect(budget.ringFences.find((f: { areaOnsCode: string }) => f.areaOnsCode === COVENTRY)).toMatchObject({
      category: null,
      committedPence: 1_000_00,
      availablePence: 2_000_00,
    });
    expect(budget.committedPence).toBe(1_000_00);

    // The round's page says who qualifies; the fund manager's form shows the ring-fence as it was entered.
    const fm = await signIn(t, manager);
    const page = await fm.get(`/staff/rounds/${round.id}`).expect(200);
    expect(page.text).toContain('Organisations in Coventry');
    const form = await fm.get(`/staff/rounds/${round.id}/edit`).expect(200);
    expect(form.text).toContain(`Coventry share | £3,000 | ${COVENTRY}`);
  });
});
