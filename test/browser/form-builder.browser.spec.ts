import { VICTIMS_FUND_7_SETTINGS } from '../../src/demo/demo-rounds';
import { RoundsService } from '../../src/modules/funds/rounds.service';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { createUser, type TestUser } from '../support/identity';
import { seedFunds } from '../support/rounds';
import { Browsing } from './steps';

/**
 * Issue 9, done when: a fund manager builds a round with every question type through the form
 * builder and previews it — in a real browser with GOV.UK Frontend's JavaScript (the type's own
 * settings are revealed under its radio). Every page passes axe at 1280 and 375 px with no console
 * error, script error or CSP violation.
 */
describeInBrowser('the form builder in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let roundId: string;

  beforeAll(async () => {
    s = await startBrowserSession();
    const { VF } = await seedFunds(s.testApp);
    manager = await createUser(s.testApp, ['fund_manager']);
    const round = await s.testApp.app.get(RoundsService).create({
      programmeId: VF,
      name: 'Browser Form Round',
      referencePrefix: 'BFR',
      summary: 'A round whose form is built in the browser.',
      opensAt: new Date('2030-03-01T09:00:00Z'),
      closesAt: new Date('2030-04-15T23:59:00Z'),
      ...VICTIMS_FUND_7_SETTINGS,
    });
    roundId = round.id;
  }, 120_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(() => p.page.close());

  // One fund manager's session through three steps, each starting where the last left off (the
  // browser context keeps the sign-in; Jest runs a file's tests in order). Split so that each
  // step has its own time limit on a busy machine.
  const outline = () => `/staff/rounds/${roundId}/form`;

  it('a fund manager adds a section with a question of every type, then previews it', async () => {
    const { page } = u;
    await u.signIn(manager);
    const outline = `/staff/rounds/${roundId}/form`;
    await u.goto(outline);
    await u.expectPage('Application form');

    // -- A new section, with its first question.
    await u.clickAndLoad(u.button('Add a section'));
    await u.expectPage('Add a section');
    await page.getByLabel('Add a section').fill('About your volunteers');
    await u.clickAndLoad(u.button('Continue'));
    await u.expectPage('Add a question');
    await page.getByLabel('Question', { exact: true }).fill('Name of your volunteer lead');
    await page.getByRole('radio', { name: 'Short text', exact: true }).check();
    await page.locator('#shortMaxLength').fill('80');
    await u.clickAndLoad(u.button('Save question'));
    expect(u.path()).toBe(outline);
    await u.expectPage('Application form');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Question saved');

    // -- A question that cannot be saved: the problem is shown next to the options, and what was typed is kept.
    const addQuestion = () => u.clickAndLoad(u.link('Add a question to About your volunteers'));
    await addQuestion();
    await page.getByLabel('Question', { exact: true }).fill('How are volunteers recruited?');
    await page.getByRole('radio', { name: 'Single choice', exact: true }).check();
    await page.locator('#options').fill('Word of mouth');
    await u.clickAndLoad(u.button('Save question'));
    await u.expectPage('Add a question');
    expect(await u.errorSummary()).toEqual([{ text: 'Enter at least two options, one on each line', href: '#options' }]);
    await u.expectErrorsLinkedToFields();
    expect(await page.locator('#options').inputValue()).toBe('Word of mouth');
    expect(await page.getByLabel('Question', { exact: true }).inputValue()).toBe('How are volunteers recruited?');
    await page.locator('#options').fill('Word of mouth\nAdverts\nReferrals');
    await u.clickAndLoad(u.button('Save question'));
    await u.expectPage('Application form');

    // -- Every other type, each with its own settings where it has any.
    const others: { type: string; label: string; settings?: Record<string, string> }[] = [
      { type: 'Long text', label: 'What will volunteers do?', settings: { '#longWordLimit': '200' } },
      { type: 'Number', label: 'How many volunteers?', settings: { '#numberMin': '1', '#numberMax': '500' } },
      { type: 'Money', label: 'How much are volunteer expenses?', settings: { '#moneyMax': '2,500' } },
      { type: 'Date', label: 'When will volunteers start?' },
      { type: 'Yes or no', label: 'Are your volunteers trained?' },
      { type: 'Multiple choice', label: 'Which days do they work?', settings: { '#options': 'Weekdays\nWeekends' } },
      { type: 'Address', label: 'Where do volunteers meet?' },
      { type: 'File upload', label: 'Upload your volunteer policy' },
    ];
    for (const q of others) {
      await addQuestion();
      await u.expectPage('Add a question');
      await page.getByLabel('Question', { exact: true }).fill(q.label);
      await page.getByRole('radio', { name: q.type, exact: true }).check();
      for (const [field, value] of Object.entries(q.settings ?? {})) await page.locator(field).fill(value);
      if (q.type === 'Date') await page.getByRole('radio', { name: 'No, it is optional' }).check();
      await u.clickAndLoad(u.button('Save question'));
      expect(await u.errorSummaryText()).toBe('');
      await u.expectPage('Application form');
    }
    const rows = await page
      .locator('table', { has: page.locator('caption', { hasText: 'About your volunteers' }) })
      .locator('tbody tr')
      .allTextContents();
    expect(rows).toHaveLength(10);
    expect(rows[2]).toMatch(/What will volunteers do\?\s*Long text, up to 200 words\s*Required/);
    expect(rows[4]).toMatch(/How much are volunteer expenses\?\s*Money, at most £2,500\s*Required/);
    expect(rows[5]).toMatch(/When will volunteers start\?\s*Date\s*Optional/);

    // -- The section as applicants will see it.
    await u.clickAndLoad(u.link('Preview section About your volunteers'));
    await u.expectPage('About your volunteers');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('This is how applicants will see this section');
    for (const label of ['Name of your volunteer lead', 'How many volunteers?', 'How much are volunteer expenses?', 'Upload your volunteer policy'])
      expect(await page.getByLabel(label).count()).toBe(1);
    for (const legend of [
      'How are volunteers recruited?',
      'When will volunteers start? (optional)',
      'Are your volunteers trained?',
      'Which days do they work?',
      'Where do volunteers meet?',
    ])
      expect(await page.getByRole('group', { name: legend }).count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'Adverts' }).count()).toBe(1);
    expect(await page.locator('main form').count()).toBe(0);
    await u.clickAndLoad(u.link('Back to the application form'));
    await u.expectPage('Application form');
  });

  it('then adds a ring-fence by name and in pounds, with the add-another pattern', async () => {
    const { page } = u;
    await u.goto(outline());
    await u.expectPage('Application form');
    await u.clickAndLoad(u.link('Change the ring-fences'));
    await u.expectPage('Ring-fences');
    await u.clickAndLoad(u.button('Add another ring-fence'));
    await u.expectPage('Ring-fences');
    const second = page.getByRole('group', { name: 'Ring-fence 2' });
    await second.getByLabel('Name').fill('Domestic abuse');
    await second.getByLabel('Amount kept for it').fill('40,000');
    await second.getByLabel('Which applications qualify').selectOption({ label: 'Domestic abuse' });
    await u.clickAndLoad(u.button('Save ring-fences'));
    expect(await u.errorSummaryText()).toBe('');
    await u.expectPage('Application form');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Ring-fences saved');
  });

  it('then renames the section, removes a question after confirming, and finds the import page', async () => {
    const { page } = u;
    await u.goto(outline());
    await u.expectPage('Application form');
    await u.clickAndLoad(u.link('Change section title About your volunteers'));
    await u.expectPage('Change a section');
    await page.getByLabel('Change a section').fill('Your volunteers');
    await u.clickAndLoad(u.button('Save section'));
    await u.expectPage('Application form');
    await u.clickAndLoad(u.link('Remove question Upload your volunteer policy'));
    await u.expectPage('Are you sure you want to remove the question “Upload your volunteer policy”?');
    await u.clickAndLoad(u.button('Yes, remove it'));
    await u.expectPage('Application form');
    expect(
      await page
        .locator('table', { has: page.locator('caption', { hasText: 'Your volunteers' }) })
        .locator('tbody tr')
        .count(),
    ).toBe(9);
    await u.clickAndLoad(u.link('Import a form from JSON'));
    await u.expectPage('Import an application form');
  });
});
