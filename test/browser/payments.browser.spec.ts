import { seedDemoData } from '../../src/demo/seed';
import { demoPassword } from '../support/database';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { Browsing } from './steps';

/**
 * Issue 12 in a real browser, on the demo's Active Citizens grants: a grant holder changes their
 * organisation's bank details (with a mistake first); a finance officer verifies another
 * organisation's change (revealing the account, with a mistake first), asks for its payment; a
 * finance approver approves it; the officer makes a payment run, downloads the file for the
 * finance system and records the payment as paid (with a mistake first); the ledger shows it.
 * Every page passes axe at 1280 and 375 px (see expectAccessiblePage) with no console or CSP problem.
 */
describeInBrowser('payments in a real browser (Chromium)', () => {
  let s: BrowserSession;
  const person = (email: string) => ({ email, password: demoPassword() });
  let tipton: { grantId: string; organisationId: string; owner: string };
  let bilstonGrant: string;

  beforeAll(async () => {
    s = await startBrowserSession();
    await seedDemoData(s.testApp.app, undefined, demoPassword());
    const [row] = await s.testApp.dataSource.query(
      `SELECT g.id AS grant_id, o.id AS organisation_id, u.email FROM "grant" g JOIN application a ON a.id = g.application_id
         JOIN organisation o ON o.id = a.organisation_id JOIN organisation_membership m ON m.organisation_id = o.id AND m.role = 'owner'
         JOIN user_account u ON u.id = m.user_id WHERE o.name = 'Tipton Community Clean-up'`,
    );
    tipton = { grantId: row.grant_id, organisationId: row.organisation_id, owner: row.email };
    [{ id: bilstonGrant }] = await s.testApp.dataSource.query(
      `SELECT g.id FROM "grant" g JOIN application a ON a.id = g.application_id JOIN organisation o ON o.id = a.organisation_id WHERE o.name = 'Bilston Community Café'`,
    );
  }, 180_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(() => p.page.close());

  it('a grant holder changes their bank details; finance verifies a change, requests, approves, runs, exports and records a payment', async () => {
    const { page } = p;

    // -- The grant holder: from the grant's payments to the bank details, a mistake, then saved.
    await u.signIn(person(tipton.owner));
    await u.goto(`/grants/${tipton.grantId}/payments`);
    await u.expectPage('Payments of the grant');
    expect(await u.main().textContent()).toContain('Paid so far: £800.');
    await u.clickAndLoad(u.link('your organisation’s bank account'));
    await u.expectPage('Bank details');
    expect(await u.main().textContent()).toContain('Verified');
    await page.getByLabel('Name on the account').fill('Tipton Community Clean-up');
    await page.getByLabel('Sort code').fill('12-34');
    await page.getByLabel('Account number').fill('87654321');
    await u.clickAndLoad(u.button('Save bank details'));
    await u.expectPage('Bank details');
    expect(await u.errorSummary()).toEqual([{ text: 'Enter a valid sort code like 309430', href: '#sortCode' }]);
    await u.expectErrorsLinkedToFields();
    await page.getByLabel('Sort code').fill('12-34-56');
    await u.clickAndLoad(u.button('Save bank details'));
    await u.expectPage('Bank details');
    const saved = (await u.main().textContent()) ?? '';
    expect(saved).toContain('Bank details saved');
    expect(saved).toContain('Ending 4321');
    expect(saved).toContain('Waiting for verification');
    expect(saved).not.toContain('87654321');
    await u.signOut();

    // -- The finance officer: the dashboard's queue, Bromford's change revealed and verified.
    await u.signIn(person('finance@example.org'));
    await u.goto('/staff');
    await u.clickAndLoad(u.main().getByRole('link', { name: /Bank details changes to verify/ }));
    await u.expectPage('Bank details to verify');
    expect(await u.main().textContent()).toContain('Tipton Community Clean-up');
    await u.clickAndLoad(u.link('Bromford Lane Street Pastors'));
    await u.expectPage('Bank details');
    expect(await u.main().textContent()).toContain('••••2490');
    await u.clickAndLoad(u.button('Show the full account details'));
    await u.expectPage('Bank details');
    expect(await u.main().textContent()).toContain('70872490');
    await page.getByLabel('Who confirmed them, and how you reached them').fill('The treasurer, on the number from the application');
    await u.clickAndLoad(u.button('Record the verification'));
    await u.expectPage('Bank details');
    const problems = (await u.errorSummary()).map((e) => e.text);
    expect(problems).toEqual([
      'Select how you confirmed the new details',
      'Enter the date you confirmed the details',
      'Enter the time you confirmed the details, like 09:00 or 23:59',
    ]);
    await u.expectErrorsLinkedToFields();
    await page.getByLabel('Called back on a phone number we already held').check();
    const now = new Date();
    await u.fillDate(page.getByRole('group', { name: 'Date you confirmed them' }), {
      day: now.getUTCDate(),
      month: now.getUTCMonth() + 1,
      year: now.getUTCFullYear(),
    });
    await page.getByLabel('Time you confirmed them (London time)').fill('00:01');
    await u.clickAndLoad(u.button('Record the verification'));
    await u.expectPage('Bank details');
    expect(await u.main().textContent()).toContain('Verified');

    await u.goto('/finance/payments');
    await u.expectPage('Payments due');
    await u.clickAndLoad(u.main().getByRole('button', { name: /Request payment of £1,950 to Bromford Lane Street Pastors/ }));
    await u.expectPage('Payments due');
    await u.signOut();

    // -- The finance approver approves it.
    await u.signIn(person('financeapprover@example.org'));
    await u.goto('/finance/payment-requests?status=pending');
    await u.expectPage('Payment requests');
    await u.clickAndLoad(u.main().getByRole('link', { name: /ACF27/ }).first());
    await u.expectPage(/^Payment request: ACF27-/);
    await u.clickAndLoad(u.button('Approve the payment'));
    expect(await u.main().textContent()).toContain('Approved');
    await u.signOut();

    // -- The officer: a run, its file, the bank's result (a mistake first), the ledger.
    await u.signIn(person('finance@example.org'));
    await u.goto('/finance/payment-runs');
    await u.expectPage('Payment runs');
    await u.clickAndLoad(u.button('Create a payment run of £1,950'));
    await u.expectPage('Payment run PR-0003');
    const file = await page.request.get(u.url(`${u.path()}/export.csv`));
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toContain('payment-run-PR-0003.csv');
    const lines = (await file.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Payee,Sort code,Account number,Amount (£),Payment reference,Grant,Cost centre,Run,Payment ID');
    expect(lines[1]).toMatch(/^Bromford Lane Street Pastors CIO,40-47-84,70872490,1950\.00,ACF27-\d{4}-1,ACF27-\d{4},PCC-POCA-4620,PR-0003,/);
    await u.clickAndLoad(u.main().getByRole('link', { name: /Record the result/ }));
    await u.expectPage(/^Record the result of payment ACF27-/);
    await page.getByLabel('Bank’s reference for the payment').fill('BACS-0003-1');
    await u.clickAndLoad(u.button('Record as paid'));
    expect(await u.errorSummary()).toEqual([{ text: 'Enter the date the payment was made', href: '#paidOn-day' }]);
    await u.expectErrorsLinkedToFields();
    await u.fillDate(page.getByRole('group', { name: 'Date it was paid' }), {
      day: now.getUTCDate(),
      month: now.getUTCMonth() + 1,
      year: now.getUTCFullYear(),
    });
    await u.clickAndLoad(u.button('Record as paid'));
    await u.expectPage('Payment run PR-0003');
    expect(await u.main().textContent()).toContain('BACS-0003-1');

    await u.goto('/finance/ledger');
    await u.expectPage('Ledger');
    await u.clickAndLoad(u.link('Active Citizens Fund 2026/27'));
    await u.expectPage('Active Citizens Fund 2026/27');
    const ledger = (await u.main().textContent()) ?? '';
    expect(ledger).toContain('Ring-fence: Birmingham share');
    expect(ledger).toContain('£400'); // Bilston's repayment, back in the pot
    await u.signOut();

    // -- The fund manager on a paid grant's payments: the money paid back, and the form to ask for more.
    await u.signIn(person('fundmanager@example.org'));
    await u.goto(`/grants/${bilstonGrant}/payments`);
    await u.expectPage('Payments of the grant');
    expect(await u.main().textContent()).toContain('The café closed for two months');
    await page.getByLabel('How much must be paid back').fill('5000');
    await page.getByLabel('Why').fill('Everything');
    await u.clickAndLoad(u.button('Record the money owed'));
    await u.expectPage('Payments of the grant');
    expect((await u.errorSummary())[0]).toEqual({ text: expect.stringContaining('has been paid on this grant and not already asked back'), href: '#amount' });
  });
});
