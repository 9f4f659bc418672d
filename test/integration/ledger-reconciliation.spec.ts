import fc from 'fast-check';
import { type AcceptedGrant, apiAs, paymentsFixture, type Staff } from '../support/payments';
import { staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 12's ledger reconciles at every moment, to the penny: a randomised sequence of what happens
 * to a round's money (grants awarded and accepted, bank details given, verified and changed,
 * payments requested, approved, put in runs, paid or failed, money asked back and received), and
 * after every step the ledger (overall, the general pot and the ring-fence) equals the sums of the
 * commitment, payment and repayment rows, and the financial years add up to the whole.
 */
describe('the ledger reconciles after every operation (issue 12)', () => {
  let t: TestApp;
  let officer: Staff;
  let verifier: Staff;
  let approver: Staff;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;

  beforeAll(async () => {
    t = await startTestApp();
    officer = await staffMember(t, 'finance_officer');
    verifier = await staffMember(t, 'finance_officer');
    approver = await staffMember(t, 'finance_approver');
    fx = await paymentsFixture(t, {
      budgetPence: 60_000_00,
      ringFences: [{ name: 'Hate crime', amountPence: 15_000_00, category: 'hate_crime' }],
      categories: ['hate_crime', 'domestic_abuse'],
      applications: 80,
    });
  });
  afterAll(() => t.close());

  type Pot = { committed: number; paid: number; repaid: number };
  /** What the tables say, per pot: the oracle the ledger must match. */
  async function fromTables(): Promise<Map<string, Pot>> {
    const rows: { pot: string; committed: string; paid: string; repaid: string }[] = await t.dataSource.query(
      `WITH c AS (SELECT id, application_id, amount_pence, released_at, coalesce('category:' || ring_fence_category, 'area:' || ring_fence_area_ons_code, 'general') AS pot
                    FROM budget_commitment WHERE round_id = $1)
       SELECT pot,
              (SELECT coalesce(sum(c2.amount_pence), 0) FROM c c2 WHERE c2.pot = p.pot AND c2.released_at IS NULL) AS committed,
              (SELECT coalesce(sum(pay.amount_pence), 0) FROM payment pay JOIN "grant" g ON g.id = pay.grant_id JOIN c c3 ON c3.id = g.commitment_id
                WHERE c3.pot = p.pot AND pay.status = 'paid') AS paid,
              (SELECT coalesce(sum(r.amount_pence), 0) FROM repayment r JOIN "grant" g ON g.id = r.grant_id JOIN c c4 ON c4.id = g.commitment_id
                WHERE c4.pot = p.pot AND r.status = 'received') AS repaid
         FROM (SELECT DISTINCT pot FROM c UNION SELECT 'general' UNION SELECT 'category:hate_crime') p`,
      [fx.round.id],
    );
    return new Map(rows.map((r) => [r.pot, { committed: Number(r.committed), paid: Number(r.paid), repaid: Number(r.repaid) }]));
  }

  async function expectReconciled(step: string): Promise<void> {
    const ledger = (await apiAs(t, officer.token).get(`/rounds/${fx.round.id}/ledger`).expect(200)).body;
    const pots = await fromTables();
    const line = (budget: number, p: Pot) => ({
      budgetPence: budget,
      committedPence: p.committed,
      paidPence: p.paid,
      repaidPence: p.repaid,
      outstandingPence: p.committed - p.paid,
      availablePence: budget - p.committed + p.repaid,
    });
    const sum = (k: keyof Pot) => [...pots.values()].reduce((s, p) => s + p[k], 0);
    const context = `after ${step}`;
    expect({ context, round: ledger.round }).toEqual({
      context,
      round: line(60_000_00, { committed: sum('committed'), paid: sum('paid'), repaid: sum('repaid') }),
    });
    expect({ context, general: ledger.generalPot }).toEqual({ context, general: line(45_000_00, pots.get('general')!) });
    expect({ context, fence: ledger.ringFences[0] }).toMatchObject({ context, fence: line(15_000_00, pots.get('category:hate_crime')!) });
    const years = ledger.financialYears as { committedPence: number; paidPence: number; repaidPence: number }[];
    expect({
      context,
      years: [years.reduce((s, y) => s + y.committedPence, 0), years.reduce((s, y) => s + y.paidPence, 0), years.reduce((s, y) => s + y.repaidPence, 0)],
    }).toEqual({
      context,
      years: [ledger.round.committedPence, ledger.round.paidPence, ledger.round.repaidPence],
    });
  }

  const OPERATIONS = ['award', 'bank', 'change', 'request', 'run', 'paid', 'failed', 'claw', 'receive'] as const;

  it('whatever happens, in whatever order', async () => {
    const grants: AcceptedGrant[] = [];
    let accountNo = 10_000_000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...OPERATIONS), fc.nat(), fc.integer({ min: 1, max: 1_000_00 })), { minLength: 10, maxLength: 24 }),
        async (steps) => {
          for (const [op, pick, amount] of steps) {
            const g = grants.length ? grants[pick % grants.length] : null;
            const bank = (grant: AcceptedGrant) =>
              apiAs(t, grant.owner.token).put(`/organisations/${grant.organisationId}/bank-details`, {
                accountName: 'Group',
                sortCode: '309430',
                accountNumber: String(accountNo++),
              });
            switch (op) {
              case 'award':
                if (fx.awarded() < 60)
                  try {
                    grants.push(await fx.acceptGrant(amount, { category: pick % 2 ? 'hate_crime' : undefined }));
                  } catch (err) {
                    // A full pot refuses the award (and changes nothing): that is a step too.
                    if (!/award refused: \{"statusCode":(409|400).*(budget|available|uncommitted|ring)/i.test(String(err))) throw err;
                  }
                break;
              case 'bank':
                if (g) {
                  await bank(g).expect(200);
                  await apiAs(t, verifier.token)
                    .post(`/organisations/${g.organisationId}/bank-details/verification`, {
                      method: 'call_back_known_number',
                      verifiedWith: 'Treasurer',
                      verifiedAt: new Date(Date.now() - 60_000).toISOString(),
                    })
                    .expect(200);
                }
                break;
              case 'change':
                if (g) await bank(g).expect(200);
                break;
              case 'request':
                if (g) {
                  const r = await apiAs(t, officer.token).post(`/instalments/${g.instalmentIds[0]}/payment-requests`);
                  if (r.status === 201) await apiAs(t, approver.token).post(`/payment-requests/${r.body.id}/approve`).expect(200);
                  else expect(r.body.error).toBe('payments.not_due');
                }
                break;
              case 'run': {
                const r = await apiAs(t, officer.token).post('/payment-runs', {});
                expect([201, 409]).toContain(r.status);
                break;
              }
              case 'paid':
              case 'failed': {
                const [p] = await t.dataSource.query(`SELECT id, run_id FROM payment WHERE status = 'in_run' ORDER BY id OFFSET $1 LIMIT 1`, [pick % 3]);
                if (p)
                  await apiAs(t, officer.token)
                    .post(`/payment-runs/${p.run_id}/results`, {
                      results: [
                        op === 'paid'
                          ? { paymentId: p.id, outcome: 'paid', paidOn: '2026-11-30', bankReference: 'B' }
                          : { paymentId: p.id, outcome: 'failed', reason: 'Returned' },
                      ],
                    })
                    .expect(200);
                break;
              }
              case 'claw': {
                // Usually from a grant that has been paid something, sometimes from any (refused unless paid).
                const paidGrants: { grant_id: string }[] = await t.dataSource.query(
                  `SELECT DISTINCT grant_id FROM payment WHERE status = 'paid' ORDER BY grant_id`,
                );
                const grantId = paidGrants.length && pick % 4 ? paidGrants[pick % paidGrants.length].grant_id : g?.grantId;
                if (grantId) {
                  const r = await apiAs(t, fx.manager.token).post(`/grants/${grantId}/repayments`, {
                    amountPence: Math.max(1, amount % 500_00),
                    reason: 'Unspent',
                  });
                  if (r.status !== 201) expect(r.body.details?.[0]?.rule).toBe('withinPaid');
                }
                break;
              }
              case 'receive': {
                const [r] = await t.dataSource.query(`SELECT id FROM repayment WHERE status = 'owed' ORDER BY id LIMIT 1`);
                if (r) await apiAs(t, officer.token).post(`/repayments/${r.id}/received`, { receivedOn: '2026-12-01' }).expect(200);
                break;
              }
            }
            await expectReconciled(`${op} ${pick} ${amount}`);
          }
        },
      ),
      { numRuns: 6, seed: 20261203 },
    );
    // The sequences did move money: something was paid and something paid back.
    const [{ paid, repaid }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM payment WHERE status = 'paid') AS paid, (SELECT count(*)::int FROM repayment WHERE status = 'received') AS repaid`,
    );
    expect(paid).toBeGreaterThan(0);
    expect(repaid).toBeGreaterThan(0);
  }, 300_000);
});
