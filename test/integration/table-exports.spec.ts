import ExcelJS from 'exceljs';
import request from 'supertest';
import { signIn } from '../support/identity';
import { apiAs, paymentsFixture, type Staff } from '../support/payments';
import { staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 13's streamed exports: a staff table downloads as CSV and as XLSX with the same rows; in
 * XLSX, text that would be a formula stays text and amounts are numbers; in CSV, formula-like text
 * gets its apostrophe. The round's applications and its ledger.
 */
describe('staff tables as CSV and XLSX (issue 13)', () => {
  let t: TestApp;
  let officer: Staff;
  let fx: Awaited<ReturnType<typeof paymentsFixture>>;

  beforeAll(async () => {
    t = await startTestApp();
    officer = await staffMember(t, 'finance_officer');
    fx = await paymentsFixture(t, { applications: 6 });
    await fx.acceptGrant(250_50);
    await t.dataSource.query(
      `UPDATE organisation SET name = '=HYPERLINK("http://evil.example")' WHERE id IN (SELECT organisation_id FROM application WHERE round_id = $1 LIMIT 1)`,
      [fx.round.id],
    );
  });
  afterAll(() => t.close());

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
    expect(evil[1]).toBe('=HYPERLINK("http://evil.example")'); // a string cell, exactly as typed
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    // The page links to both.
    const page = await pages.get(`/staff/rounds/${fx.round.id}/applications`).expect(200);
    expect(page.text).toContain(`/staff/rounds/${fx.round.id}/applications.xlsx`);
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
});
