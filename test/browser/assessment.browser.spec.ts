import { Clock } from '../../src/platform/clock';
import { seedRoundApplications } from '../support/application-lists';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { type StaffMember, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { Browsing } from './steps';

const AFTER_CLOSE = new Date('2027-01-20T10:00:00Z');
const SECRET = 'We will run a drop-in for victims of hate crime in Walsall';

/**
 * Assessment in a real browser (issue 10): a fund manager assigns a closed round's application
 * automatically; the assessor declares no conflict, scores with a mistake, saves a draft, comes
 * back to it from their list, recommends funding in part with an amount and
 * submits; the fund manager reads the ranking, moderates the score and runs an allocation. Every page passes axe at
 * 1280 and 375 px (see expectAccessibleTemplate) with no console or CSP problem.
 */
describeInBrowser('assessment in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: StaffMember;
  let assessor: StaffMember;
  let roundId: string;
  let reference: string;

  beforeAll(async () => {
    s = await startBrowserSession();
    const t = s.testApp;
    const programmeId = (await seedFunds(t)).VF;
    manager = await staffMember(t, 'fund_manager');
    assessor = await staffMember(t, 'assessor');
    const round = await createPublishedRound(
      t,
      manager,
      roundBody(programmeId, {
        assessorsPerApplication: 1,
        criteria: [
          { name: 'Need', guidance: 'Evidence that victims need this', weight: 3, scaleMin: 0, scaleMax: 4 },
          { name: 'Delivery', guidance: 'A realistic plan', weight: 7, scaleMin: 1, scaleMax: 10 },
        ],
      }),
    );
    roundId = round.id;
    await seedRoundApplications(t.dataSource, {
      roundId,
      prefix: round.referencePrefix,
      n: 1,
      createdBy: manager.id,
      categories: ['hate_crime'],
      tag: round.referencePrefix,
    });
    const form = round.form as { sections: { questions: { id: string; type: string }[] }[] };
    const question = form.sections.flatMap((x) => x.questions).find((q) => q.type === 'long_text')!;
    // Answers are frozen once submitted (a database trigger), so they go in while it is a draft.
    await t.dataSource.query(`UPDATE application SET status = 'draft' WHERE round_id = $1`, [roundId]);
    await t.dataSource.query(`UPDATE application SET answers = jsonb_build_object($2::text, $3::text) WHERE round_id = $1`, [roundId, question.id, SECRET]);
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1`, [roundId]);
    [{ reference }] = await t.dataSource.query(`SELECT reference FROM application WHERE round_id = $1`, [roundId]);
    t.app.get(Clock).set(AFTER_CLOSE);
  }, 120_000);
  afterAll(async () => {
    s?.testApp.app.get(Clock).set(null);
    await s?.close();
  });

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(() => p.page.close());

  it('an assessor declares, scores, saves, comes back and submits; a fund manager ranks, moderates and allocates', async () => {
    const { page } = p;

    // -- The fund manager assigns the closed round's applications from its ranking page.
    await u.signIn(manager);
    await u.goto(`/staff/rounds/${roundId}`);
    await u.clickAndLoad(u.link('Assessment and ranking'));
    await u.expectPage('Assessment and ranking');
    await u.clickAndLoad(u.button('Assign assessors automatically'));
    await u.expectPage('Assessment and ranking');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('1 assignment made');
    await u.signOut();

    // -- The assessor: from the dashboard to the list, then the declaration.
    await u.signIn(assessor);
    await u.goto('/staff');
    await u.clickAndLoad(u.main().getByRole('link', { name: /Waiting for you to declare your interests/ }));
    await u.expectPage('My assessments');
    await u.clickAndLoad(u.link(reference));
    await u.expectPage(new RegExp(`^${reference}: `));
    expect(await u.main().textContent()).not.toContain(SECRET);
    await u.clickAndLoad(u.button('Continue'));
    expect(await u.errorSummaryText()).toContain('Select whether you have a conflict of interest');
    await u.expectErrorsLinkedToFields();
    await u.expectPage(new RegExp(`^${reference}: `));
    await page.getByLabel('No', { exact: true }).check();
    await u.clickAndLoad(u.button('Continue'));
    await u.expectPage(new RegExp(`^${reference}: `));
    expect(await u.main().textContent()).toContain(SECRET);

    // -- A draft with a mistake: the top of the scale needs a comment.
    await page.getByLabel('Score for Need').fill('4');
    await u.clickAndLoad(u.button('Save as draft'));
    await u.expectPage(new RegExp(`^${reference}: `));
    expect(await u.errorSummaryText()).toContain('Need: Explain a score of 4');
    await u.expectErrorsLinkedToFields();
    expect(await page.getByLabel('Score for Need').inputValue()).toBe('4');
    await page.getByLabel('Comment on Need').fill('Police figures show hate crime rising in the area');
    await page.getByLabel('Score for Delivery').fill('7');
    await u.clickAndLoad(u.button('Save as draft'));
    await u.expectNoErrorSummary();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('saved as a draft');

    // -- Back later from the list: the draft is there; funding in part, with the amount.
    await u.goto('/staff/assessments');
    await u.expectPage('My assessments');
    await u.clickAndLoad(u.link(reference));
    expect(await page.getByLabel('Score for Delivery').inputValue()).toBe('7');
    await page.getByLabel('Fund in part').check();
    await page.getByLabel('If funding in part, how much would you fund?').fill('500');
    await page.getByLabel('Why do you recommend this?').fill('Good plan; the venue costs are high');
    await u.clickAndLoad(u.button('Submit assessment'));
    await u.expectPage(new RegExp(`^${reference}: `));
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Your assessment is submitted');
    const summary = await u.main().textContent();
    expect(summary).toContain('Fund in part (£500)');
    // 3·4/4 + 7·6/9 = 3 + 4.6667 = 7.6667 of 10 → 76.67%.
    expect(summary).toContain('76.67%');
    await u.signOut();

    // -- The fund manager: the ranking, then the application's assessments and a moderated score.
    await u.signIn(manager);
    await u.goto(`/staff/rounds/${roundId}/assessment`);
    await u.expectPage('Assessment and ranking');
    expect(await u.main().textContent()).toContain('1 of 1 assessment submitted');
    await u.clickAndLoad(u.link('Declarations of interest in this round'));
    await u.expectPage('Declarations of interest');
    expect(await page.locator('tbody').textContent()).toContain('No conflict');
    await u.goto(`/staff/rounds/${roundId}/assessment`);
    expect(await page.locator('table').last().textContent()).toContain('76.67%');
    await u.clickAndLoad(u.link(reference));
    await u.expectPage(`Assessments of ${reference}`);
    await u.clickAndLoad(u.button('Save the moderated score'));
    expect(await u.errorSummaryText()).toContain('Enter the moderated score as a percentage');
    await u.expectErrorsLinkedToFields();
    await u.expectPage(`Assessments of ${reference}`);
    await page.getByLabel('Moderated score').fill('70');
    await page.getByLabel('Reason', { exact: true }).fill('Need is strong but the costs are high');
    await u.clickAndLoad(u.button('Save the moderated score'));
    await u.expectPage(`Assessments of ${reference}`);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The moderated score is saved');
    await u.goto(`/staff/rounds/${roundId}/assessment`);
    expect(await page.locator('table').last().textContent()).toContain('70.00%');

    // -- The ranking is ready, so the fund manager runs an allocation (issue 11), first with a mistake.
    await u.clickAndLoad(u.link('Allocation: recommend awards from the ranking'));
    await u.expectPage('Allocation');
    await page.getByLabel('Quality threshold').fill('lots');
    await u.clickAndLoad(u.button('Run the allocation'));
    expect(await u.errorSummaryText()).toContain('Enter the threshold as a percentage');
    await u.expectErrorsLinkedToFields();
    await u.expectPage('Allocation');
    await page.getByLabel('Quality threshold').fill('50');
    await u.clickAndLoad(u.button('Run the allocation'));
    await u.expectPage('Allocation run');
    expect(await page.locator('table').last().textContent()).toContain('Funded from the Victims of hate crime ring-fence');
  });
});
