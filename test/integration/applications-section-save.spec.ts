import * as answersModule from '../../src/modules/applications/answers';
import { VICTIMS_FUND_FORM } from '../../src/demo/demo-rounds';
import type { FormDefinition } from '../../src/modules/funds/form-definition';
import { csrfFrom, signIn } from '../support/identity';
import {
  type Applicant,
  createApplicant,
  createPublishedRound,
  MINIMAL_PDF,
  type RoundJson,
  roundBody,
  seedFunds,
  setClock,
  staffMember,
  startApplication,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

// The test compiler (swc) exports a module's functions as read-only getters; a plain copy of the
// module's exports lets jest.spyOn below replace one, and every importer in this file sees the spy.
jest.mock('../../src/modules/applications/answers', () => ({ __esModule: true, ...jest.requireActual<object>('../../src/modules/applications/answers') }));

// Issue 8, point 3: a question page's files and answers are saved in one transaction, so a page with
// a problem saves nothing — not even a file that was fine on its own.

/** The Victims Fund form, with a text question next to the file question on the documents page. */
const FORM: FormDefinition = {
  sections: VICTIMS_FUND_FORM.sections.map((s) =>
    s.id === 'documents'
      ? { ...s, questions: [...s.questions, { id: 'policyNotes', type: 'long_text', label: 'About your policy', required: false, wordLimit: 5 }] }
      : s,
  ),
};

const errorSummaryOf = (html: string) =>
  (/<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('applications: a question page saves its files and answers together', () => {
  let t: TestApp;
  let round: RoundJson;

  beforeAll(async () => {
    t = await startTestApp();
    const programmes = await seedFunds(t);
    const manager = await staffMember(t, 'fund_manager');
    setClock(t, '2027-01-10T12:00:00.000Z');
    round = await createPublishedRound(t, manager, roundBody(programmes.VF, { form: FORM }));
  });
  afterAll(async () => {
    setClock(t, null);
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  const attachmentsOf = async (applicationId: string): Promise<{ id: string; question_id: string }[]> =>
    t.dataSource.query(`SELECT id, question_id FROM application_attachment WHERE application_id = $1 ORDER BY created_at`, [applicationId]);
  const answersOf = async (applicationId: string) =>
    (await t.dataSource.query(`SELECT answers FROM application WHERE id = $1`, [applicationId]))[0].answers as Record<string, unknown>;

  async function postDocuments(group: Applicant, draftId: string, notes: string) {
    const agent = await signIn(t, group);
    const page = await agent.get(`/applications/${draftId}/sections/documents`).expect(200);
    const csrf = csrfFrom(page.text);
    return agent
      .post(`/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`)
      .field('_csrf', csrf)
      .field('policyNotes', notes)
      .attach('safeguardingPolicy', MINIMAL_PDF, 'policy.pdf');
  }

  it('saves neither the file nor the answers when the service refuses an answer on the page, and shows why', async () => {
    const group = await createApplicant(t);
    const draftId = (await startApplication(t, group, round.id).expect(201)).body.id as string;
    const before = await answersOf(draftId);
    // A rule only the service knows (the page's own checks pass): it refuses this answer.
    const check = answersModule.checkAnswers;
    jest
      .spyOn(answersModule, 'checkAnswers')
      .mockImplementation((form, answers, limits) =>
        answers.policyNotes === 'Refused here'
          ? [{ field: 'answers.policyNotes', rule: 'refused', message: 'About your policy: the service refused this answer' }]
          : check(form, answers, limits),
      );

    const res = await postDocuments(group, draftId, 'Refused here');
    expect(await attachmentsOf(draftId)).toEqual([]);
    expect(await answersOf(draftId)).toEqual(before);
    expect(res.status).toBe(400);
    const summary = errorSummaryOf(res.text);
    expect(summary).toContain('About your policy: the service refused this answer');
    expect(summary).toContain('Select your safeguarding policy again – nothing on this page was saved');
  });

  it('saves neither when an answer on the page is invalid', async () => {
    const group = await createApplicant(t);
    const draftId = (await startApplication(t, group, round.id).expect(201)).body.id as string;
    const before = await answersOf(draftId);
    const res = await postDocuments(group, draftId, 'one two three four five six seven');
    expect(res.status).toBe(400);
    expect(errorSummaryOf(res.text)).toContain('Your answer about your policy must be 5 words or fewer');
    expect(await attachmentsOf(draftId)).toEqual([]);
    expect(await answersOf(draftId)).toEqual(before);
  });

  it('saves both when the whole page is valid', async () => {
    const group = await createApplicant(t);
    const draftId = (await startApplication(t, group, round.id).expect(201)).body.id as string;
    const res = await postDocuments(group, draftId, 'Reviewed every year');
    expect(res.status).toBe(303);
    const files = await attachmentsOf(draftId);
    expect(files).toEqual([{ id: expect.any(String), question_id: 'safeguardingPolicy' }]);
    expect(await answersOf(draftId)).toMatchObject({ safeguardingPolicy: files[0].id, policyNotes: 'Reviewed every year' });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action IN ('application.attachment_uploaded', 'application.answers_saved')`,
      [draftId],
    );
    expect(n).toBe(2);
  });

  /** Posts the funding page (no file on it) as the browser does. */
  async function postFunding(group: Applicant, draftId: string, fields: Record<string, string>) {
    const agent = await signIn(t, group);
    const page = await agent.get(`/applications/${draftId}/sections/funding`).expect(200);
    return agent
      .post(`/applications/${draftId}/sections/funding`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields });
  }

  it('tells the applicant at the question, when the page is saved, that the amount is outside the round’s grants, and saves none of the page', async () => {
    const group = await createApplicant(t);
    const draftId = (await startApplication(t, group, round.id).expect(201)).body.id as string;
    const before = await answersOf(draftId);
    const res = await postFunding(group, draftId, { amountRequested: '25000', budget: 'Venue hire', action: 'continue' });
    expect(res.status).toBe(400);
    // The round's grants are £1,000 to £20,000 (the demo's Victims Fund settings).
    expect(errorSummaryOf(res.text)).toContain('The amount you are applying for must be between £1,000 and £20,000');
    expect(res.text).toMatch(
      /id="amountRequested-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> The amount you are applying for must be between £1,000 and £20,000/,
    );
    expect(await answersOf(draftId)).toEqual(before);

    const ok = await postFunding(group, draftId, { amountRequested: '20000', budget: 'Venue hire', action: 'continue' });
    expect(ok.status).toBe(303);
    expect(await answersOf(draftId)).toMatchObject({ amountRequested: 20_000_00, budget: 'Venue hire' });
  });

  it('"Save and continue" on a page with nothing answered says so and stays; "Save and come back later" goes back to the task list', async () => {
    const group = await createApplicant(t);
    const draftId = (await startApplication(t, group, round.id).expect(201)).body.id as string;
    const empty = await postFunding(group, draftId, { amountRequested: ' ', action: 'continue' });
    expect(empty.status).toBe(400);
    expect(errorSummaryOf(empty.text)).toContain('Answer at least one question, or choose ‘Save and come back later’');
    expect(empty.text).toContain('href="#amountRequested"');
    const later = await postFunding(group, draftId, { action: 'later' });
    expect(later.status).toBe(303);
    expect(later.headers.location).toBe(`/applications/${draftId}?saved=funding`);
  });
});
