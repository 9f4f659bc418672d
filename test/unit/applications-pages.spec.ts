/**
 * The applications module's page mappers and view-models, without a database or a browser
 * (issue 8, points 1, 2 and 5): answers → summary rows (one renderer for the applicant and
 * staff), the staff filters, screening and extension forms read into the API's DTOs, and a
 * question page's post read before anything is saved.
 */
import type { FormDefinition, FormSection, FundingRound } from '../../src/modules/funds';
import type { ApplicationAttachment } from '../../src/modules/applications/entities/application-attachment.entity';
import type { ApplicationRow } from '../../src/modules/applications/applications.service';
import { answerSections, answerView } from '../../src/modules/applications/pages/answer-views';
import { readExtensionForm } from '../../src/modules/applications/pages/extension-form';
import { filterQueryString, readFilterForm } from '../../src/modules/applications/pages/filters-form';
import { readScreeningForm, screeningErrors } from '../../src/modules/applications/pages/screening-form';
import { emptyPageError, readSectionPost, valuesFromAnswers, withFilesToChooseAgain } from '../../src/modules/applications/pages/section-form';
import { fieldViews } from '../../src/modules/applications/pages/section-views';
import { organisationView, statusCounts } from '../../src/modules/applications/pages/staff-application-views';
import { applicationListRows, checkAnswersView, closesIn, submitErrors } from '../../src/modules/applications/pages/application-views';
import { ApplicationsException } from '../../src/modules/applications/applications.exceptions';
import type { Application } from '../../src/modules/applications/entities/application.entity';
import type { Organisation } from '../../src/modules/identity';

const ORG = '6f1c1a4e-2b7d-4c55-9a51-0d3f8e7b2c10';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const section: FormSection = {
  id: 'project',
  title: 'Your project',
  questions: [
    { id: 'projectTitle', type: 'short_text', label: 'Project title', required: true },
    { id: 'amountRequested', type: 'money', label: 'How much are you applying for?', required: true },
    { id: 'projectStart', type: 'date', label: 'When will the project start?', required: false },
    { id: 'outcomes', type: 'long_text', label: 'Outcomes', required: false },
    {
      id: 'victims',
      type: 'multiple_choice',
      label: 'Which victims will the project support?',
      required: false,
      options: [
        { value: 'young', text: 'Young people' },
        { value: 'older', text: 'Older people' },
      ],
    },
    { id: 'venue', type: 'address', label: 'Where will it happen?', required: false },
    { id: 'otherFunding', type: 'yes_no', label: 'Other funding?', required: false },
    { id: 'policy', type: 'file', label: 'Your safeguarding policy', required: false },
  ],
};
const form: FormDefinition = { sections: [section] };
const policyFile = { id: 'f1', questionId: 'policy', filename: 'policy.pdf', contentType: 'application/pdf', sizeBytes: 12 * 1024 } as ApplicationAttachment;
const answers = {
  projectTitle: 'Safe spaces',
  amountRequested: 1_234_567,
  projectStart: '2027-04-01',
  outcomes: 'Fewer repeat victims\nBetter referrals',
  victims: ['young', 'older'],
  venue: { line1: '1 High Street', town: 'Coventry', postcode: 'CV1 1AA' },
  otherFunding: false,
  policy: 'f1',
};
const context = { attachments: [policyFile], fileHref: (f: ApplicationAttachment) => `/staff/applications/a1/attachments/${f.id}` };
const round = { id: 'r1', categories: [{ code: 'hate_crime', name: 'Hate crime' }] } as unknown as FundingRound;

describe('answers as summary rows (one renderer for applicants and staff)', () => {
  it('reads every answer as a person would, in the form’s order', () => {
    const [s] = answerSections(form, answers, context);
    expect(s.title).toBe('Your project');
    expect(s.rows.map((r) => [r.label, r.answer])).toEqual([
      ['Project title', { kind: 'text', text: 'Safe spaces' }],
      ['How much are you applying for?', { kind: 'text', text: '£12,345.67' }],
      ['When will the project start?', { kind: 'text', text: '1 April 2027' }],
      ['Outcomes', { kind: 'lines', lines: ['Fewer repeat victims', 'Better referrals'] }],
      ['Which victims will the project support?', { kind: 'list', items: ['Young people', 'Older people'] }],
      ['Where will it happen?', { kind: 'lines', lines: ['1 High Street', 'Coventry', 'CV1 1AA'] }],
      ['Other funding?', { kind: 'text', text: 'No' }],
      ['Your safeguarding policy', { kind: 'file', filename: 'policy.pdf', href: '/staff/applications/a1/attachments/f1', about: 'PDF, 12 KB' }],
    ]);
    // Staff have no "Change" links.
    expect(s.rows.every((r) => r.changeHref === undefined)).toBe(true);
  });

  it('says what is not answered, and a file that is no longer there', () => {
    expect(answerView(section.questions[0], '', context)).toEqual({ kind: 'missing' });
    expect(answerView(section.questions[4], [], context)).toEqual({ kind: 'missing' });
    expect(answerView(section.questions[7], 'gone', context)).toEqual({ kind: 'text', text: 'File not found' });
  });

  it('gives the applicant a "Change" link to each question, named for screen readers', () => {
    const [s] = answerSections(form, answers, { ...context, changeHref: (sec, q) => `/applications/a1/sections/${sec.id}#${q.id}` });
    expect(s.rows[1]).toMatchObject({ changeHref: '/applications/a1/sections/project#amountRequested', changeLabel: 'how much are you applying for' });
  });
});

describe('the staff list’s filters, read into ApplicationFiltersDto', () => {
  const areas = new Set(['E08000025', 'E08000026']);

  it('gives the service pence and keeps what was typed for the form and the CSV link', async () => {
    const f = await readFilterForm(
      { status: 'submitted', area: 'E08000025', category: 'hate_crime', minAmount: '1,000', maxAmount: '£5,000.50' },
      round,
      areas,
    );
    expect(f.errors).toEqual([]);
    expect({ ...f.filters }).toEqual({ status: 'submitted', area: 'E08000025', category: 'hate_crime', minAmountPence: 100_000, maxAmountPence: 500_050 });
    expect(filterQueryString({ ...f.typed, category: '' })).toBe('?status=submitted&area=E08000025&minAmount=1%2C000&maxAmount=%C2%A35%2C000.50');
  });

  it.each([
    [{ status: 'nonsense' }, 'status', 'Select a status from the list'],
    [{ status: ['submitted', 'draft'] }, 'status', 'Choose one status only'],
    [{ area: 'nowhere' }, 'area', 'Select an area from the list'],
    [{ area: 'E08000025\nE08000026' }, 'area', 'Select an area from the list'],
    [{ category: 'burglary' }, 'category', 'Select a category from the list'],
    [{ minAmount: 'lots' }, 'minAmount', 'Enter the smallest amount in pounds, like 20,000 or 1,250.50'],
    [{ maxAmount: '200000000000' }, 'maxAmount', 'Enter the largest amount of £100,000,000,000 or less'],
    [{ minAmount: '2,000', maxAmount: '1,000' }, 'maxAmount', 'The largest amount must be the same as or more than the smallest amount'],
  ])('explains %j on its box', async (query, field, message) => {
    expect((await readFilterForm(query, round, areas)).errors).toEqual([{ field, message }]);
  });

  it('names "outside the West Midlands" as an area', async () => {
    expect((await readFilterForm({ area: 'outside' }, round, areas)).errors).toEqual([]);
  });
});

describe('the screening form, read into ScreeningDto', () => {
  it('needs a decision, worded as the API words it', async () => {
    const { errors, entered } = await readScreeningForm({ _csrf: 't', reason: 'Because' });
    expect(errors).toEqual([{ field: 'decision', message: 'Select whether the application is eligible' }]);
    expect(entered).toEqual({ decision: '', reason: 'Because' });
  });

  it('passes the decision and reason to the service, and shows its errors on the right field', async () => {
    const { value, errors } = await readScreeningForm({ decision: 'ineligible', reason: 'Outside the area' });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ decision: 'ineligible', reason: 'Outside the area' });
    expect(screeningErrors([{ field: 'reason', rule: 'requiredWhenIneligible', message: 'Give the reason' }])).toEqual([
      { field: 'reason', message: 'Give the reason' },
    ]);
  });
});

describe('the extension form, read into ExtensionDto', () => {
  const when = { 'extensionClosesAt-day': '1', 'extensionClosesAt-month': '7', 'extensionClosesAt-year': '2027', extensionClosesAtTime: '17:00' };

  it('refuses a reason of only spaces with the DTO’s own rule', async () => {
    const { errors } = await readExtensionForm({ ...when, extensionReason: '   ' }, ORG);
    expect(errors).toEqual([{ field: 'extensionReason', message: 'Give the reason for the extension' }]);
  });

  it('gives the London time as an instant, for the application’s organisation', async () => {
    const { value, errors } = await readExtensionForm({ ...when, extensionReason: ' Office flooded ' }, ORG);
    expect(errors).toEqual([]);
    // 17:00 in London in July is 16:00 UTC (British Summer Time).
    expect({ ...value }).toEqual({ organisationId: ORG, closesAt: '2027-07-01T16:00:00.000Z', reason: 'Office flooded' });
  });

  it('explains a date that cannot be read on its boxes, not as an ISO instant', async () => {
    const { errors } = await readExtensionForm({ ...when, 'extensionClosesAt-month': '', extensionReason: 'Flood' }, ORG);
    expect(errors).toEqual([{ field: 'extensionClosesAt', href: 'extensionClosesAt-month', message: 'The date the extension ends must include a month' }]);
  });
});

describe('a question page’s post', () => {
  it('turns the boxes into answers: pounds to pence, three boxes to a date, an address in parts', () => {
    const post = readSectionPost(section, {
      body: {
        projectTitle: ' Safe spaces ',
        amountRequested: '12,345.67',
        'projectStart-day': '1',
        'projectStart-month': '4',
        'projectStart-year': '2027',
        victims: ['young'],
        'venue-line1': '1 High Street',
        'venue-town': 'Coventry',
        'venue-postcode': 'cv1 1aa',
        otherFunding: 'no',
        action: 'later',
      },
    });
    expect(post.errors).toEqual([]);
    expect(post.later).toBe(true);
    expect(post.answers).toEqual({
      projectTitle: 'Safe spaces',
      amountRequested: 1_234_567,
      projectStart: '2027-04-01',
      outcomes: null,
      victims: ['young'],
      venue: { line1: '1 High Street', town: 'Coventry', postcode: 'CV1 1AA' },
      otherFunding: false,
    });
  });

  it('refuses what cannot be read, and a file by its content, each at its question', () => {
    const post = readSectionPost(section, {
      body: { amountRequested: 'lots', 'projectStart-day': '1', 'projectStart-year': '2027', returnTo: 'check-answers' },
      files: [{ fieldname: 'policy', originalname: 'policy.exe', buffer: Buffer.from('MZ not a document'), size: 17 }],
    });
    expect(post.status).toBe(415);
    expect(post.toCheckAnswers).toBe(true);
    expect(post.errors).toEqual([
      { field: 'amountRequested', message: 'Enter the amount you are applying for in pounds, like 5000 or 5000.50', href: 'amountRequested' },
      { field: 'projectStart', message: 'The date the project will start must include a month', href: 'projectStart-month' },
      {
        field: 'policy',
        message: 'The selected file must be a PDF, Word document, Excel spreadsheet, PNG or JPEG',
        href: 'policy',
      },
    ]);
  });

  it('asks for a file chosen alongside a problem to be chosen again', () => {
    const files = [{ fieldname: 'policy', originalname: 'policy.pdf', buffer: PDF, size: PDF.length }];
    const errors = withFilesToChooseAgain(section, files, [{ field: 'projectTitle', message: 'Project title: too long', href: 'projectTitle' }]);
    expect(errors.map((e) => e.message)).toEqual(['Project title: too long', 'Select your safeguarding policy again – nothing on this page was saved']);
  });

  it('shows saved answers in the boxes as they were typed', () => {
    expect(valuesFromAnswers(section, answers)).toMatchObject({
      amountRequested: '12345.67',
      'projectStart-day': '1',
      'projectStart-month': '4',
      'projectStart-year': '2027',
      otherFunding: 'no',
      'venue-postcode': 'CV1 1AA',
    });
  });
});

describe('staff and applicant view-models', () => {
  it('counts a round’s applications by status in the status tags’ words', () => {
    const rows = ['submitted', 'submitted', 'draft', 'ineligible'].map((status) => ({ application: { status } }) as unknown as ApplicationRow);
    expect(statusCounts(rows)).toBe('1 draft, 2 submitted, 1 not eligible');
  });

  it('lays out an organisation’s address and contact as lines, and says when it is not verified', () => {
    const org = {
      name: 'Safe Haven',
      type: 'charity',
      orgId: 'GB-CHC-123',
      charityNumber: '123',
      companyNumber: null,
      addressLine1: '1 High Street',
      addressLine2: null,
      town: 'Coventry',
      postcode: 'CV1 1AA',
      contactName: 'Ann',
      contactEmail: 'ann@example.org',
      contactPhone: null,
      verifiedAt: null,
      outsideForceArea: false,
      areaOnsCode: 'E08000026',
    } as unknown as Organisation;
    expect(organisationView(org, new Map([['E08000026', 'Coventry']]))).toMatchObject({
      verifiedOn: null,
      companyNumber: 'None',
      addressLines: ['1 High Street', 'Coventry', 'CV1 1AA'],
      contactLines: ['Ann', 'ann@example.org'],
      area: 'Coventry',
    });
  });

  it('links each unanswered question to its page when submitting is refused', () => {
    const app = { id: 'a1' } as Application;
    const err = ApplicationsException.incomplete([{ field: 'answers.amountRequested', rule: 'required', message: 'Enter how much you are applying for' }]);
    expect(submitErrors(err, app, { form } as unknown as FundingRound, 'ann@example.org')).toEqual([
      { text: 'Answer every required question before you submit (1 left)' },
      { text: 'Enter how much you are applying for', href: '/applications/a1/sections/project?returnTo=check-answers#amountRequested' },
    ]);
  });
});

describe('errors where they happen, and what to do next', () => {
  it('"Save and continue" on a page with nothing answered and no file is an error at the first question; "later", an answer or a saved file is not', () => {
    const blank = readSectionPost(section, { body: { action: 'continue', projectTitle: ' ' } });
    expect(emptyPageError(section, blank, {})).toEqual({
      field: 'projectTitle',
      message: 'Answer at least one question, or choose ‘Save and come back later’',
      href: 'projectTitle',
    });
    expect(emptyPageError(section, readSectionPost(section, { body: { action: 'later' } }), {})).toBeNull();
    expect(emptyPageError(section, readSectionPost(section, { body: { otherFunding: 'no' } }), {})).toBeNull();
    expect(emptyPageError(section, blank, { policy: 'f1' })).toBeNull();
    const onlyFile: FormSection = { id: 'documents', title: 'Documents', questions: [section.questions.at(-1)!] };
    expect(emptyPageError(onlyFile, readSectionPost(onlyFile, { body: {} }), {})?.message).toBe(
      'Select your safeguarding policy, or choose ‘Save and come back later’',
    );
  });

  it('a file question’s hint names the kinds of file a refusal names, after the question’s own hint', () => {
    const withHint: FormSection = {
      ...section,
      questions: [{ id: 'policy', type: 'file', label: 'Your policy', hint: 'Signed by a trustee', required: true }],
    };
    const [view] = fieldViews(withHint, {}, {}, { applicationId: 'a1', attachments: [], answers: {} });
    const hint = (view.kind === 'fileUpload' && (view.params.hint as { text: string }).text) || '';
    expect(hint).toBe('Signed by a trustee. PDF, Word document, Excel spreadsheet, PNG or JPEG, up to 10 MB');
    expect(ApplicationsException.wrongType().message).toBe('The selected file must be a PDF, Word document, Excel spreadsheet, PNG or JPEG');
  });

  it('says how near a deadline is in London days', () => {
    const closing = new Date('2027-01-17T23:59:00Z');
    expect(closesIn(closing, new Date('2027-01-12T09:00:00Z'))).toBe('closes in 5 days');
    expect(closesIn(closing, new Date('2027-01-16T23:30:00Z'))).toBe('closes tomorrow');
    expect(closesIn(closing, new Date('2027-01-17T08:00:00Z'))).toBe('closes today at 11:59pm');
  });

  it('lists each application with what needs doing next', () => {
    const vf = { id: 'r1', name: 'Victims Fund 7', closesAt: new Date('2027-01-17T23:59:00Z'), form } as unknown as FundingRound;
    const org = { name: 'Safe Haven' };
    const now = new Date('2027-01-12T09:00:00Z');
    const rows = applicationListRows(
      [
        {
          app: { id: 'a1', status: 'draft', answers: { projectTitle: 'Safe spaces' }, organisation: org } as unknown as Application,
          round: vf,
          closing: vf.closesAt,
        },
        {
          app: { id: 'a2', status: 'draft', answers: { ...answers, policy: ORG }, organisation: org } as unknown as Application,
          round: vf,
          closing: vf.closesAt,
        },
        {
          app: {
            id: 'a3',
            status: 'submitted',
            reference: 'VF7-0001',
            submittedAt: new Date('2027-01-02T10:00:00Z'),
            answers,
            organisation: org,
          } as unknown as Application,
          round: vf,
          closing: vf.closesAt,
        },
        {
          app: { id: 'a4', status: 'withdrawn', withdrawnAt: new Date('2027-01-03T10:00:00Z'), answers, organisation: org } as unknown as Application,
          round: vf,
          closing: vf.closesAt,
        },
        { app: { id: 'a5', status: 'draft', answers: {}, organisation: org } as unknown as Application, round: vf, closing: vf.closesAt },
      ],
      now,
    );
    expect(rows.map((r) => [r.next, r.action])).toEqual([
      [['0 of 1 sections completed', 'Closes in 5 days (11:59pm on Sunday 17 January 2027)'], { text: 'Continue', href: '/applications/a1' }],
      [
        ['1 of 1 sections completed', 'Closes in 5 days (11:59pm on Sunday 17 January 2027)'],
        { text: 'Check answers and submit', href: '/applications/a2/check-answers' },
      ],
      [['Submitted 2 January 2027', 'We will tell you the outcome'], { text: 'View', href: '/applications/a3' }],
      [['Withdrawn 3 January 2027', 'You can start a new application while the round is open'], { text: 'View', href: '/applications/a4' }],
      [['0 of 1 sections completed', 'Closes in 5 days (11:59pm on Sunday 17 January 2027)'], { text: 'Continue', href: '/applications/a5' }],
    ]);
    const late = applicationListRows(
      [{ app: { id: 'a1', status: 'draft', answers: {}, organisation: org } as unknown as Application, round: vf, closing: vf.closesAt }],
      new Date('2027-01-18T00:00:00Z'),
    );
    expect(late[0].next[1]).toBe('The deadline was 11:59pm on Sunday 17 January 2027; this application was not submitted');
    expect(late[0].action.text).toBe('View');
  });

  it('check answers with required answers missing lists each, linked to its question, for the page to show instead of Submit', () => {
    const required: FormDefinition = {
      sections: [{ ...section, questions: section.questions.map((x) => ({ ...x, required: x.id === 'projectTitle' || x.id === 'amountRequested' })) }],
    };
    const r = {
      ...round,
      form: required,
      closesAt: new Date('2027-01-17T23:59:00Z'),
      minGrantPence: 1_000_00,
      maxGrantPence: 20_000_00,
    } as unknown as FundingRound;
    const app = { id: 'a1', answers: { projectTitle: 'Safe spaces' } } as unknown as Application;
    const view = checkAnswersView(app, r, { closing: r.closesAt, now: new Date('2027-01-12T09:00:00Z') }, [], true);
    expect(view.missing).toEqual([
      { text: 'Enter the amount you are applying for', href: '/applications/a1/sections/project?returnTo=check-answers#amountRequested' },
    ]);
    const over = checkAnswersView(
      { ...app, answers: { projectTitle: 'Safe spaces', amountRequested: 20_000_01 } },
      r,
      { closing: r.closesAt, now: new Date('2027-01-12T09:00:00Z') },
      [],
      true,
    );
    expect(over.missing.map((m) => m.text)).toEqual(['The amount you are applying for must be between £1,000 and £20,000']);
    const done = checkAnswersView(
      { ...app, answers: { projectTitle: 'Safe spaces', amountRequested: 5_000_00 } },
      r,
      { closing: r.closesAt, now: new Date('2027-01-12T09:00:00Z') },
      [],
      true,
    );
    expect(done.missing).toEqual([]);
  });
});
