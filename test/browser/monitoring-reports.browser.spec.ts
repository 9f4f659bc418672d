import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { acceptGrant, type OfferedGrant, offerVictimsGrants } from '../support/grants';
import type { TestUser } from '../support/identity';
import { setClock } from '../support/rounds';
import { Browsing } from './steps';

/**
 * Monitoring reports in a real browser (issue 12): a grant holder finds the six-month report,
 * now overdue, on the grant's page and submits it (with a mistake first, shown next to the
 * question); a fund manager finds it from the dashboard's count of reports waiting for review, asks for a
 * change without saying what (refused), then approves it; the grant holder sees it approved and
 * the second payment due. Every page passes axe at 1280 and 375 px (see expectAccessiblePage) with
 * no console or CSP problem.
 */
describeInBrowser('monitoring reports in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let grant: OfferedGrant;

  beforeAll(async () => {
    s = await startBrowserSession();
    const offered = await offerVictimsGrants(s.testApp, { n: 1, at: '2026-12-20T12:00:00Z' });
    manager = offered.manager;
    [grant] = offered.grants;
    await acceptGrant(s.testApp, grant, '2026-12-31T12:00:00Z');
    // A week after the six-month report was due (30 June 2027).
    setClock(s.testApp, '2027-07-07T09:00:00Z');
  }, 120_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(() => p.page.close());

  it('a grant holder submits a monitoring report and a fund manager approves it', async () => {
    const { page } = p;
    const heading = `6-month report: ${grant.reference}`;

    // -- The grant holder (a member, not an owner): the report is on the grant's page, overdue.
    await u.signIn(grant.member);
    await u.goto(`/grants/${grant.id}`);
    await u.expectPage(/^Offer of grant to /);
    const reports = u.main().getByRole('table', { name: /Monitoring reports/ });
    expect((await reports.textContent())!.replace(/\s+/g, ' ')).toContain('30 June 2027');
    expect(await reports.textContent()).toContain('Overdue');
    await u.clickAndLoad(u.link('Submit the 6-month report'));
    await u.expectPage(heading);
    await page.getByLabel('What has the project achieved so far?').fill('Forty victims of hate crime came to peer support.');
    await page.getByLabel('How much of the grant have you spent so far?').fill('six hundred');
    await u.clickAndLoad(u.button('Submit the report'));
    await u.expectPage(heading);
    expect(await u.errorSummaryText()).toContain('Enter a short case study');
    expect(await u.errorSummaryText()).toContain('in pounds, like 20,000 or 1,250.50');
    await u.expectErrorsLinkedToFields();
    await page.getByLabel('How much of the grant have you spent so far?').fill('2,400');
    await page.getByLabel('Case study').fill('A woman who had been attacked on a bus now travels to work again.');
    await u.clickAndLoad(u.button('Submit the report'));
    await u.expectPage(heading);
    await u.expectNoErrorSummary();
    expect(await u.main().textContent()).toContain('A fund manager will read the report');
    await u.signOut();

    // -- The fund manager: the report waits for review in the list; a change needs comments; approved.
    await u.signIn(manager);
    await u.goto('/staff');
    await u.clickAndLoad(u.main().getByRole('link', { name: /Waiting for your review/ }));
    await u.expectPage('Monitoring reports');
    expect(u.page.url()).toContain('status=submitted');
    await u.clickAndLoad(
      u
        .main()
        .getByRole('table')
        .getByRole('link', { name: new RegExp(grant.reference) }),
    );
    await u.expectPage(heading);
    expect(await u.main().textContent()).toContain('£2,400');
    await u.clickAndLoad(u.button('Ask for changes'));
    await u.expectPage(heading);
    expect(await u.errorSummaryText()).toContain('Enter what needs to change');
    await u.expectErrorsLinkedToFields();
    await u.clickAndLoad(u.button('Approve the report'));
    await u.expectPage(heading);
    expect(await u.main().textContent()).toContain('Approved on');
    await u.clickAndLoad(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Monitoring reports' }));
    await u.expectPage('Monitoring reports');
    await u.signOut();

    // -- The grant holder: approved, and the second half of the grant is due.
    await u.signIn(grant.owner);
    await u.goto(`/grants/${grant.id}`);
    await u.expectPage(/^Offer of grant to /);
    expect(
      await u
        .main()
        .getByRole('table', { name: /Monitoring reports/ })
        .textContent(),
    ).toContain('Approved');
    await u.clickAndLoad(u.link('See the grant’s payments'));
    await u.expectPage('Payments of the grant');
    expect((await u.main().textContent())!.replace(/\s+/g, ' ')).toMatch(/Due/);
  });

  // Variations ride along here: the same accepted grant, the same two people (cheaper than a browser session of their own).
  it('a grant holder asks to change the grant and a fund manager approves it', async () => {
    const { page } = p;
    await u.signIn(grant.owner);
    await u.goto(`/grants/${grant.id}`);
    await u.expectPage(/^Offer of grant to /);
    await u.clickAndLoad(u.link('Ask to change this grant'));
    await u.expectPage('Ask to change this grant');
    await u.clickAndLoad(u.button('Send the request'));
    await u.expectPage('Ask to change this grant');
    expect(await u.errorSummaryText()).toContain('Enter a new amount, a new end date or a new purpose');
    await u.expectErrorsLinkedToFields();
    await page.getByLabel('What the grant should now pay for (optional)').fill('Peer support on Saturdays as well');
    await page.getByLabel('Why should the grant change?').fill('Families asked for weekend sessions');
    await u.clickAndLoad(u.button('Send the request'));
    await u.expectPage(/^Offer of grant to /);
    expect(
      await u
        .main()
        .getByRole('table', { name: /Variations of the grant/ })
        .textContent(),
    ).toContain('Waiting for a decision');
    await u.signOut();

    await u.signIn(manager);
    await u.goto('/staff');
    await u.clickAndLoad(u.main().getByRole('link', { name: /Grant variations to decide/ }));
    await u.expectPage('Grant variations');
    await u.clickAndLoad(
      u
        .main()
        .getByRole('table')
        .getByRole('link', { name: new RegExp(grant.reference) }),
    );
    await u.expectPage(`Variation 1: ${grant.reference}`);
    await u.clickAndLoad(u.button('Reject the variation'));
    expect(await u.errorSummaryText()).toContain('Enter why the variation is rejected');
    await u.expectErrorsLinkedToFields();
    await u.clickAndLoad(u.button('Approve the variation'));
    await u.expectPage(`Variation 1: ${grant.reference}`);
    expect(await u.main().textContent()).toContain('Approved on');
  });
});
