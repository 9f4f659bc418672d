import { withdrawDemoVictimsFund6Decision } from '../support/demo';
import { seedDemoData } from '../../src/demo/seed';
import { demoPassword } from '../support/database';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { Browsing } from './steps';

/**
 * Issue 11 in a real browser, on the demo's assessed Victims Fund 6: the fund manager runs an
 * allocation, makes an award partial, submits the run and completes the decision record (with a
 * mistake first); the Commissioner approves and publishes it from the dashboard; the owner of the
 * part-funded organisation accepts the offer (with a mistake first); anyone reads it on the public
 * register. Every page passes axe at 1280 and 375 px (see expectAccessiblePage) with no console or
 * CSP problem.
 */
describeInBrowser('decisions and offers in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let vf6: string;
  const person = (email: string) => ({ email, password: demoPassword() });

  beforeAll(async () => {
    s = await startBrowserSession();
    await seedDemoData(s.testApp.app, undefined, demoPassword());
    [{ id: vf6 }] = await s.testApp.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 6'`);
    await withdrawDemoVictimsFund6Decision(s.testApp.app);
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

  it('a run becomes a published decision and an accepted offer', async () => {
    const { page } = p;

    // -- The fund manager: a run, a partial award, submitted for decision.
    await u.signIn(person('fundmanager@example.org'));
    await u.goto(`/staff/rounds/${vf6}/allocation`);
    await u.expectPage('Allocation');
    await page.getByLabel('Quality threshold').fill('40');
    await u.clickAndLoad(u.button('Run the allocation'));
    await u.expectPage('Allocation run');
    await page.getByText('Make an award partial').click();
    const application = page.getByLabel('Application', { exact: true });
    const [first] = await application.locator('option').evaluateAll((os) => (os as unknown as { value: string }[]).map((o) => o.value).filter(Boolean));
    await application.selectOption(first);
    await page.getByLabel('Partial award').fill('1000');
    await u.clickAndLoad(u.button('Make a new run with this partial award'));
    expect(await u.errorSummaryText()).toContain('Enter why the award is less than requested');
    await u.expectErrorsLinkedToFields();
    await u.expectPage('Allocation run');
    await page.getByLabel('Why is it less than requested?').fill('Only the training costs are eligible');
    await u.clickAndLoad(u.button('Make a new run with this partial award'));
    await u.expectPage('Allocation run');
    expect(await u.main().textContent()).toContain('Only the training costs are eligible');
    await u.clickAndLoad(u.button('Submit this run for decision'));
    await u.expectPage('Victims Fund 6: grant awards');
    await u.clickAndLoad(u.button('Edit the record'));
    await u.expectPage('Edit the decision record');
    await page.getByLabel('Reasons').fill('The assessment panel’s scores and the hate crime ring-fence.');
    await page.getByLabel('Confidential annex').fill('A discount the supplier asked us to keep private');
    await u.clickAndLoad(u.button('Save the record'));
    expect(await u.errorSummaryText()).toContain('Enter the exemption');
    await u.expectErrorsLinkedToFields();
    await u.expectPage('Edit the decision record');
    await page.getByLabel('Confidential annex').fill('');
    await u.clickAndLoad(u.button('Save the record'));
    await u.expectPage('Victims Fund 6: grant awards');
    await u.clickAndLoad(u.button('Submit to the Commissioner'));
    await u.expectPage('Victims Fund 6: grant awards');
    expect(await u.main().textContent()).toContain('Waiting for the Commissioner');
    await u.signOut();

    // -- The Commissioner: from the dashboard, approve, then publish.
    await u.signIn(person('commissioner@example.org'));
    await u.goto('/staff');
    await u.clickAndLoad(u.main().getByRole('link', { name: /Waiting for your approval/ }));
    await u.expectPage('Decision records');
    await u.clickAndLoad(u.main().getByRole('table').getByRole('link').first());
    await u.expectPage('Victims Fund 6: grant awards');
    await u.clickAndLoad(u.button('Approve the decision'));
    await u.expectPage('Victims Fund 6: grant awards');
    await u.clickAndLoad(u.button('Publish on the register'));
    await u.expectPage('Victims Fund 6: grant awards');
    expect(await u.main().textContent()).toContain('Published');
    const number = (await page.locator('.govuk-caption-l').textContent())!.replace('PCC Decision', '').trim();
    await u.signOut();

    // -- The part-funded organisation's owner accepts the offer.
    const [{ email }] = await s.testApp.dataSource.query(
      `SELECT u.email FROM application a JOIN organisation_membership m ON m.organisation_id = a.organisation_id AND m.role = 'owner'
        JOIN user_account u ON u.id = m.user_id WHERE a.id = $1`,
      [first],
    );
    await u.signIn(person(email));
    await u.goto('/grants');
    await u.expectPage('Your grants');
    await u.clickAndLoad(u.main().getByRole('link').first());
    await u.expectPage(/^Offer of grant to /);
    expect(await u.main().textContent()).toContain(`PCC Decision ${number}`);
    await page.getByLabel('Your full name').fill('Sam Contact');
    await u.clickAndLoad(u.button('Accept the grant'));
    expect(await u.errorSummaryText()).toContain('Confirm that you accept the grant on its conditions');
    await u.expectErrorsLinkedToFields();
    await u.expectPage(/^Offer of grant to /);
    await page.getByRole('checkbox').check();
    await u.clickAndLoad(u.button('Accept the grant'));
    await u.expectPage(/^Offer of grant to /);
    expect(await page.locator('.govuk-panel').textContent()).toContain('Accepted by Sam Contact');
    await u.clickAndLoad(u.link('See the grant’s payments'));
    await u.expectPage('Payments of the grant');
    await u.signOut();

    // -- The fund manager: the round's grants (the accepted offer) and the demo's delegated awards.
    await u.signIn(person('fundmanager@example.org'));
    await u.goto(`/staff/rounds/${vf6}/grants`);
    await u.expectPage('Grants');
    expect(await u.main().textContent()).toContain('Accepted');
    const [{ id: budgetDecision }] = await s.testApp.dataSource.query(`SELECT id FROM pcc_decision WHERE title = 'Active Citizens Budget'`);
    await u.goto(`/staff/decisions/${budgetDecision}`);
    await u.expectPage('Active Citizens Budget');
    await u.clickAndLoad(u.link('Delegated awards under this decision'));
    await u.expectPage('Delegated awards');
    await u.signOut();

    // -- Anyone: the public register lists it; its page shows the awards.
    await u.goto('/decisions');
    await u.expectPage('Decisions of the Police and Crime Commissioner');
    await u.clickAndLoad(u.main().getByRole('link', { name: new RegExp(`PCC Decision ${number}`) }));
    await u.expectPage('Victims Fund 6: grant awards');
    expect(await u.main().textContent()).toContain('£1,000');
    await u.goto('/decisions');
    await u.clickAndLoad(u.link('forward plan'));
    await u.expectPage('Forward plan of decisions');
  });
});
