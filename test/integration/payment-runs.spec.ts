import { PaymentsService } from '../../src/modules/payments';
import { createUser, csrfFrom, signIn, tokenFor } from '../support/identity';
import { errorSummary } from './identity-support';
import { type AcceptedGrant, apiAs, paymentsFixture, type Staff } from '../support/payments';
import { createApplicant, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 12, from an approved request to money in the bank: bank details (format-checked,
 * encrypted, masked, verified by someone else, a change holding every unpaid instalment), payment
 * runs and their CSV for the finance system (formula-safe), paid and failed results with the
 * remittance email, the database's guard against paying past an award, clawback and the ledger.
 */
describe('payment runs, bank details and the ledger (issue 12)', () => {
  let t: TestApp;
  let officer: Staff;
  let officer2: Staff;
  let approver: Staff;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;

  const approve = async (instalmentId: string) => {
    const r = (await apiAs(t, officer.token).post(`/instalments/${instalmentId}/payment-requests`).expect(201)).body;
    await apiAs(t, approver.token).post(`/payment-requests/${r.id}/approve`).expect(200);
    return r.id as string;
  };
  const giveBankDetails = async (g: AcceptedGrant, body: object = { accountName: 'Hope Community Group', sortCode: '30-94-30', accountNumber: '0073 3445' }) =>
    (await apiAs(t, g.owner.token).put(`/organisations/${g.organisationId}/bank-details`, body).expect(200)).body;
  const verify = async (g: AcceptedGrant, who: Staff = officer2) =>
    apiAs(t, who.token)
      .post(`/organisations/${g.organisationId}/bank-details/verification`, {
        method: 'call_back_known_number',
        verifiedWith: 'Asha Patel, treasurer, on the number from the application',
        verifiedAt: new Date(Date.now() - 60_000).toISOString(),
      })
      .expect(200);
  const statusOf = async (instalmentId: string) => (await t.dataSource.query(`SELECT status FROM instalment WHERE id = $1`, [instalmentId]))[0].status;

  beforeAll(async () => {
    t = await startTestApp();
    officer = await staffMember(t, 'finance_officer');
    officer2 = await staffMember(t, 'finance_officer');
    approver = await staffMember(t, 'finance_approver');
    fx = await paymentsFixture(t, { applications: 24 });
  });
  afterAll(() => t.close());

  it('checks bank details with GOV.UK messages, stores them encrypted, and shows them masked except to finance on asking', async () => {
    const g = await fx.acceptGrant(500_00);
    const bad = await apiAs(t, g.owner.token).put(`/organisations/${g.organisationId}/bank-details`, {
      accountName: ' ',
      sortCode: '12-34',
      accountNumber: '12a45678',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string; message: string }) => [d.field, d.message])).toEqual([
      ['accountName', 'Enter the name on the account'],
      ['sortCode', 'Enter a valid sort code like 309430'],
      ['accountNumber', 'Enter a valid account number like 00733445'],
    ]);
    expect(
      (await apiAs(t, g.owner.token).put(`/organisations/${g.organisationId}/bank-details`, { accountName: 'X', sortCode: '309430', accountNumber: '12345' }))
        .body.details[0].message,
    ).toBe('Account number must be between 6 and 8 digits');
    // Someone outside the organisation cannot set them, nor see whether they exist.
    const stranger = await createUser(t);
    const strangerToken = await tokenFor(t, stranger);
    expect(
      (
        await apiAs(t, strangerToken).put(`/organisations/${g.organisationId}/bank-details`, {
          accountName: 'Fraud',
          sortCode: '111111',
          accountNumber: '22222222',
        })
      ).status,
    ).toBe(404);
    expect((await apiAs(t, strangerToken).get(`/organisations/${g.organisationId}/bank-details`)).status).toBe(404);

    const saved = await giveBankDetails(g, { accountName: 'Hope Community Group', sortCode: '30-94-30', accountNumber: '733445' });
    expect(saved).toMatchObject({ accountEnding: '3445', sortCode: null, accountNumber: null, status: 'awaiting_verification' });
    // Unreadable in the database: neither number appears anywhere in the row.
    const [row] = await t.dataSource.query(`SELECT * FROM bank_details WHERE organisation_id = $1`, [g.organisationId]);
    expect(JSON.stringify(row)).not.toMatch(/309430|00733445|733445/);
    expect(row.sort_code_encrypted).toMatch(/^v1\./);

    const ownerView = (await apiAs(t, g.owner.token).get(`/organisations/${g.organisationId}/bank-details`).expect(200)).body;
    expect(ownerView).toMatchObject({ accountEnding: '3445', accountNumber: null });
    expect((await apiAs(t, g.owner.token).get(`/organisations/${g.organisationId}/bank-details?reveal=true`)).body.error).toBe('payments.reveal_not_allowed');
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'payments.bank_details_viewed'`))[0].n;
    const full = (await apiAs(t, officer.token).get(`/organisations/${g.organisationId}/bank-details?reveal=true`).expect(200)).body;
    expect(full).toMatchObject({ sortCode: '309430', accountNumber: '00733445' }); // six digits padded to eight
    const after = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'payments.bank_details_viewed'`))[0].n;
    expect(after).toBe(before + 1);
  });

  it('holds every unpaid instalment when the details change, tells the others, and lifts the hold only on someone else’s verification', async () => {
    const g = await fx.acceptGrant(600_00);
    await giveBankDetails(g);
    await verify(g);
    const requestId = await approve(g.instalmentIds[0]);
    expect(await statusOf(g.instalmentIds[0])).toBe('approved');
    const colleague = await createUser(t);
    await t.dataSource.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [
      g.organisationId,
      colleague.id,
    ]);

    await giveBankDetails(g, { accountName: 'Definitely Hope', sortCode: '11-22-33', accountNumber: '87654321' });
    expect(await statusOf(g.instalmentIds[0])).toBe('on_hold');
    const told = await t.dataSource.query(`SELECT to_address FROM notification_outbox WHERE template = 'bank-details-changed' AND to_address = $1`, [
      colleague.email,
    ]);
    expect(told).toHaveLength(1);
    // Not in the next run while on hold.
    const ready = await t.app.get(PaymentsService).readyForRun({ limit: 200, page: 1 });
    expect(ready.items.find((r) => r.request.id === requestId)?.waiting).toBe('on_hold');

    // The person who entered them cannot verify them, even holding finance's role; nor can the database be talked into it.
    const both = await createUser(t, ['finance_officer']);
    await t.dataSource.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [g.organisationId, both.id]);
    const bothToken = await tokenFor(t, both);
    await apiAs(t, bothToken)
      .put(`/organisations/${g.organisationId}/bank-details`, { accountName: 'Definitely Hope', sortCode: '112233', accountNumber: '87654321' })
      .expect(200);
    const own = await apiAs(t, bothToken).post(`/organisations/${g.organisationId}/bank-details/verification`, {
      method: 'call_back_known_number',
      verifiedWith: 'myself',
      verifiedAt: new Date().toISOString(),
    });
    expect([own.status, own.body.error]).toEqual([403, 'payments.own_change']);
    await expect(
      t.dataSource.query(
        `UPDATE bank_details SET verified_by = changed_by, verified_at = now(), verification_method = 'other', verified_with = 'x' WHERE organisation_id = $1 AND superseded_at IS NULL`,
        [g.organisationId],
      ),
    ).rejects.toThrow(/CHK_bank_details_verifier/);
    // A verification in the future, or without saying with whom, is refused.
    const future = await apiAs(t, officer.token).post(`/organisations/${g.organisationId}/bank-details/verification`, {
      method: 'call_back_known_number',
      verifiedWith: 'Asha',
      verifiedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.body.details[0]).toMatchObject({ field: 'verifiedAt', rule: 'notFuture' });
    expect(await statusOf(g.instalmentIds[0])).toBe('on_hold');

    await verify(g, officer);
    expect(await statusOf(g.instalmentIds[0])).toBe('approved');
    expect(
      (
        await apiAs(t, officer.token).post(`/organisations/${g.organisationId}/bank-details/verification`, {
          method: 'in_person',
          verifiedWith: 'x',
          verifiedAt: new Date().toISOString(),
        })
      ).body.error,
    ).toBe('payments.already_verified');
  });

  it('flags the same account on two organisations', async () => {
    const a = await fx.acceptGrant(100_00);
    const b = await fx.acceptGrant(100_00);
    await giveBankDetails(a, { accountName: 'Shared Treasurer', sortCode: '40-11-62', accountNumber: '55554444' });
    const second = await giveBankDetails(b, { accountName: 'Shared Treasurer', sortCode: '401162', accountNumber: '5555 4444' });
    expect(second.sameAccountAs).toEqual([]); // owners are not told about other organisations
    const holds = (await apiAs(t, officer.token).get('/bank-detail-holds?limit=200').expect(200)).body;
    const flagged = holds.items.find((h: { organisationId: string }) => h.organisationId === b.organisationId);
    expect(flagged.sameAccountAs.map((o: { organisationId: string }) => o.organisationId)).toEqual([a.organisationId]);
  });

  it('lists several organisations waiting on a check, each with its own held instalments and the other organisations on the same account', async () => {
    const shared = { accountName: 'Aston Residents Treasurer', sortCode: '60-16-13', accountNumber: '31926819' };
    const c = await fx.acceptGrant(150_00);
    // Two instalments due at once, so the change below holds two for one organisation.
    await apiAs(t, fx.manager.token)
      .put(`/grants/${c.grantId}/schedule`, {
        instalments: [
          { amountPence: 100_00, trigger: 'acceptance' },
          { amountPence: 50_00, trigger: 'acceptance' },
        ],
        reason: 'Half the second payment now, the rest for the second term',
      })
      .expect(200);
    const d = await fx.acceptGrant(160_00);
    const e = await fx.acceptGrant(170_00);
    const noGrant = await createApplicant(t); // on the same account, with nothing to hold
    await giveBankDetails(c, shared);
    await giveBankDetails(d, { accountName: 'Lozells Youth Group', sortCode: '60-16-14', accountNumber: '31926820' });
    await giveBankDetails(e, shared);
    await apiAs(t, noGrant.token).put(`/organisations/${noGrant.organisation.id}/bank-details`, shared).expect(200);

    type Hold = { organisationId: string; organisationName: string; heldCount: number; heldPence: number; sameAccountAs: { organisationId: string }[] };
    const holds: Hold[] = (await apiAs(t, officer.token).get('/bank-detail-holds?limit=200').expect(200)).body.items;
    const hold = (organisationId: string) => {
      const h = holds.find((x) => x.organisationId === organisationId)!;
      return { heldCount: h.heldCount, heldPence: h.heldPence, sameAccountAs: h.sameAccountAs.map((o) => o.organisationId).sort() };
    };
    expect(hold(c.organisationId)).toEqual({ heldCount: 2, heldPence: 150_00, sameAccountAs: [e.organisationId, noGrant.organisation.id].sort() });
    expect(hold(d.organisationId)).toEqual({ heldCount: 1, heldPence: 160_00, sameAccountAs: [] });
    expect(hold(e.organisationId)).toEqual({ heldCount: 1, heldPence: 170_00, sameAccountAs: [c.organisationId, noGrant.organisation.id].sort() });
    expect(hold(noGrant.organisation.id)).toEqual({ heldCount: 0, heldPence: 0, sameAccountAs: [c.organisationId, e.organisationId].sort() });

    // Every organisation on the list agrees with its own bank details page (finance's view, with
    // the same-account flag and names) and with its instalments on hold.
    for (const { organisationName, heldCount, heldPence, ...view } of holds) {
      const own = (await apiAs(t, officer.token).get(`/organisations/${view.organisationId}/bank-details`).expect(200)).body;
      const bySorted = (list: { organisationId: string }[]) => [...list].sort((x, y) => x.organisationId.localeCompare(y.organisationId));
      expect({ ...view, sameAccountAs: bySorted(view.sameAccountAs) }).toEqual({ ...own, sameAccountAs: bySorted(own.sameAccountAs) });
      const [held] = await t.dataSource.query(
        `SELECT count(*)::int AS n, coalesce(sum(amount_pence), 0)::int AS pence FROM instalment WHERE organisation_id = $1 AND status = 'on_hold'`,
        [view.organisationId],
      );
      const [{ name }] = await t.dataSource.query(`SELECT name FROM organisation WHERE id = $1`, [view.organisationId]);
      expect({ organisationName, heldCount, heldPence }).toEqual({ organisationName: name, heldCount: held.n, heldPence: held.pence });
    }
    // A page at a time gives the same list.
    const paged: Hold[] = [];
    for (let page = 1; paged.length < holds.length; page++)
      paged.push(...(await apiAs(t, officer.token).get(`/bank-detail-holds?limit=2&page=${page}`).expect(200)).body.items);
    expect(paged.map((h) => h.organisationId)).toEqual(holds.map((h) => h.organisationId));
    // As many queries for the whole list as for a page of two: grouped for the page, none per
    // organisation (both pages full, as TypeORM leaves out the count when a first page is not).
    const queries = jest.spyOn(t.dataSource.logger, 'logQuery');
    const queriesFor = async (limit: number) => {
      queries.mockClear();
      await t.app.get(PaymentsService).bankHolds(limit, 1);
      return queries.mock.calls.length;
    };
    try {
      expect(holds.length).toBeGreaterThanOrEqual(4);
      expect(await queriesFor(holds.length)).toBe(await queriesFor(2));
    } finally {
      queries.mockRestore();
    }
  });

  it('runs approved payments, exports a formula-safe CSV, records paid and failed, emails a remittance, and never pays past the award', async () => {
    const g = await fx.acceptGrant(750_00);
    await t.dataSource.query(`UPDATE organisation SET name = '=HYPERLINK("http://evil.example","Click")' WHERE id = $1`, [g.organisationId]);
    await giveBankDetails(g, { accountName: '=HYPERLINK("http://evil.example")', sortCode: '20-00-00', accountNumber: '01234567' });
    await verify(g);
    const waiting = await fx.acceptGrant(250_00); // approved, but no bank details yet
    const requestId = await approve(g.instalmentIds[0]);
    const waitingRequest = await approve(waiting.instalmentIds[0]);

    // An officer may not ask for a request that is not ready; nothing is made.
    expect((await apiAs(t, officer.token).post('/payment-runs', { requestIds: [waitingRequest] })).body.error).toBe('payments.not_ready');
    const run = (
      await apiAs(t, officer.token)
        .post('/payment-runs', { requestIds: [requestId] })
        .expect(201)
    ).body;
    expect(run).toMatchObject({ number: expect.stringMatching(/^PR-\d{4}$/), paymentCount: 1, totalPence: 750_00, exportedAt: null });
    expect(run.payments[0]).toMatchObject({ status: 'in_run', amountPence: 750_00 });
    // Approvers may read and export; only officers make runs.
    expect((await apiAs(t, approver.token).post('/payment-runs', {})).status).toBe(403);

    const csv = await apiAs(t, approver.token).get(`/payment-runs/${run.id}/export.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Payee,Sort code,Account number,Amount (£),Payment reference,Grant,Cost centre,Run,Payment ID');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")",20-00-00,01234567,750.00,`);
    expect(lines[1]).toContain(`,${run.number},${run.payments[0].id}`);
    const [{ exported_at }] = await t.dataSource.query(`SELECT exported_at FROM payment_run WHERE id = $1`, [run.id]);
    expect(exported_at).not.toBeNull();

    // All or nothing: a good line with a bad one changes nothing.
    const mixed = await apiAs(t, officer.token).post(`/payment-runs/${run.id}/results`, {
      results: [
        { paymentId: run.payments[0].id, outcome: 'paid', paidOn: '2026-12-01', bankReference: 'BACS-1' },
        { paymentId: '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e', outcome: 'paid', paidOn: '2026-12-01', bankReference: 'BACS-2' },
      ],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.details[0].field).toBe('results.1.paymentId');
    expect(await statusOf(g.instalmentIds[0])).toBe('approved');
    expect(
      (
        await apiAs(t, officer.token).post(`/payment-runs/${run.id}/results`, {
          results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn: '2026-02-30', bankReference: 'x' }],
        })
      ).body.details[0].field,
    ).toBe('results.0.paidOn');

    const paidOn = new Date().toISOString().slice(0, 10);
    const done = (
      await apiAs(t, officer.token)
        .post(`/payment-runs/${run.id}/results`, { results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn, bankReference: 'BACS-0001' }] })
        .expect(200)
    ).body;
    expect(done.payments[0]).toMatchObject({ status: 'paid', paidOn, bankReference: 'BACS-0001' });
    expect(await statusOf(g.instalmentIds[0])).toBe('paid');
    const again = await apiAs(t, officer.token).post(`/payment-runs/${run.id}/results`, {
      results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn, bankReference: 'BACS-0001' }],
    });
    expect([again.status, again.body.error]).toEqual([409, 'payments.already_recorded']);
    const remittance = await t.dataSource.query(`SELECT to_address FROM notification_outbox WHERE template = 'payment-remittance' AND to_address = $1`, [
      g.owner.email,
    ]);
    expect(remittance).toHaveLength(1);
    // Nothing left to export in a settled run.
    expect((await apiAs(t, officer.token).get(`/payment-runs/${run.id}/export.csv`)).body.error).toBe('payments.run_settled');

    // The database refuses a payment past the award, whatever the code does.
    await expect(
      t.dataSource.query(
        `INSERT INTO payment (run_id, request_id, instalment_id, grant_id, bank_details_id, amount_pence, reference)
         SELECT run_id, $2, instalment_id, grant_id, bank_details_id, 1, 'extra' FROM payment WHERE id = $1`,
        [run.payments[0].id, waitingRequest],
      ),
    ).rejects.toThrow(/exceed its award/);
  });

  it('reopens a failed payment for a new request, and never puts one request in two runs', async () => {
    const g = await fx.acceptGrant(300_00);
    await giveBankDetails(g);
    await verify(g);
    const requestId = await approve(g.instalmentIds[0]);
    // Two officers making runs at once: one run takes the request.
    const both = await Promise.all([
      apiAs(t, officer.token).post('/payment-runs', { requestIds: [requestId] }),
      apiAs(t, officer2.token).post('/payment-runs', { requestIds: [requestId] }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const run = both.find((r) => r.status === 201)!.body;
    await apiAs(t, officer.token)
      .post(`/payment-runs/${run.id}/results`, { results: [{ paymentId: run.payments[0].id, outcome: 'failed', reason: 'Account closed' }] })
      .expect(200);
    expect(await statusOf(g.instalmentIds[0])).toBe('failed');
    const again = (await apiAs(t, officer.token).post(`/instalments/${g.instalmentIds[0]}/payment-requests`).expect(201)).body;
    expect(again.status).toBe('pending');
  });

  it('claws money back only up to what was paid, and the ledger reconciles with the tables', async () => {
    const g = await fx.acceptGrant(400_00);
    await giveBankDetails(g);
    await verify(g);
    const requestId = await approve(g.instalmentIds[0]);
    const run = (
      await apiAs(t, officer.token)
        .post('/payment-runs', { requestIds: [requestId] })
        .expect(201)
    ).body;
    await apiAs(t, officer.token)
      .post(`/payment-runs/${run.id}/results`, {
        results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn: new Date().toISOString().slice(0, 10), bankReference: 'B' }],
      })
      .expect(200);
    const tooMuch = await apiAs(t, fx.manager.token).post(`/grants/${g.grantId}/repayments`, { amountPence: 400_01, reason: 'Unspent' });
    expect(tooMuch.body.details[0]).toMatchObject({ field: 'amountPence', rule: 'withinPaid' });
    expect((await apiAs(t, fx.manager.token).post(`/grants/${g.grantId}/repayments`, { amountPence: 12.5, reason: 'x' })).status).toBe(400);
    const owed = (await apiAs(t, fx.manager.token).post(`/grants/${g.grantId}/repayments`, { amountPence: 150_00, reason: 'Project ended early' }).expect(201))
      .body;
    expect(owed.status).toBe('owed');
    const ledgerBefore = (await apiAs(t, officer.token).get(`/rounds/${fx.round.id}/ledger`).expect(200)).body;
    await apiAs(t, officer.token)
      .post(`/repayments/${owed.id}/received`, { receivedOn: new Date().toISOString().slice(0, 10) })
      .expect(200);
    expect((await apiAs(t, officer.token).post(`/repayments/${owed.id}/received`, { receivedOn: new Date().toISOString().slice(0, 10) })).body.error).toBe(
      'payments.repayment_received',
    );
    const ledger = (await apiAs(t, officer.token).get(`/rounds/${fx.round.id}/ledger`).expect(200)).body;
    expect(ledger.round.repaidPence - ledgerBefore.round.repaidPence).toBe(150_00);
    expect(ledger.round.availablePence - ledgerBefore.round.availablePence).toBe(150_00);
    const [sums] = await t.dataSource.query(
      `SELECT (SELECT coalesce(sum(amount_pence), 0)::bigint FROM budget_commitment WHERE round_id = $1 AND released_at IS NULL) AS committed,
              (SELECT coalesce(sum(p.amount_pence), 0)::bigint FROM payment p JOIN "grant" g ON g.id = p.grant_id WHERE g.round_id = $1 AND p.status = 'paid') AS paid,
              (SELECT coalesce(sum(r.amount_pence), 0)::bigint FROM repayment r JOIN "grant" g ON g.id = r.grant_id WHERE g.round_id = $1 AND r.status = 'received') AS repaid`,
      [fx.round.id],
    );
    expect(ledger.round).toEqual({
      budgetPence: 20_000_00,
      committedPence: Number(sums.committed),
      paidPence: Number(sums.paid),
      repaidPence: Number(sums.repaid),
      outstandingPence: Number(sums.committed) - Number(sums.paid),
      availablePence: 20_000_00 - Number(sums.committed) + Number(sums.repaid),
    });
    expect(ledger.financialYears.reduce((s: number, y: { paidPence: number }) => s + y.paidPence, 0)).toBe(ledger.round.paidPence);
    // Applicants cannot read a ledger.
    expect((await apiAs(t, g.owner.token).get(`/rounds/${fx.round.id}/ledger`)).status).toBe(403);
  });

  it('lists grants a page at a time, by round, state and organisation; applicants see only their own', async () => {
    const a = await fx.acceptGrant(120_00);
    const b = await fx.acceptGrant(130_00);
    const all = (await apiAs(t, officer.token).get(`/grants?roundId=${fx.round.id}&status=accepted&limit=2`).expect(200)).body;
    expect(all.total).toBe(fx.awarded());
    expect(all.items).toHaveLength(2);
    expect(all.items[0]).toMatchObject({ id: b.grantId, status: 'accepted', amountPence: 130_00 }); // newest offer first
    const page2 = (await apiAs(t, officer.token).get(`/grants?roundId=${fx.round.id}&status=accepted&limit=2&page=2`).expect(200)).body;
    expect(page2.items[0].id).not.toBe(all.items[0].id);
    const byOrg = (await apiAs(t, officer.token).get(`/grants?organisationId=${a.organisationId}`).expect(200)).body;
    expect(byOrg.items.map((g: { id: string }) => g.id)).toEqual([a.grantId]);
    // The owner of A sees A's grant only, whatever they filter by.
    const own = (await apiAs(t, a.owner.token).get('/grants').expect(200)).body;
    expect(own.items.map((g: { id: string }) => g.id)).toEqual([a.grantId]);
    expect((await apiAs(t, a.owner.token).get(`/grants?organisationId=${b.organisationId}`).expect(200)).body).toMatchObject({ items: [], total: 0 });
    const bad = await apiAs(t, officer.token).get('/grants?status=paid&limit=500&roundId=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'roundId', 'status']);
  });

  it('keeps the hold when a request is approved or rejected while a change of bank details waits (regression: a 500 from the hold check)', async () => {
    const g = await fx.acceptGrant(210_00);
    await giveBankDetails(g);
    await verify(g);
    const first = (await apiAs(t, officer.token).post(`/instalments/${g.instalmentIds[0]}/payment-requests`).expect(201)).body;
    await giveBankDetails(g, { accountName: 'Changed', sortCode: '11-11-11', accountNumber: '11112222' });
    expect(await statusOf(g.instalmentIds[0])).toBe('on_hold');
    await apiAs(t, approver.token).post(`/payment-requests/${first.id}/approve`).expect(200);
    expect(await statusOf(g.instalmentIds[0])).toBe('on_hold');
    await verify(g);
    expect(await statusOf(g.instalmentIds[0])).toBe('approved'); // back to where the approval put it
    // And a rejection during a hold: due again once verified.
    const h = await fx.acceptGrant(220_00);
    await giveBankDetails(h);
    await verify(h);
    const second = (await apiAs(t, officer.token).post(`/instalments/${h.instalmentIds[0]}/payment-requests`).expect(201)).body;
    await giveBankDetails(h, { accountName: 'Changed', sortCode: '11-11-12', accountNumber: '11112223' });
    await apiAs(t, approver.token).post(`/payment-requests/${second.id}/reject`, { reason: 'Wrong amount' }).expect(200);
    expect(await statusOf(h.instalmentIds[0])).toBe('on_hold');
    await verify(h);
    expect(await statusOf(h.instalmentIds[0])).toBe('due');
  });

  it('claws money back through the grant’s payments page: a fund manager records it owed, finance records it received', async () => {
    const g = await fx.acceptGrant(330_00);
    await giveBankDetails(g);
    await verify(g);
    const requestId = await approve(g.instalmentIds[0]);
    const run = (
      await apiAs(t, officer.token)
        .post('/payment-runs', { requestIds: [requestId] })
        .expect(201)
    ).body;
    await apiAs(t, officer.token)
      .post(`/payment-runs/${run.id}/results`, { results: [{ paymentId: run.payments[0].id, outcome: 'paid', paidOn: '2026-11-02', bankReference: 'P' }] })
      .expect(200);
    const manager = await signIn(t, fx.manager);
    const page = await manager.get(`/grants/${g.grantId}/payments`).expect(200);
    expect(page.text).toContain('Ask for money back');
    const tooMuch = await manager
      .post(`/grants/${g.grantId}/repayments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), amount: '500', reason: 'Unspent' });
    expect([tooMuch.status, errorSummary(tooMuch.text)]).toEqual([400, expect.stringContaining('has been paid on this grant and not already asked back')]);
    expect(tooMuch.text).toContain('href="#amount"');
    const empty = await manager
      .post(`/grants/${g.grantId}/repayments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), amount: '', reason: '' });
    expect(errorSummary(empty.text)).toContain('Enter how much must be paid back');
    await manager
      .post(`/grants/${g.grantId}/repayments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), amount: '30.50', reason: 'Venue hire refunded' })
      .expect(303);
    const finance = await signIn(t, officer);
    const owed = await finance.get(`/grants/${g.grantId}/payments`).expect(200);
    expect(owed.text).toContain('Venue hire refunded');
    expect(owed.text).toContain('£30.50');
    expect(owed.text).not.toContain('Ask for money back'); // finance records receipts, fund managers ask
    const [, repaymentId] = /action="\/grants\/[0-9a-f-]{36}\/repayments\/([0-9a-f-]{36})\/received"/.exec(owed.text)!;
    const noDate = await finance
      .post(`/grants/${g.grantId}/repayments/${repaymentId}/received`)
      .type('form')
      .send({ _csrf: csrfFrom(owed.text) });
    expect([noDate.status, errorSummary(noDate.text)]).toEqual([400, expect.stringContaining('Enter the date the money arrived')]);
    await finance
      .post(`/grants/${g.grantId}/repayments/${repaymentId}/received`)
      .type('form')
      .send({ _csrf: csrfFrom(owed.text), 'receivedOn-day': '1', 'receivedOn-month': '12', 'receivedOn-year': '2026' })
      .expect(303);
    const [row] = await t.dataSource.query(`SELECT status, received_on::text AS received_on, amount_pence FROM repayment WHERE id = $1`, [repaymentId]);
    expect(row).toEqual({ status: 'received', received_on: '2026-12-01', amount_pence: '3050' });
    // The grant holder sees it, without the forms.
    const holder = await signIn(t, g.owner);
    const theirs = await holder.get(`/grants/${g.grantId}/payments`).expect(200);
    expect(theirs.text).toContain('Venue hire refunded');
    expect(theirs.text).not.toContain('Record as received');
  });
});
