import type { Locator } from 'playwright-core';
import request from 'supertest';
import { ApplicationsService } from '../../src/modules/applications/applications.service';
import { RoundsService } from '../../src/modules/funds/rounds.service';
import { OrganisationType } from '../../src/modules/identity/entities/organisation.entity';
import { OrganisationsService } from '../../src/modules/identity/organisations.service';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { demoPassword } from '../support/database';
import { createUser, csrfFrom, signIn as signInAgent, tokenFor, type TestUser } from '../support/identity';
import { Browsing, emailsTo } from './steps';

/** What page functions (run in the browser) use of an element: the project compiles without the DOM lib. */
interface DomElement {
  textContent: string;
  querySelector(selector: string): DomElement;
}

/** A tiny but real PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const TASKS_NOT_STARTED = {
  'About your project': 'Not started',
  Funding: 'Not started',
  'Helping victims': 'Not started',
  Documents: 'Not started',
  'Check answers and submit': 'Cannot start yet',
};

/**
 * Applying for a grant on the demo round, in a real browser, as independent tests that each start
 * from the demo data (a copy of the run's demo template): the funds list, the round page and its
 * eligibility checker signed out; starting, through sign-in; every question page (with a
 * save-and-come-back-later, a sign-out and a sign-in in the middle), an upload refused for its
 * content and its size and then a real PDF; check answers with a "Change" link, the declaration,
 * submitting, the reference and the receipt in the mailbox; the core of it on a 375 px phone
 * screen, by a new organisation, with a withdrawal. Every page template visited is checked by axe
 * (WCAG 2.2 A/AA) at desktop and phone widths, and no page may log a console error, script error,
 * CSP violation or failed sub-resource.
 */
describeInBrowser('applying for a grant in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let mailboxToken: string;
  let vf7Id: string;

  beforeAll(async () => {
    // Victims Fund 7 (open, with 48 applications) and the demo users.
    s = await startBrowserSession({ demo: true });
    // The mailbox API is for admins only: an API token lets the test read what the service sent.
    mailboxToken = await tokenFor(s.testApp, await createUser(s.testApp, ['admin']));
    vf7Id = (await s.testApp.app.get(RoundsService).list({ publishedOnly: true })).find((r) => r.name === 'Victims Fund 7')!.id;
  }, 120_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(async () => {
    await p.page.close();
  });

  const url = (path: string) => `${s.baseUrl}${path}`;
  const emails = (address: string) => emailsTo(s, mailboxToken, address);

  /** The task list's rows: section name → status text. */
  async function taskStatuses(): Promise<Record<string, string>> {
    const rows: [string, string][] = await p.page
      .locator('.govuk-task-list__item')
      .evaluateAll((items) =>
        (items as unknown as DomElement[]).map((li) => [
          li.querySelector('.govuk-task-list__name-and-hint > a, .govuk-task-list__name-and-hint > div').textContent.trim(),
          li.querySelector('.govuk-task-list__status').textContent.trim(),
        ]),
      );
    return Object.fromEntries(rows);
  }

  async function addOrganisation(user: TestUser, name: string): Promise<string> {
    const account = await s.testApp.app.get(UsersService).findActive(user.id);
    const org = await s.testApp.app.get(OrganisationsService).create(toPrincipal(account!, 'session'), {
      name,
      type: OrganisationType.UnincorporatedGroup,
      addressLine1: '3 Soho Road',
      town: 'Birmingham',
      postcode: 'B21 9SN',
      area: 'E08000025',
      contactName: user.fullName,
      contactEmail: user.email,
    });
    return org.id;
  }

  /**
   * A draft to Victims Fund 7 with every question answered (as the pages below answer them), made
   * through the API as a client would, so a test can start at check answers.
   */
  async function completedDraft(user: TestUser, organisationId: string): Promise<string> {
    const auth = { Authorization: `Bearer ${await tokenFor(s.testApp, user)}` };
    const api = () => request(s.testApp.http);
    const { id } = (await api().post('/api/v1/applications').set(auth).send({ roundId: vf7Id, organisationId }).expect(201)).body as { id: string };
    const file = await api()
      .post(`/api/v1/applications/${id}/attachments`)
      .set(auth)
      .field('questionId', 'safeguardingPolicy')
      .attach('file', PDF, { filename: 'Safeguarding policy 2026.pdf', contentType: 'application/pdf' })
      .expect(201);
    const answers = {
      projectTitle: 'Hate crime advocates for Bromford',
      projectSummary: 'Weekly drop-in advocacy sessions for people targeted because of who they are, in Aston and Lozells.',
      category: 'hate_crime',
      areasServed: ['E08000025', 'E08000028'],
      amountRequested: 1_250_000,
      projectStart: '2027-04-01',
      budget: 'Two part-time advocates, venue hire and interpreters.',
      otherFunding: false,
      victimsSupported: 40,
      outcomes: 'They will report what happened, get practical help and feel safer.',
      deliveryAddress: { line1: 'Aston Community Hub, 1 Witton Road', town: 'Birmingham', postcode: 'B6 6JB' },
      safeguardingPolicy: (file.body as { id: string }).id,
    };
    await api().patch(`/api/v1/applications/${id}`).set(auth).send({ answers }).expect(200);
    return id;
  }

  /** From /funds to the task list of a new application to Victims Fund 7. */
  async function findRoundAndStart(organisation?: string): Promise<string> {
    await u.goto('/funds');
    await u.expectPage('Funds you can apply to');
    const vf7 = p.page.locator('.govuk-summary-card', { hasText: 'Victims Fund 7' });
    expect(await vf7.textContent()).toMatch(/Closes at 11:59pm on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} \w+ \d{4}/);
    await u.clickAndLoad(u.link('Victims Fund 7'));
    await u.expectPage('Victims Fund 7');
    await u.clickAndLoad(u.button('Start your application'));
    if (organisation) {
      // Someone in several organisations is asked which one is applying; not choosing is an error.
      await u.expectPage('Start your application');
      const which = p.page.getByRole('group', { name: 'Which organisation are you applying for?' });
      await u.clickAndLoad(u.button('Start your application'));
      await u.expectPage('Start your application');
      expect(await u.errorSummary()).toEqual([{ text: 'Select the organisation you are applying for', href: '#organisationId' }]);
      await u.expectErrorsLinkedToFields();
      await which.getByLabel(organisation).check();
      await u.clickAndLoad(u.button('Start your application'));
    }
    expect(p.page.url()).toMatch(new RegExp(`^${url('/applications/')}[0-9a-f-]{36}$`));
    await u.expectPage('Victims Fund 7: your application');
    if (organisation) expect(await p.page.locator('.govuk-caption-l').textContent()).toBe(organisation);
    return p.page.url().slice(url('/applications/').length);
  }

  async function fillProject(title: string): Promise<void> {
    await p.page.getByLabel('Project title').fill(title);
    await p.page
      .getByLabel('Describe your project')
      .fill('Weekly drop-in advocacy sessions for people targeted because of who they are, in Aston and Lozells.');
    await p.page.getByRole('group', { name: 'Which victims will the project support?' }).getByLabel('Victims of hate crime').check();
    const areas = p.page.getByRole('group', { name: 'Which areas will the project work in?' });
    await areas.getByLabel('Birmingham').check();
    await areas.getByLabel('Sandwell').check();
  }

  async function fillFunding(amount: string): Promise<void> {
    await p.page.getByLabel('How much are you applying for?').fill(amount);
    await u.fillDate(p.page.getByRole('group', { name: 'When will the project start?' }), { day: 1, month: 4, year: 2027 });
    await p.page.getByLabel('How will you spend the grant?').fill('Two part-time advocates, venue hire and interpreters.');
    await p.page.getByRole('group', { name: 'Have you applied to other funders for this project?' }).getByLabel('No').check();
  }

  async function fillVictims(): Promise<void> {
    await p.page.getByLabel('How many victims will the project support?').fill('40');
    await p.page
      .getByLabel('How will victims cope and recover better because of your project?')
      .fill('They will report what happened, get practical help and feel safer.');
    const address = p.page.getByRole('group', { name: /Where will the project mainly take place/ });
    await address.getByLabel('Address line 1').fill('Aston Community Hub, 1 Witton Road');
    await address.getByLabel('Town or city').fill('Birmingham');
    await address.getByLabel('Postcode').fill('b6 6jb');
  }

  async function uploadPolicy(name: string, buffer: Buffer, mimeType = 'application/pdf'): Promise<void> {
    await p.page.getByLabel('Your safeguarding policy').setInputFiles({ name, mimeType, buffer });
  }

  const declaration = (): Locator => u.main().getByLabel(/I confirm that the information in this application is correct/);

  it('the round is public: the funds list, the round page and its eligibility checker work signed out', async () => {
    const { page } = p;
    await u.goto('/funds');
    await u.expectPage('Funds you can apply to');
    await u.clickAndLoad(u.link('Victims Fund 7'));
    await u.expectPage('Victims Fund 7');
    const roundText = (await u.main().textContent())!.replace(/\s+/g, ' ');
    expect(roundText).toContain('£200,000');
    expect(roundText).toContain('£50,000 for victims of hate crime');
    expect(roundText).toMatch(/Closes at 11:59pm on \w+day \d{1,2} \w+ \d{4}/);
    expect(roundText).toContain('What this fund cannot pay for');
    expect(roundText).toContain('activities that a statutory body has a duty to provide');

    // Nothing chosen: the checker says what is missing.
    await u.clickAndLoad(u.button('Check eligibility'));
    await u.expectPage('Victims Fund 7');
    expect((await u.errorSummary()).map((e) => e.href)).toEqual(['#organisationType', '#area']);
    await u.expectErrorsLinkedToFields();
    // The summary takes focus: no #check fragment in the address scrolls the page away from it.
    expect(new URL(page.url()).hash).toBe('');
    expect(await u.errorSummaryHasFocus()).toBe(true);
    // Outside the area and over the maximum: each problem listed.
    await page.getByLabel('Unincorporated community group').check();
    await page.getByLabel('Where is your organisation based?').selectOption({ label: 'Outside the West Midlands' });
    await page.getByLabel(/How much do you want to apply for/).fill('25,000');
    await u.clickAndLoad(u.button('Check eligibility'));
    await u.expectPage('Victims Fund 7');
    const refused = page.locator('#eligibility-result');
    expect(await refused.textContent()).toContain('You cannot apply to this round');
    expect(await refused.locator('li').allTextContents()).toEqual([
      'This fund is for organisations based in the West Midlands',
      'The largest grant you can ask for is £20,000',
    ]);
    // The result takes focus, and a bid that cannot be made is not offered a start button.
    expect(await u.focusedId()).toBe('eligibility-result');
    expect(await u.main().getByRole('button', { name: 'Start your application' }).count()).toBe(0);
    expect(await u.main().textContent()).toContain('From what you told us, your organisation cannot apply to this round');
    // What was chosen is kept.
    expect(await page.getByLabel(/How much do you want to apply for/).inputValue()).toBe('25,000');
    await page.getByLabel('Where is your organisation based?').selectOption({ label: 'Birmingham' });
    await page.getByLabel(/How much do you want to apply for/).fill('12500');
    await u.clickAndLoad(u.button('Check eligibility'));
    await u.expectPage('Victims Fund 7');
    expect(await page.locator('#eligibility-result').textContent()).toContain('You can apply');
    expect(await u.main().getByRole('button', { name: 'Start your application' }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/application-round.png', fullPage: true });
    p.expectNoProblems();
  });

  it('starting needs an account: signed out, "Start your application" goes through sign-in and back, to an empty task list', async () => {
    const { page } = p;
    const applicant = { email: 'applicant@example.org', password: demoPassword() };
    await u.goto(`/funds/${vf7Id}`);
    await u.expectPage('Victims Fund 7');
    const roundPath = u.path();
    await u.clickAndLoad(u.main().getByRole('button', { name: 'Start your application' }));
    expect(page.url()).toBe(url(`/sign-in?returnTo=${encodeURIComponent(`${roundPath}/apply`)}`));
    await u.signIn(applicant);
    expect(page.url()).toBe(url(`${roundPath}/apply`));
    await u.expectPage('Start your application');
    expect(await u.main().textContent()).toContain('You are applying for Bromford Youth Boxing Club');
    await u.clickAndLoad(u.button('Start your application'));
    expect(page.url()).toMatch(new RegExp(`^${url('/applications/')}[0-9a-f-]{36}$`));

    // The task list: one item per section, nothing started, and no submitting yet.
    await u.expectPage('Victims Fund 7: your application');
    expect(await u.main().textContent()).toMatch(/You must submit your application by 11:59pm on \w+day/);
    expect(await taskStatuses()).toEqual(TASKS_NOT_STARTED);
    expect(await u.main().textContent()).toContain('Application incomplete');
    expect(await u.link('Check answers and submit').count()).toBe(0);
    // Check answers by its address, with nothing answered: what is missing, linked, and no Submit.
    const appPath = new URL(page.url()).pathname;
    await u.goto(`${appPath}/check-answers`);
    await u.expectPage('Check your answers before you submit your application');
    expect(await u.main().getByRole('button', { name: 'Submit application' }).count()).toBe(0);
    const stillToDo = page.locator('#still-to-do');
    expect(await stillToDo.getByRole('link', { name: 'Enter the project title' }).getAttribute('href')).toBe(
      `${appPath}/sections/project?returnTo=check-answers#projectTitle`,
    );
    expect(await stillToDo.getByRole('link', { name: 'Select your safeguarding policy' }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/application-task-list.png', fullPage: true });
    p.expectNoProblems();
  }, 120_000);

  it('answering the sections: save and come back later (across a sign-out), mistakes shown with nothing saved, uploads judged by content and size', async () => {
    const { page } = p;
    const applicant = await createUser(s.testApp, [], { fullName: 'Priya Shah' });
    await addOrganisation(applicant, 'Aston Hate Crime Advocates');
    await u.signIn(applicant);
    const appPath = `/applications/${await findRoundAndStart()}`;
    expect(await taskStatuses()).toEqual(TASKS_NOT_STARTED);

    // -- Section 1, then "Save and come back later".
    await u.clickAndLoad(u.link('About your project'));
    expect(page.url()).toBe(url(`${appPath}/sections/project`));
    await u.expectPage('About your project');
    await fillProject('Hate crime advocates for Bromford');
    await u.clickAndLoad(u.button('Save and come back later'));
    expect(page.url()).toBe(url(`${appPath}?saved=project`));
    await u.expectPage('Victims Fund 7: your application');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Your answers to ‘About your project’ have been saved');
    expect((await taskStatuses())['About your project']).toBe('Completed');

    // -- Signing out and in again (as after a session timeout): the saved answers are still there.
    await u.signOut();
    await u.signIn(applicant);
    await u.goto('/applications');
    await u.expectPage('Your applications');
    // The applicant's landing page says what needs doing next.
    const row = u.main().locator('.govuk-summary-card', { hasText: 'Victims Fund 7' });
    const rowText = (await row.textContent())!.replace(/\s+/g, ' ');
    expect(rowText).toContain('Draft');
    expect(rowText).toContain('1 of 4 sections completed');
    expect(rowText).toMatch(/Closes (in \d+ days|tomorrow|today at [^ ]+) \(11:59pm on \w+day \d{1,2} \w+ \d{4}\)/);
    await u.clickAndLoad(row.getByRole('link', { name: /^Continue/ }));
    await u.expectPage('Victims Fund 7: your application');
    await u.clickAndLoad(u.link('About your project'));
    await u.expectPage('About your project');
    expect(await page.getByLabel('Project title').inputValue()).toBe('Hate crime advocates for Bromford');
    expect(await page.getByLabel('Sandwell').isChecked()).toBe(true);
    await u.clickAndLoad(u.button('Save and continue'));

    // -- Section 2: what cannot be read is refused with the person's input kept, and nothing is saved.
    expect(page.url()).toBe(url(`${appPath}/sections/funding`));
    await u.expectPage('Funding');
    await page.getByLabel('How much are you applying for?').fill('lots');
    await page.getByRole('group', { name: 'When will the project start?' }).getByLabel('Day').fill('1');
    await page.getByLabel('How will you spend the grant?').fill('Advocates');
    await u.clickAndLoad(u.button('Save and continue'));
    expect(page.url()).toBe(url(`${appPath}/sections/funding`));
    await u.expectPage('Funding');
    expect(await u.errorSummary()).toEqual([
      { text: 'Enter the amount you are applying for in pounds, like 5000 or 5000.50', href: '#amountRequested' },
      { text: 'The date the project will start must include a month and year', href: '#projectStart-month' },
    ]);
    await u.expectErrorsLinkedToFields();
    expect(await page.getByLabel('How much are you applying for?').inputValue()).toBe('lots');
    expect(await page.getByLabel('How will you spend the grant?').inputValue()).toBe('Advocates');
    // GOV.UK Frontend focuses the summary; its links move to the field.
    expect(await u.errorSummaryHasFocus()).toBe(true);
    await page.screenshot({ path: '/tmp/application-section-errors.png', fullPage: true });
    const [{ answers: afterRefusal }] = await s.testApp.dataSource.query('SELECT answers FROM application WHERE id = $1', [appPath.split('/')[2]]);
    expect(afterRefusal.budget).toBeUndefined();
    // Over the round's largest grant: said at the question when the page is saved, not at submission.
    await fillFunding('25,000');
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Funding');
    const overLimit = 'The amount you are applying for must be between £1,000 and £20,000';
    expect(await u.errorSummary()).toEqual([{ text: overLimit, href: '#amountRequested' }]);
    expect(await page.locator('#amountRequested-error').textContent()).toContain(overLimit);
    expect(await u.errorSummaryHasFocus()).toBe(true);
    const [{ answers: afterOverLimit }] = await s.testApp.dataSource.query('SELECT answers FROM application WHERE id = $1', [appPath.split('/')[2]]);
    expect(afterOverLimit.amountRequested).toBeUndefined();
    await fillFunding('12,500');
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectNoErrorSummary();

    // -- Section 3.
    expect(page.url()).toBe(url(`${appPath}/sections/victims`));
    await u.expectPage('Helping victims');
    await fillVictims();
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectNoErrorSummary();

    // -- Section 4, the upload: the type is judged by content, and too large is refused on the page.
    expect(page.url()).toBe(url(`${appPath}/sections/documents`));
    await u.expectPage('Documents');
    expect(await page.locator('form[enctype="multipart/form-data"]').count()).toBe(1);
    await uploadPolicy('safeguarding-policy.pdf', Buffer.from('This is a text file that only says it is a PDF.\n'));
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Documents');
    // The refusal names the kinds of file the hint names.
    const kinds = 'PDF, Word document, Excel spreadsheet, PNG or JPEG';
    expect(await u.errorSummary()).toEqual([{ text: `The selected file must be a ${kinds}`, href: '#safeguardingPolicy' }]);
    await u.expectErrorsLinkedToFields();
    expect(await page.locator('#safeguardingPolicy-hint').textContent()).toContain(kinds);
    await page.screenshot({ path: '/tmp/application-upload-error.png', fullPage: true });
    const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    PDF.copy(tooBig);
    await uploadPolicy('huge.pdf', tooBig);
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Documents');
    expect(await u.errorSummary()).toEqual([{ text: 'The selected file must be 10 MB or smaller', href: '#safeguardingPolicy' }]);
    await uploadPolicy('Safeguarding policy 2026.pdf', PDF);
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectNoErrorSummary();

    // -- Every section completed: check answers and submit can start.
    expect(page.url()).toBe(url(appPath));
    await u.expectPage('Victims Fund 7: your application');
    expect(await taskStatuses()).toEqual({
      'About your project': 'Completed',
      Funding: 'Completed',
      'Helping victims': 'Completed',
      Documents: 'Completed',
      'Check answers and submit': 'Not started',
    });
    expect(await u.main().textContent()).toContain('Application complete');
    // The uploaded file is shown on its page, with a download link.
    await u.clickAndLoad(u.link('Documents'));
    await u.expectPage('Documents');
    expect(await u.main().textContent()).toContain('You have uploaded Safeguarding policy 2026.pdf (PDF, ');
    await u.clickAndLoad(p.page.getByRole('link', { name: 'Return to your application' }));
    await u.expectPage('Victims Fund 7: your application');
    expect(await u.link('Check answers and submit').count()).toBe(1);
    p.expectNoProblems();
  }, 240_000);

  it('check answers, a "Change" link, the declaration, submitting, the receipt, and the application read-only afterwards', async () => {
    const { page } = p;
    const applicant = await createUser(s.testApp, [], { fullName: 'Dev Patel' });
    const appPath = `/applications/${await completedDraft(applicant, await addOrganisation(applicant, 'Bromford Hate Crime Advocates'))}`;
    await u.signIn(applicant);
    await u.goto(appPath);
    await u.expectPage('Victims Fund 7: your application');
    await u.clickAndLoad(u.link('Check answers and submit'));
    expect(page.url()).toBe(url(`${appPath}/check-answers`));
    await u.expectPage('Check your answers before you submit your application');
    await page.screenshot({ path: '/tmp/application-check-answers.png', fullPage: true });
    const answers = (await u.main().textContent())!.replace(/\s+/g, ' ');
    for (const expected of [
      'Hate crime advocates for Bromford',
      'Victims of hate crime',
      'Birmingham',
      'Sandwell',
      '£12,500',
      '1 April 2027',
      'No',
      '40',
      'Aston Community Hub, 1 Witton Road',
      'B6 6JB',
    ]) {
      expect(answers).toContain(expected);
    }
    // The file downloads as an attachment, as uploaded, to a member of the organisation.
    const fileLink = u.main().getByRole('link', { name: 'Safeguarding policy 2026.pdf' });
    const download = await page.request.get(url((await fileLink.getAttribute('href'))!));
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('application/pdf');
    expect(download.headers()['content-disposition']).toBe(
      `attachment; filename="Safeguarding policy 2026.pdf"; filename*=UTF-8''Safeguarding%20policy%202026.pdf`,
    );
    expect(download.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);

    // "Change" goes to the question's page and comes back here.
    await u.clickAndLoad(u.main().getByRole('link', { name: 'Change project title' }));
    expect(page.url()).toBe(url(`${appPath}/sections/project?returnTo=check-answers#projectTitle`));
    await u.expectPage('About your project');
    await page.getByLabel('Project title').fill('Hate crime advocates for Bromford and Castle Vale');
    await u.clickAndLoad(u.button('Save and continue'));
    expect(page.url()).toBe(url(`${appPath}/check-answers`));
    await u.expectPage('Check your answers before you submit your application');
    expect(await u.main().textContent()).toContain('Hate crime advocates for Bromford and Castle Vale');

    // -- Submit without the declaration: an error, and nothing submitted.
    await u.clickAndLoad(u.button('Submit application'));
    await u.expectPage('Check your answers before you submit your application');
    expect(await u.errorSummary()).toEqual([{ text: 'Confirm that the information in your application is correct and complete', href: '#declaration' }]);
    await u.expectErrorsLinkedToFields();
    expect(await emails(applicant.email)).toEqual([]);

    // -- Submit.
    await declaration().check();
    await u.clickAndLoad(u.button('Submit application'));
    expect(page.url()).toBe(url(`${appPath}/submitted`));
    await u.expectPage('Application submitted');
    const panel = (await page.locator('.govuk-panel').textContent())!.replace(/\s+/g, ' ');
    const reference = /VF7-00\d\d/.exec(panel)?.[0];
    expect(reference).toBeDefined();
    expect(await u.main().textContent()).toContain(`We have sent a receipt to ${applicant.email}`);
    await page.screenshot({ path: '/tmp/application-submitted.png', fullPage: true });

    // -- The receipt, with the reference.
    const receipts = (await emails(applicant.email)).filter((m) => m.subject.startsWith('Application received'));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].subject).toContain(reference);
    expect(receipts[0].text).toContain(`Reference: ${reference}`);

    // -- Afterwards: the application is submitted, read-only, and listed with its reference.
    await u.clickAndLoad(u.link('View your application'));
    await u.expectPage('Victims Fund 7: your application');
    expect(await u.main().textContent()).toContain(reference!);
    expect(await page.locator('.govuk-task-list').count()).toBe(0);
    await page.goto(url(`${appPath}/sections/project`));
    expect(page.url()).toBe(url(appPath));
    await u.goto('/account');
    await u.expectPage('Your account');
    await u.clickAndLoad(u.link('See your organisations’ applications'));
    await u.expectPage('Your applications');
    const listed = (await u.main().locator('.govuk-summary-card', { hasText: 'Victims Fund 7' }).textContent())!.replace(/\s+/g, ' ');
    expect(listed).toContain(reference!);
    expect(listed).toMatch(/Submitted \d{1,2} \w+ \d{4} ?We will tell you the outcome/);

    // -- One application per organisation per round: starting again says so.
    await u.goto(`/funds/${vf7Id}`);
    await u.expectPage('Victims Fund 7');
    await u.clickAndLoad(u.button('Start your application'));
    await u.expectPage('Start your application');
    expect((await u.errorSummary())[0].text).toContain(`Your organisation already has an application in this round (${reference})`);
    p.expectNoProblems();
  }, 180_000);

  it('a new organisation applies on a 375 px phone screen, withdraws, and sees the unverified-email message first', async () => {
    const { page } = p;
    await page.setViewportSize({ width: 375, height: 812 });
    const user: TestUser = await createUser(s.testApp, [], { fullName: 'Sam Okafor' });
    await addOrganisation(user, 'Handsworth Youth Club');
    await addOrganisation(user, 'Handsworth Hate Crime Forum');

    await u.signIn(user);
    const id = await findRoundAndStart('Handsworth Hate Crime Forum');
    const appPath = `/applications/${id}`;

    await u.clickAndLoad(u.link('About your project'));
    await u.expectPage('About your project');
    await fillProject('Handsworth hate crime drop-in');
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Funding');
    await fillFunding('8000');
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Helping victims');
    await fillVictims();
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectPage('Documents');
    await uploadPolicy('policy.pdf', PDF);
    await u.clickAndLoad(u.button('Save and continue'));
    await u.expectNoErrorSummary();
    await u.expectPage('Victims Fund 7: your application');
    await u.clickAndLoad(u.link('Check answers and submit'));
    await u.expectPage('Check your answers before you submit your application');

    // An account whose email address is not confirmed cannot submit, and is told why.
    await s.testApp.dataSource.query('UPDATE user_account SET email_verified_at = NULL WHERE id = $1', [user.id]);
    await page.reload();
    await u.expectPage('Check your answers before you submit your application');
    await declaration().check();
    await u.clickAndLoad(u.button('Submit application'));
    await u.expectPage('Check your answers before you submit your application');
    expect((await u.errorSummary())[0].text).toContain('Confirm your email address before you submit an application');
    await s.testApp.dataSource.query('UPDATE user_account SET email_verified_at = now() WHERE id = $1', [user.id]);

    await u.goto(`${appPath}/check-answers`);
    await u.expectPage('Check your answers before you submit your application');
    await declaration().check();
    await u.clickAndLoad(u.button('Submit application'));
    expect(page.url()).toBe(url(`${appPath}/submitted`));
    await u.expectPage('Application submitted');
    const reference = /VF7-00\d\d/.exec((await page.locator('.govuk-panel').textContent())!)?.[0];
    expect(reference).toBeDefined();
    expect(await u.main().textContent()).toContain(`We have sent a receipt to ${user.email}`);
    const receipts = (await emails(user.email)).filter((m) => m.subject.startsWith('Application received'));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].text).toContain(reference!);
    await page.screenshot({ path: '/tmp/application-submitted-375.png', fullPage: true });

    // Withdrawing, before the close, after a confirmation page.
    await u.clickAndLoad(u.link('View your application'));
    await u.expectPage('Victims Fund 7: your application');
    await u.clickAndLoad(u.link('Withdraw this application'));
    await u.expectPage('Are you sure you want to withdraw your application?');
    await u.clickAndLoad(u.button('Withdraw application'));
    expect(page.url()).toBe(url(`${appPath}?withdrawn=1`));
    await u.expectPage('Victims Fund 7: your application');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Your application has been withdrawn');
    expect(await u.main().textContent()).toContain('Withdrawn');
    // And signs out from the phone's header menu.
    await u.signOut();
    p.expectNoProblems();
  }, 240_000);

  it('takes a CSRF token from the address only for multipart posts, keeps applications to their organisation, and sends people with no organisation to add one', async () => {
    const roundId = vf7Id;
    const user = await createUser(s.testApp);
    const agent = await signInAgent(s.testApp, user);
    const token = csrfFrom((await agent.get(`/funds/${roundId}`).expect(200)).text);

    // No organisation yet: starting sends them to add one.
    await agent.post(`/funds/${roundId}/applications`).type('form').send({ _csrf: token }).expect(303).expect('Location', '/organisations/new');
    await agent.get(`/funds/${roundId}/apply`).expect(303).expect('Location', '/organisations/new');

    await addOrganisation(user, 'Lozells Neighbours');
    const started = await agent.post(`/funds/${roundId}/applications`).type('form').send({ _csrf: token }).expect(303);
    const appPath = started.headers.location;
    expect(appPath).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    const id = appPath.split('/')[2];
    const saved = async () => (await s.testApp.dataSource.query('SELECT answers FROM application WHERE id = $1', [id]))[0].answers;

    // An ordinary form must carry its token in the body: one in the address is refused.
    await agent.post(`${appPath}/sections/project?_csrf=${token}`).type('form').send({ projectTitle: 'Query token, urlencoded' }).expect(403);
    // A multipart form without any token is refused; with it in the address, accepted.
    await agent.post(`${appPath}/sections/project`).field('projectTitle', 'No token, multipart').expect(403);
    await agent.post(`${appPath}/sections/project?_csrf=wrong${token}`).field('projectTitle', 'Wrong token, multipart').expect(403);
    await agent
      .post(`${appPath}/sections/project?_csrf=${token}`)
      .field('projectTitle', 'Query token, multipart')
      .field('action', 'later')
      .expect(303)
      .expect('Location', `${appPath}?saved=project`);
    expect(await saved()).toEqual({ projectTitle: 'Query token, multipart' });

    // The file and the application are the organisation's: to anyone else they do not exist.
    const file = await s.testApp.app
      .get(ApplicationsService)
      .uploadAttachment(toPrincipal((await s.testApp.app.get(UsersService).findActive(user.id))!, 'session'), id, 'safeguardingPolicy', {
        originalname: 'policy.pdf',
        buffer: PDF,
        size: PDF.length,
      });
    await agent
      .get(`${appPath}/attachments/${file.id}`)
      .expect(200)
      .expect('Content-Type', 'application/pdf')
      .expect('Content-Disposition', `attachment; filename="policy.pdf"; filename*=UTF-8''policy.pdf`);
    const stranger = await createUser(s.testApp);
    await addOrganisation(stranger, 'Somebody Else');
    const other = await signInAgent(s.testApp, stranger);
    await other.get(appPath).expect(404);
    await other.get(`${appPath}/attachments/${file.id}`).expect(404);
    await other.get(`${appPath}/attachments/not-a-uuid`).expect(404);
  });
});
