import ExcelJS from 'exceljs';
import request from 'supertest';
import { ApplicationsService } from '../../src/modules/applications';
import { PaymentsService } from '../../src/modules/payments';
import { EXPORT_BATCH } from '../../src/platform/database/keyset';
import { seedRoundApplications } from '../support/application-lists';
import { csrfFrom, signIn } from '../support/identity';
import { type AcceptedGrant, apiAs, paymentsFixture, type Staff } from '../support/payments';
import { createPublishedRound, roundBody, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { parseCsv } from '../support/csv';

/*
 * Issue 13's streamed exports: a staff table downloads as CSV and as XLSX with the same rows; in
 * XLSX, text that would be a formula stays text and amounts are numbers; in CSV, formula-like text
 * gets its apostrophe. A round's applications, assessments, grants and ledger; a payment run's
 * payments and the approved payments not yet in a run. The rows come from the database a batch
 * at a time: the batch size is lowered here so a few rows cross several batches, and each file
 * must still be complete and in the page's order.
 */

const EVIL = '=HYPERLINK("http://evil.example")';
const EVIL_IN_CSV = `"'=HYPERLINK(""http://evil.example"")"`;

type Agent = Awaited<ReturnType<typeof signIn>>;

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function sheetRows(body: Buffer): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');

/** Both files of a table: the CSV parsed, the XLSX's rows as exceljs reads them (numbers as numbers, text as text). */
async function both(agent: Agent, path: string): Promise<{ csv: string[][]; csvText: string; xlsx: unknown[][] }> {
  const csv = await agent.get(`${path}.csv`).buffer(true).expect(200);
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  const xlsx = await agent.get(`${path}.xlsx`).buffer(true).parse(binary).expect(200);
  expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(xlsx.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.xlsx"$/);
  return { csv: parseCsv(csv.text), csvText: csv.text, xlsx: await sheetRows(xlsx.body as Buffer) };
}

/** The XLSX cell as the CSV writes it: numbers with two decimals in money and percentage columns. */
const asCsv = (header: string, v: unknown): string => {
  if (typeof v === 'number') return /\((£|%)\)$/.test(header) ? v.toFixed(2) : String(v);
  return typeof v === 'string' ? v : ''; // a sheet's cells here are text, numbers or empty
};

/** Same rows in both files: the XLSX's cells, written as the CSV writes them, are the CSV's (formula text aside). */
function expectSameRows(f: { csv: string[][]; xlsx: unknown[][] }) {
  expect(f.xlsx).toHaveLength(f.csv.length);
  const header = f.csv[0];
  f.xlsx.forEach((row, i) => {
    const cells = header.map((h, j) => asCsv(h, row[j]));
    expect(cells.map((c) => (/^[=+\-@]/.test(c) ? `'${c}` : c))).toEqual(f.csv[i]);
  });
}

describe('staff tables as CSV and XLSX (issue 13)', () => {
  let t: TestApp;
  let officer: Staff;
  let officer2: Staff;
  let approver: Staff;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;
  let grants: AcceptedGrant[];

  const auditCount = async (action: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = $1`, [action]))[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    officer = await staffMember(t, 'finance_officer');
    officer2 = await staffMember(t, 'finance_officer');
    approver = await staffMember(t, 'finance_approver');
    fx = await paymentsFixture(t, { applications: 6 });
    grants = [];
    for (const amount of [250_50, 1_000_00, 300_00, 425_25, 50_00]) grants.push(await fx.acceptGrant(amount));
    // The first grant's organisation has a name a spreadsheet would run as a formula.
    await t.dataSource.query(`UPDATE organisation SET name = $2 WHERE id = $1`, [grants[0].organisationId, EVIL]);
  });
  afterEach(() => {
    EXPORT_BATCH.size = 500;
  });
  afterAll(() => t.close());

  it('gives a round’s applications as XLSX with the CSV’s rows, formulas kept as text', async () => {
    const pages = await signIn(t, fx.manager);
    const csv = await pages.get(`/staff/rounds/${fx.round.id}/applications.csv`).expect(200);
    const xlsx = await pages.get(`/staff/rounds/${fx.round.id}/applications.xlsx`).buffer(true).parse(binary).expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toMatch(/applications-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const rows = await sheetRows(xlsx.body as Buffer);
    const lines = csvRows(csv.text);
    expect(rows).toHaveLength(lines.length);
    expect(rows[0]).toEqual(lines[0].split(','));
    const evil = rows.find((r) => String(r[1]).includes('HYPERLINK'))!;
    expect(evil[1]).toBe(EVIL); // a string cell, exactly as typed
    expect(typeof evil[7]).toBe('number'); // the amount requested, in pounds
    expect(csv.text).toContain(EVIL_IN_CSV);
    expectSameRows({ csv: parseCsv(csv.text), xlsx: rows });
    // The page links to both.
    const page = await pages.get(`/staff/rounds/${fx.round.id}/applications`).expect(200);
    expect(page.text).toContain(`/staff/rounds/${fx.round.id}/applications.xlsx`);
  });

  it('reads a round’s applications a batch at a time, complete and in the page’s order for every sort, with the page’s filters and sort in its links', async () => {
    // A round of 23 (two drafts, with no reference or submission time, to sort last), read 4 at a time.
    const round = await createPublishedRound(t, fx.manager, roundBody(fx.programmeId));
    await seedRoundApplications(t.dataSource, {
      roundId: round.id,
      prefix: round.referencePrefix,
      n: 23,
      createdBy: fx.manager.id,
      categories: ['hate_crime', 'other'],
      tag: round.referencePrefix,
    });
    EXPORT_BATCH.size = 4;
    const pages = await signIn(t, fx.manager);
    const service = t.app.get(ApplicationsService);
    for (const key of ['reference', 'organisation', 'amount', 'status', 'submitted']) {
      for (const sort of [key, `-${key}`]) {
        const expected = (await service.pageForRound(round.id, { sort, limit: 200 })).rows.map((r) => r.organisation.name);
        expect(expected).toHaveLength(23);
        const csv = parseCsv((await pages.get(`/staff/rounds/${round.id}/applications.csv?sort=${sort}`).buffer(true).expect(200)).text);
        expect([sort, csv.slice(1).map((r) => r[1])]).toEqual([sort, expected]);
      }
    }
    // Filters and search as well; the XLSX has the same rows.
    const filtered = (await service.pageForRound(round.id, { filters: { status: 'submitted' }, q: 'group 00', sort: '-amount', limit: 200 })).rows.map(
      (r) => r.organisation.name,
    );
    expect(filtered.length).toBeGreaterThan(4);
    const query = 'status=submitted&q=group+00&sort=-amount';
    const f = await both(pages, `/staff/rounds/${round.id}/applications`);
    expect(f.csv).toHaveLength(24);
    expectSameRows(f);
    const sorted = await pages.get(`/staff/rounds/${round.id}/applications.xlsx?${query}`).buffer(true).parse(binary).expect(200);
    expect((await sheetRows(sorted.body as Buffer)).slice(1).map((r) => r[1])).toEqual(filtered);
    const page = await pages.get(`/staff/rounds/${round.id}/applications?${query}&page=1`).expect(200);
    expect(page.text).toContain(`href="/staff/rounds/${round.id}/applications.csv?${query.replace(/&/g, '&amp;')}"`);
    expect(page.text).toContain(`href="/staff/rounds/${round.id}/applications.xlsx?${query.replace(/&/g, '&amp;')}"`);
    // A sort that is not one of the list's falls back to the reference order, never a 500.
    expect((await pages.get(`/staff/rounds/${round.id}/applications.csv?sort=colour`)).status).toBe(200);
  });

  it('gives a round’s ledger as CSV and XLSX with the API’s figures', async () => {
    const ledger = (await apiAs(t, officer.token).get(`/rounds/${fx.round.id}/ledger`).expect(200)).body;
    const pages = await signIn(t, officer);
    const csv = await pages.get(`/finance/rounds/${fx.round.id}/ledger.csv`).expect(200);
    const lines = csvRows(csv.text);
    expect(lines[0]).toBe('Pot,Financial year,Budget (£),Committed (£),Paid (£),Paid back (£),Outstanding (£),Available (£)');
    expect(lines[1]).toBe(
      [
        `Whole round: ${fx.round.name}`,
        '',
        (ledger.round.budgetPence / 100).toFixed(2),
        (ledger.round.committedPence / 100).toFixed(2),
        (ledger.round.paidPence / 100).toFixed(2),
        (ledger.round.repaidPence / 100).toFixed(2),
        (ledger.round.outstandingPence / 100).toFixed(2),
        (ledger.round.availablePence / 100).toFixed(2),
      ].join(','),
    );
    const xlsx = await pages.get(`/finance/rounds/${fx.round.id}/ledger.xlsx`).buffer(true).parse(binary).expect(200);
    const rows = await sheetRows(xlsx.body as Buffer);
    expect(rows[1][3]).toBe(ledger.round.committedPence / 100); // a number, not text
    expect(rows).toHaveLength(lines.length);
    // Applicants and assessors cannot download it.
    const assessor = await signIn(t, await staffMember(t, 'assessor'));
    expect((await assessor.get(`/finance/rounds/${fx.round.id}/ledger.xlsx`)).status).toBe(403);
  });

  it('gives a round’s grants, every one newest offer first across batches, audited, to fund managers only', async () => {
    EXPORT_BATCH.size = 2;
    const pages = await signIn(t, fx.manager);
    const before = await auditCount('grant.round_table_downloaded');
    const f = await both(pages, `/staff/rounds/${fx.round.id}/grants`);
    expect(await auditCount('grant.round_table_downloaded')).toBe(before + 2);
    expect(f.csv[0]).toEqual([
      'Reference',
      'Organisation',
      'Amount requested (£)',
      'Grant (£)',
      'Paid from',
      'From the reserve list',
      'State',
      'Offered at (London time)',
      'Offer open until (London time)',
      'Answered at (London time)',
      'PCC decision',
    ]);
    const expected: { reference: string }[] = await t.dataSource.query(
      `SELECT a.reference FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.round_id = $1 ORDER BY g.offered_at DESC, g.id`,
      [fx.round.id],
    );
    expect(f.csv.slice(1).map((r) => r[0])).toEqual(expected.map((e) => e.reference));
    expect(f.csv).toHaveLength(1 + grants.length);
    expectSameRows(f);
    // The first grant: its organisation's name as typed in XLSX, neutralised in CSV; amounts in pounds.
    const [{ reference, number }] = await t.dataSource.query(
      `SELECT a.reference, d.year, lpad(d.seq::text, 3, '0') || '-' || d.year AS number
         FROM "grant" g JOIN application a ON a.id = g.application_id JOIN pcc_decision d ON d.id = g.decision_id WHERE g.id = $1`,
      [grants[0].grantId],
    );
    const row = f.xlsx.find((r) => r[0] === reference)!;
    expect(row.slice(1, 7)).toEqual([EVIL, expect.any(Number), 250.5, 'General pot', 'No', 'Accepted']);
    expect(row[10]).toBe(number);
    expect(f.csvText).toContain(`${reference},${EVIL_IN_CSV},`);
    expect(f.csv.find((r) => r[0] === reference)![3]).toBe('250.50');
    // The page links to both.
    const page = await pages.get(`/staff/rounds/${fx.round.id}/grants`).expect(200);
    expect(page.text).toContain(`href="/staff/rounds/${fx.round.id}/grants.csv"`);
    expect(page.text).toContain(`href="/staff/rounds/${fx.round.id}/grants.xlsx"`);
    // The page's permission: finance may not; an unknown round or format is a 404, a bad id too.
    const finance = await signIn(t, officer);
    expect((await finance.get(`/staff/rounds/${fx.round.id}/grants.csv`)).status).toBe(403);
    expect((await finance.get(`/staff/rounds/${fx.round.id}/grants.xlsx`)).status).toBe(403);
    expect((await pages.get(`/staff/rounds/00000000-0000-4000-8000-000000000000/grants.csv`)).status).toBe(404);
    expect((await pages.get(`/staff/rounds/not-an-id/grants.xlsx`)).status).toBe(404);
    expect((await pages.get(`/staff/rounds/${fx.round.id}/grants.pdf`)).status).toBe(404);
  });

  it('gives a round’s assessments with each criterion’s score once submitted, in reference order across batches, audited, to those who moderate', async () => {
    const criteria: { id: string; name: string; scale_min: number; scale_max: number }[] = await t.dataSource.query(
      `SELECT id, name, scale_min, scale_max FROM assessment_criterion WHERE round_id = $1 ORDER BY position`,
      [fx.round.id],
    );
    expect(criteria.length).toBeGreaterThan(1);
    const apps: { id: string; reference: string; organisation_id: string }[] = await t.dataSource.query(
      `SELECT id, reference, organisation_id FROM application WHERE round_id = $1 AND status = 'eligible' ORDER BY reference_seq`,
      [fx.round.id],
    );
    const first = await staffMember(t, 'assessor');
    const second = await staffMember(t, 'assessor');
    await t.dataSource.query(`UPDATE user_account SET full_name = $2 WHERE id = $1`, [second.id, '@Second Assessor']);
    // Each application: the first assessor submitted; the second submitted too, except a draft on the
    // first application (its scores are not shown) and a conflict on the second.
    const insert = async (applicationId: string, assessorId: string, status: string, score: number) => {
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO assessment (round_id, application_id, assessor_id, status, assigned_by, declared_at, conflict_reason, recommendation, recommended_amount_pence, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9, $10) RETURNING id`,
        [
          fx.round.id,
          applicationId,
          assessorId,
          status,
          fx.manager.id,
          status === 'conflicted' ? 'I chair their board' : null,
          status === 'conflicted' ? null : 'fund_in_part',
          status === 'conflicted' ? null : 1_500_00,
          status === 'conflicted' ? '' : `Comment ${score}`,
          status === 'submitted' ? new Date() : null,
        ],
      );
      if (status !== 'conflicted')
        for (const c of criteria)
          await t.dataSource.query(`INSERT INTO assessment_score (assessment_id, criterion_id, score) VALUES ($1, $2, $3)`, [
            id,
            c.id,
            Math.min(score, c.scale_max),
          ]);
    };
    for (const [i, app] of apps.entries()) {
      await insert(app.id, first.id, 'submitted', 3);
      await insert(app.id, second.id, i === 0 ? 'in_progress' : i === 1 ? 'conflicted' : 'submitted', 1);
    }
    await t.dataSource.query(
      `INSERT INTO moderation (application_id, round_id, score_hundredths, reason, moderated_by, moderated_at) VALUES ($1, $2, 7250, 'Panel agreed', $3, now())`,
      [apps[2].id, fx.round.id, fx.manager.id],
    );

    EXPORT_BATCH.size = 3;
    const pages = await signIn(t, fx.manager);
    const before = await auditCount('assessment.round_table_downloaded');
    const f = await both(pages, `/staff/rounds/${fx.round.id}/assessments`);
    expect(await auditCount('assessment.round_table_downloaded')).toBe(before + 2);
    const header = f.csv[0];
    expect(header).toEqual([
      'Reference',
      'Organisation',
      'Assessor',
      'Status',
      'Conflict reason',
      'Submitted at (London time)',
      ...criteria.map((c) => `${c.name} (${c.scale_min} to ${c.scale_max})`),
      'Score (%)',
      'Recommendation',
      'Recommended amount (£)',
      'Comment',
      'Moderated score (%)',
      'Moderation reason',
    ]);
    // Every assessment, by reference and then by assignment, across four batches.
    expect(f.csv).toHaveLength(1 + apps.length * 2);
    expect(f.csv.slice(1).map((r) => r[0])).toEqual(apps.flatMap((a) => [a.reference, a.reference]));
    expectSameRows(f);
    const col = (name: string) => header.indexOf(name);
    const draft = f.xlsx.find((r) => r[0] === apps[0].reference && r[3] === 'In progress')!;
    expect(draft[2]).toBe('@Second Assessor'); // text in XLSX …
    expect(f.csvText).toContain(`'@Second Assessor`); // … neutralised in CSV
    // A draft's scores, recommendation and comment stay the assessor's own.
    expect(draft.slice(6, col('Moderated score (%)')).filter((v) => v !== null && v !== undefined && v !== '')).toEqual([]);
    expect(f.csv.find((r) => r[0] === apps[0].reference && r[3] === 'In progress')!.slice(6, col('Moderated score (%)'))).toEqual(
      header.slice(6, col('Moderated score (%)')).map(() => ''),
    );
    const conflict = f.xlsx.find((r) => r[0] === apps[1].reference && r[3] === 'Conflict declared')!;
    expect(conflict[4]).toBe('I chair their board');
    const submitted = f.xlsx.find((r) => r[0] === apps[2].reference && r[2] === first.fullName)!;
    expect(submitted[6]).toBe(3);
    expect(typeof submitted[col('Score (%)')]).toBe('number');
    expect(submitted[col('Recommendation')]).toBe('Fund in part');
    expect(submitted[col('Recommended amount (£)')]).toBe(1500);
    expect(submitted[col('Comment')]).toBe('Comment 3');
    expect(submitted[col('Moderated score (%)')]).toBe(72.5);
    expect(submitted[col('Moderation reason')]).toBe('Panel agreed');
    expect(f.csv.find((r) => r[0] === apps[2].reference)![col('Moderated score (%)')]).toBe('72.50');
    expect(f.csv.find((r) => r[0] === apps[0].reference)![1]).toBe(`'${EVIL}`);
    // The round's assessment page links to both.
    const page = await pages.get(`/staff/rounds/${fx.round.id}/assessment`).expect(200);
    expect(page.text).toContain(`href="/staff/rounds/${fx.round.id}/assessments.csv"`);
    expect(page.text).toContain(`href="/staff/rounds/${fx.round.id}/assessments.xlsx"`);
    // The page's permission: neither an assessor nor finance.
    for (const who of [first, officer]) {
      const agent = await signIn(t, who);
      expect((await agent.get(`/staff/rounds/${fx.round.id}/assessments.csv`)).status).toBe(403);
      expect((await agent.get(`/staff/rounds/${fx.round.id}/assessments.xlsx`)).status).toBe(403);
    }
  });

  describe('finance’s payments', () => {
    const approve = async (instalmentId: string) => {
      const r = (await apiAs(t, officer.token).post(`/instalments/${instalmentId}/payment-requests`).expect(201)).body;
      await apiAs(t, approver.token).post(`/payment-requests/${r.id}/approve`).expect(200);
      return r.id as string;
    };
    const giveBankDetails = async (g: AcceptedGrant, accountNumber: string) =>
      apiAs(t, g.owner.token)
        .put(`/organisations/${g.organisationId}/bank-details`, { accountName: 'Treasurer', sortCode: '30-94-30', accountNumber })
        .expect(200);
    const verify = async (g: AcceptedGrant) =>
      apiAs(t, officer2.token)
        .post(`/organisations/${g.organisationId}/bank-details/verification`, {
          method: 'call_back_known_number',
          verifiedWith: 'The treasurer, on the number from the application',
          verifiedAt: new Date(Date.now() - 60_000).toISOString(),
        })
        .expect(200);
    const referenceOf = async (grantId: string) =>
      (await t.dataSource.query(`SELECT a.reference FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.id = $1`, [grantId]))[0]
        .reference as string;

    let requestIds: string[];

    beforeAll(async () => {
      requestIds = [];
      for (const g of grants) requestIds.push(await approve(g.instalmentIds[0]));
      // Three with verified bank details; one whose new details hold its payment until verified; one with none.
      for (const [i, g] of grants.slice(0, 4).entries()) await giveBankDetails(g, `0000000${i + 1}`);
      for (const g of grants.slice(0, 3)) await verify(g);
    });

    it('pages the approved payments not yet in a run, those for the next run first, with the totals over all of them', async () => {
      const service = t.app.get(PaymentsService);
      const all = await service.readyForRun({ limit: 50, page: 1 });
      expect(all.items.map((r) => [r.request.id, r.waiting])).toEqual([
        [requestIds[0], null],
        [requestIds[1], null],
        [requestIds[2], null],
        [requestIds[3], 'on_hold'],
        [requestIds[4], 'no_bank_details'],
      ]);
      expect([all.total, all.readyCount, all.readyPence, all.waitingCount]).toEqual([5, 3, 250_50 + 1_000_00 + 300_00, 2]);
      const second = await service.readyForRun({ limit: 2, page: 2 });
      expect(second.items.map((r) => r.request.id)).toEqual(requestIds.slice(2, 4));
      expect([second.total, second.readyCount, second.waitingCount]).toEqual([5, 3, 2]);

      const pages = await signIn(t, officer);
      const page = await pages.get('/finance/payment-runs').expect(200);
      expect(page.text).toContain('3 payments, £1,550.50 in all, can go into the next run; 2 must wait');
      expect(page.text).toContain('5 approved payments, those for the next run first');
      expect(page.text).toContain('href="/finance/payment-runs/ready.csv"');
      expect(page.text).toContain('href="/finance/payment-runs/ready.xlsx"');
      // A page beyond the end shows the totals and no rows; a page that is not a number is refused.
      const beyond = await pages.get('/finance/payment-runs?readyPage=3').expect(200);
      expect(beyond.text).toContain('Create a payment run of £1,550.50');
      expect((await pages.get('/finance/payment-runs?readyPage=abc')).status).toBe(400);
    });

    it('downloads the approved payments across batches, in the page’s order, audited, for finance only', async () => {
      EXPORT_BATCH.size = 2;
      const pages = await signIn(t, approver);
      const before = await auditCount('payments.ready_table_downloaded');
      const f = await both(pages, '/finance/payment-runs/ready');
      expect(await auditCount('payments.ready_table_downloaded')).toBe(before + 2);
      expect(f.csv[0]).toEqual(['Grant', 'Organisation', 'Round', 'Instalment', 'Amount (£)', 'Approved at (London time)', 'Next run']);
      const references = await Promise.all(grants.map((g) => referenceOf(g.grantId)));
      expect(f.csv.slice(1).map((r) => r[0])).toEqual(references);
      expectSameRows(f);
      expect(f.xlsx[1].slice(0, 5)).toEqual([references[0], EVIL, fx.round.name, 1, 250.5]);
      expect(f.csv[1].slice(1, 2)).toEqual([`'${EVIL}`]);
      expect(f.csv[1][6]).toBe('Goes into the next run');
      expect(f.csv[5][6]).toBe('Waits: The organisation has not given bank details');
      for (const role of ['fund_manager', 'assessor'] as const) {
        const agent = await signIn(t, await staffMember(t, role));
        expect((await agent.get('/finance/payment-runs/ready.csv')).status).toBe(403);
        expect((await agent.get('/finance/payment-runs/ready.xlsx')).status).toBe(403);
      }
    });

    it('makes the run of every ready payment from the page, and downloads its payments across batches, audited, for finance only', async () => {
      const pages = await signIn(t, officer);
      const page = await pages.get('/finance/payment-runs?readyPage=2').expect(200);
      const made = await pages
        .post('/finance/payment-runs')
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      expect(made.status).toBe(303);
      const runId = made.headers.location.split('/').pop()!;
      const run = await t.app.get(PaymentsService).getRun(runId);
      // All three that could go, not only those on the page shown.
      expect(run.payments.map((p) => p.requestId).sort()).toEqual(requestIds.slice(0, 3).sort());

      EXPORT_BATCH.size = 2;
      const before = await auditCount('payments.run_table_downloaded');
      const f = await both(pages, `/finance/payment-runs/${runId}/payments`);
      expect(await auditCount('payments.run_table_downloaded')).toBe(before + 2);
      expect(f.csv[0]).toEqual([
        'Payment reference',
        'Grant',
        'Organisation',
        'Amount (£)',
        'Account ending',
        'Result',
        'Paid on',
        'Bank’s reference',
        'Why it failed',
        'Run',
      ]);
      expect(f.csv.slice(1).map((r) => r[0])).toEqual(run.payments.map((p) => p.reference));
      expectSameRows(f);
      const evil = f.xlsx.find((r) => r[2] === EVIL)!;
      expect(evil.slice(3, 6)).toEqual([250.5, '0001', 'In the run']);
      expect(f.csvText).toContain(`,${EVIL_IN_CSV},250.50,0001,In the run,`);
      // The run's page links to both.
      const runPage = await pages.get(`/finance/payment-runs/${runId}`).expect(200);
      expect(runPage.text).toContain(`href="/finance/payment-runs/${runId}/payments.csv"`);
      expect(runPage.text).toContain(`href="/finance/payment-runs/${runId}/payments.xlsx"`);
      for (const role of ['fund_manager', 'auditor'] as const) {
        const agent = await signIn(t, await staffMember(t, role));
        expect((await agent.get(`/finance/payment-runs/${runId}/payments.csv`)).status).toBe(403);
        expect((await agent.get(`/finance/payment-runs/${runId}/payments.xlsx`)).status).toBe(403);
      }
      expect((await pages.get(`/finance/payment-runs/00000000-0000-4000-8000-000000000000/payments.csv`)).status).toBe(404);
    });
  });
});
