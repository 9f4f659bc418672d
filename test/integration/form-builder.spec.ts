import { VICTIMS_FUND_7_SETTINGS } from '../../src/demo/demo-rounds';
import type { FormDefinition, Question } from '../../src/modules/funds/form-definition';
import { RoundsService } from '../../src/modules/funds/rounds.service';
import { createUser, csrfFrom, signIn, type TestUser } from '../support/identity';
import { canonicalJson, seedFunds, setClock } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary, h1 } from './identity-support';

/*
 * The form builder's pages over HTTP, as a browser without JavaScript uses them: a fund manager
 * builds a draft round's application form section by section and question by question, moves and
 * removes things, sees mistakes next to the fields they typed them in, and copies the form to
 * another round as JSON. Every change is read back from PostgreSQL.
 */

type Agent = Awaited<ReturnType<typeof signIn>>;
type Fields = Record<string, string>;

describe('the form builder pages', () => {
  let t: TestApp;
  let rounds: RoundsService;
  let programmeId: string;
  let manager: TestUser;
  let agent: Agent;
  let n = 0;

  /** A draft Victims Fund round made through the service, as the round page would. */
  async function draftRound(overrides: { opensAt?: Date; closesAt?: Date } = {}): Promise<string> {
    n++;
    const round = await rounds.create({
      programmeId,
      name: `Form builder round ${n}`,
      referencePrefix: `FB${n}`,
      summary: 'A round to build a form in.',
      opensAt: overrides.opensAt ?? new Date('2030-01-04T09:00:00Z'),
      closesAt: overrides.closesAt ?? new Date('2030-01-17T23:59:00Z'),
      ...VICTIMS_FUND_7_SETTINGS,
    });
    return round.id;
  }

  const formOf = async (id: string): Promise<FormDefinition> => (await rounds.get(id, { includeDrafts: true })).form;
  const storedForm = async (id: string): Promise<unknown> => (await t.dataSource.query(`SELECT form FROM funding_round WHERE id = $1`, [id]))[0].form;

  async function post(path: string, fields: Fields, csrfPage: string, who: Agent = agent) {
    const page = await who.get(csrfPage);
    expect(page.status).toBe(200);
    return who
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields });
  }

  beforeAll(async () => {
    t = await startTestApp();
    rounds = t.app.get(RoundsService);
    ({ VF: programmeId } = await seedFunds(t));
    manager = await createUser(t, ['fund_manager']);
    agent = await signIn(t, manager);
  });
  afterAll(() => t?.close());
  afterEach(() => setClock(t, null));

  it('shows the outline: sections in order with each question, its type in words and whether it must be answered', async () => {
    const id = await draftRound();
    const res = await agent.get(`/staff/rounds/${id}/form`).expect(200);
    expect(h1(res.text)).toBe('Application form');
    const form = await formOf(id);
    let at = 0;
    for (const s of form.sections) {
      const next = res.text.indexOf(s.title, at);
      expect(next).toBeGreaterThan(at);
      at = next;
    }
    expect(res.text).toContain('How much are you applying for?');
    expect(res.text).toContain('Money');
    expect(res.text).toContain('Optional');
    expect(res.text).toContain(`href="/staff/rounds/${id}/form/sections/${form.sections[0].id}/questions/new"`);
    expect(res.text).toContain('Add a section');
    // The two questions every form needs have no remove link.
    expect(res.text).not.toContain(`questions/amountRequested/remove`);
    expect(res.text).toContain(`questions/projectTitle/remove`);
  });

  it('adds a section with its first question, then one question of every type, each saved with its settings', async () => {
    const id = await draftRound();
    const outline = `/staff/rounds/${id}/form`;
    const before = (await formOf(id)).sections.length;

    const titlePage = await post(`${outline}/sections/new`, { title: 'About your volunteers' }, `${outline}/sections/new`);
    expect(titlePage.status).toBe(200);
    expect(h1(titlePage.text)).toBe('Add a question');
    const first = await post(
      `${outline}/sections/new/questions/new`,
      {
        sectionTitle: 'About your volunteers',
        type: 'short_text',
        label: 'Name of your volunteer lead',
        hint: 'As on their DBS check',
        required: 'yes',
        shortMaxLength: '80',
      },
      `${outline}/sections/new`,
    );
    expect(errorSummary(first.text)).toBe('');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${outline}?saved=question`);

    let form = await formOf(id);
    expect(form.sections).toHaveLength(before + 1);
    const section = form.sections[before];
    expect(section).toEqual({
      id: 'aboutYourVolunteers',
      title: 'About your volunteers',
      questions: [
        {
          id: 'nameOfYourVolunteerLead',
          type: 'short_text',
          label: 'Name of your volunteer lead',
          hint: 'As on their DBS check',
          required: true,
          maxLength: 80,
        },
      ],
    });

    const add = `${outline}/sections/${section.id}/questions/new`;
    const everyType: [Fields, Partial<Question>][] = [
      [
        { type: 'long_text', label: 'What will volunteers do?', longWordLimit: '200' },
        { type: 'long_text', wordLimit: 200 },
      ],
      [
        { type: 'number', label: 'How many volunteers?', numberMin: '1', numberMax: '500' },
        { type: 'number', min: 1, max: 500 },
      ],
      [
        { type: 'money', label: 'Volunteer expenses', moneyMin: '£0', moneyMax: '2,500.50' },
        { type: 'money', min: 0, max: 250_050 },
      ],
      [{ type: 'date', label: 'When will volunteers start?' }, { type: 'date' }],
      [{ type: 'yes_no', label: 'Are your volunteers trained?' }, { type: 'yes_no' }],
      [
        { type: 'single_choice', label: 'How are volunteers recruited?', options: 'Word of mouth\r\nAdverts\r\n\r\nReferrals' },
        {
          type: 'single_choice',
          options: [
            { value: 'Word of mouth', text: 'Word of mouth' },
            { value: 'Adverts', text: 'Adverts' },
            { value: 'Referrals', text: 'Referrals' },
          ],
        },
      ],
      [
        { type: 'multiple_choice', label: 'Which days do they work?', options: 'Weekdays\nWeekends' },
        {
          type: 'multiple_choice',
          options: [
            { value: 'Weekdays', text: 'Weekdays' },
            { value: 'Weekends', text: 'Weekends' },
          ],
        },
      ],
      [{ type: 'address', label: 'Where do volunteers meet?' }, { type: 'address' }],
      [{ type: 'file', label: 'Upload your volunteer policy' }, { type: 'file' }],
    ];
    for (const [fields] of everyType) {
      const res = await post(add, { required: 'no', hint: '', ...fields }, add);
      expect(errorSummary(res.text)).toBe('');
      expect(res.status).toBe(303);
    }
    form = await formOf(id);
    const questions = form.sections[before].questions.slice(1);
    expect(questions.map((q) => q.type)).toEqual(everyType.map(([, q]) => q.type));
    questions.forEach((q, i) => {
      expect(q).toEqual({ id: expect.stringMatching(/^[a-z][A-Za-z0-9]*$/), label: everyType[i][0].label, required: false, ...everyType[i][1] });
    });

    // Changing one keeps its id and shows its settings in pounds.
    const money = questions.find((q) => q.type === 'money')!;
    const change = `${outline}/sections/${section.id}/questions/${money.id}`;
    const page = await agent.get(change).expect(200);
    expect(page.text).toContain('value="2,500.50"');
    const changed = await post(change, { type: 'money', label: 'Volunteer expenses in the year', required: 'yes', moneyMin: '', moneyMax: '3,000' }, change);
    expect(changed.status).toBe(303);
    const after = (await formOf(id)).sections[before].questions.find((q) => q.id === money.id);
    expect(after).toEqual({ id: money.id, type: 'money', label: 'Volunteer expenses in the year', required: true, max: 300_000 });
  });

  it('shows an invalid question again with each problem next to its field, and saves nothing', async () => {
    const id = await draftRound();
    // The question every form needs keeps its type and stays required, whatever is posted.
    const amount = `/staff/rounds/${id}/form/sections/funding/questions/amountRequested`;
    const core = await post(amount, { type: 'short_text', label: 'How much?', required: 'no' }, amount);
    expect(core.status).toBe(303);
    const q = (await formOf(id)).sections.flatMap((s) => s.questions).find((x) => x.id === 'amountRequested');
    expect(q).toMatchObject({ type: 'money', required: true, label: 'How much?' });

    const before = await storedForm(id);
    const add = `/staff/rounds/${id}/form/sections/project/questions/new`;

    const blank = await post(add, { type: '', label: '  ', required: '' }, add);
    expect(blank.status).toBe(400);
    expect(errorSummary(blank.text)).toContain('Enter the question');
    expect(errorSummary(blank.text)).toContain('Select the type of question');
    expect(errorSummary(blank.text)).toContain('Select yes if applicants must answer the question');
    expect(blank.text).toMatch(/id="label-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> Enter the question/);

    const choices = await post(add, { type: 'single_choice', label: 'Pick one', required: 'yes', options: 'Only one' }, add);
    expect(choices.status).toBe(400);
    expect(choices.text).toMatch(/id="options-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> Enter at least two options, one on each line/);
    // What was typed is kept.
    expect(choices.text).toContain('value="Pick one"');
    expect(choices.text).toContain('Only one</textarea>');

    const range = await post(add, { type: 'number', label: 'How many?', required: 'yes', numberMin: '10', numberMax: 'five' }, add);
    expect(range.status).toBe(400);
    expect(errorSummary(range.text)).toContain('Enter the largest answer as a number, like 10');
    const upsideDown = await post(add, { type: 'money', label: 'How much?', required: 'yes', moneyMin: '500', moneyMax: '£100' }, add);
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.text).toMatch(
      /id="moneyMax-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> The largest answer must be the same as or more than the smallest/,
    );

    expect(await storedForm(id)).toEqual(before);
  });

  it('sets an answer that makes an application ineligible, with what the applicant is told, and a question’s name in error messages', async () => {
    const id = await draftRound();
    const add = `/staff/rounds/${id}/form/sections/project/questions/new`;
    const before = await storedForm(id);

    // An ineligible answer needs its reason; an option that is not one of the options is refused.
    const noReason = await post(add, { type: 'yes_no', label: 'Will any of the grant pay for police officers?', required: 'yes', refuseYesNo: 'yes' }, add);
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(
      /id="refuseMessage-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> Enter what to tell an applicant who gives the answer that makes the application ineligible/,
    );
    const notAnOption = await post(
      add,
      { type: 'single_choice', label: 'Who runs it?', required: 'yes', options: 'Volunteers\nPolice officers', refuseChoice: 'Police', refuseMessage: 'No.' },
      add,
    );
    expect(notAnOption.status).toBe(400);
    expect(errorSummary(notAnOption.text)).toContain('Enter one of the options exactly as it is written above, or leave this empty');
    expect(await storedForm(id)).toEqual(before);

    const officers = await post(
      add,
      {
        type: 'yes_no',
        label: 'Will any of the grant pay for police officers?',
        errorName: 'any of the grant will pay for police officers',
        required: 'yes',
        refuseYesNo: 'yes',
        refuseMessage: 'This fund cannot pay for police officers',
      },
      add,
    );
    expect(officers.status).toBe(303);
    const runs = await post(
      add,
      {
        type: 'single_choice',
        label: 'Who runs it?',
        required: 'yes',
        options: 'Volunteers\nPolice officers',
        refuseChoice: 'police officers',
        refuseMessage: 'Not for work police officers run',
      },
      add,
    );
    expect(runs.status).toBe(303);
    const saved = (await formOf(id)).sections.find((s) => s.id === 'project')!.questions.slice(-2);
    expect(saved[0]).toMatchObject({
      type: 'yes_no',
      errorName: 'any of the grant will pay for police officers',
      refuseIf: true,
      refuseMessage: 'This fund cannot pay for police officers',
    });
    const policeOption = saved[1].options!.find((o) => o.text === 'Police officers')!;
    expect(saved[1]).toMatchObject({ type: 'single_choice', refuseIf: policeOption.value, refuseMessage: 'Not for work police officers run' });

    // The question's page shows them again, and choosing "Neither" takes the rule away.
    const change = `/staff/rounds/${id}/form/sections/project/questions/${saved[0].id}`;
    const page = await agent.get(change).expect(200);
    expect(page.text).toContain('value="any of the grant will pay for police officers"');
    expect(page.text).toMatch(/name="refuseYesNo" type="radio" value="yes" checked/);
    expect(page.text).toContain('This fund cannot pay for police officers</textarea>');
    const runsPage = await agent.get(`/staff/rounds/${id}/form/sections/project/questions/${saved[1].id}`).expect(200);
    expect(runsPage.text).toContain('value="Police officers"');
    const cleared = await post(
      change,
      { type: 'yes_no', label: 'Will any of the grant pay for police officers?', required: 'yes', refuseYesNo: 'none', refuseMessage: '' },
      change,
    );
    expect(cleared.status).toBe(303);
    const after = (await formOf(id)).sections.find((s) => s.id === 'project')!.questions.find((q) => q.id === saved[0].id)!;
    expect(after).toEqual({ id: saved[0].id, type: 'yes_no', label: 'Will any of the grant pay for police officers?', required: true });
  });

  it('moves sections and questions up and down, and removes them after asking', async () => {
    const id = await draftRound();
    const outline = `/staff/rounds/${id}/form`;
    const form = await formOf(id);
    const [s0, s1] = form.sections;
    const [q0, q1] = s0.questions;

    const moved = await post(`${outline}/sections/${s1.id}/move`, { direction: 'up' }, outline);
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe(`${outline}?saved=moved`);
    expect((await formOf(id)).sections.slice(0, 2).map((s) => s.id)).toEqual([s1.id, s0.id]);

    expect((await post(`${outline}/sections/${s0.id}/questions/${q0.id}/move`, { direction: 'down' }, outline)).status).toBe(303);
    expect((await formOf(id)).sections[1].questions.slice(0, 2).map((q) => q.id)).toEqual([q1.id, q0.id]);
    // Already at the top: nothing changes.
    expect((await post(`${outline}/sections/${s1.id}/move`, { direction: 'up' }, outline)).status).toBe(303);
    expect((await formOf(id)).sections[0].id).toBe(s1.id);

    const removePage = `${outline}/sections/${s0.id}/questions/projectTitle/remove`;
    const confirm = await agent.get(removePage).expect(200);
    expect(h1(confirm.text)).toContain('Are you sure you want to remove the question');
    expect((await formOf(id)).sections[1].questions.some((q) => q.id === 'projectTitle')).toBe(true);
    expect((await post(removePage, {}, removePage)).status).toBe(303);
    expect((await formOf(id)).sections[1].questions.some((q) => q.id === 'projectTitle')).toBe(false);

    // A section holding a question every form needs cannot go: the reason is shown, nothing is saved.
    const before = await storedForm(id);
    const removeFunding = `${outline}/sections/funding/remove`;
    const refused = await post(removeFunding, {}, removeFunding);
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.text)).toContain('The form must keep the required money question');
    expect(await storedForm(id)).toEqual(before);

    // Other sections can.
    const last = (await formOf(id)).sections.at(-1)!;
    expect(last.questions.some((q) => q.id === 'amountRequested' || q.id === 'category')).toBe(false);
    expect((await post(`${outline}/sections/${last.id}/remove`, {}, `${outline}/sections/${last.id}/remove`)).status).toBe(303);
    expect((await formOf(id)).sections.map((s) => s.id)).not.toContain(last.id);
  });

  it('previews a section with the fields applicants will see, and no way to send them', async () => {
    const id = await draftRound();
    const res = await agent.get(`/staff/rounds/${id}/form/sections/funding/preview`).expect(200);
    expect(res.text).toContain('Preview');
    expect(res.text).toContain('How much are you applying for?');
    expect(res.text).toContain('govuk-input__prefix');
    expect(res.text).not.toMatch(/<form[^>]*action="\/applications/);
    expect(res.text).not.toContain('Save and continue');
    await agent.get(`/staff/rounds/${id}/form/sections/nothere/preview`).expect(404);
  });

  it('shows an open round’s form read-only and refuses changes to it', async () => {
    const id = await draftRound({ opensAt: new Date('2030-01-04T09:00:00Z'), closesAt: new Date('2030-01-17T23:59:00Z') });
    await rounds.publish(id);
    setClock(t, '2030-01-05T12:00:00Z');
    const before = await storedForm(id);
    const outline = `/staff/rounds/${id}/form`;
    const page = await agent.get(outline).expect(200);
    expect(page.text).toContain('The application form is locked');
    expect(page.text).not.toContain('Add a question');
    expect(page.text).not.toContain('/remove"');
    expect(page.text).toContain('/preview"');

    const add = await post(`${outline}/sections/project/questions/new`, { type: 'date', label: 'When?', required: 'yes' }, outline);
    expect(add.status).toBe(303);
    expect(add.headers.location).toBe(outline);
    expect((await post(`${outline}/sections/funding/move`, { direction: 'up' }, outline)).status).toBe(303);
    expect((await agent.get(`${outline}/sections/project/questions/projectTitle`)).status).toBe(303);
    expect(await storedForm(id)).toEqual(before);
  });

  it('exports a form as JSON and imports it into another round unchanged; an invalid import lists its problems and changes nothing', async () => {
    const from = await draftRound();
    const add = `/staff/rounds/${from}/form/sections/project/questions/new`;
    expect((await post(add, { type: 'multiple_choice', label: 'Which days?', required: 'no', options: 'Mon\nTue' }, add)).status).toBe(303);
    const exported = await agent.get(`/staff/rounds/${from}/form/export`).expect(200);
    expect(exported.headers['content-type']).toMatch(/^application\/json/);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="fb\d+-application-form.json"$/);
    const doc = JSON.parse(exported.text);
    expect(Object.keys(doc).sort()).toEqual(['categories', 'criteria', 'form', 'ringFences']);

    const to = await draftRound();
    const importPage = `/staff/rounds/${to}/form/import`;
    const bad = structuredClone(doc);
    bad.form.sections[0].questions[0].type = 'colour';
    bad.form.sections[1].questions = bad.form.sections[1].questions.filter((q: Question) => q.id !== 'amountRequested');
    const before = await storedForm(to);
    const refused = await post(importPage, { json: JSON.stringify(bad) }, importPage);
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.text)).toContain('form.sections.0.questions.0.type');
    expect(errorSummary(refused.text)).toContain('amountRequested');
    const notJson = await post(importPage, { json: '{"form": ' }, importPage);
    expect(notJson.status).toBe(400);
    expect(errorSummary(notJson.text)).toContain('The JSON is not valid');
    expect(await storedForm(to)).toEqual(before);

    const imported = await post(importPage, { json: exported.text }, importPage);
    expect(errorSummary(imported.text)).toBe('');
    expect(imported.status).toBe(303);
    const again = await agent.get(`/staff/rounds/${to}/form/export`).expect(200);
    expect(canonicalJson(JSON.parse(again.text))).toBe(canonicalJson(doc));
    expect(canonicalJson(await formOf(to))).toBe(canonicalJson(await formOf(from)));

    // The exported file can be uploaded instead of pasted.
    const third = await draftRound();
    const uploadPage = await agent.get(`/staff/rounds/${third}/form/import`).expect(200);
    const upload = (data: Buffer) =>
      agent
        .post(`/staff/rounds/${third}/form/import/upload?_csrf=${encodeURIComponent(csrfFrom(uploadPage.text))}`)
        .attach('file', data, { filename: 'form.json', contentType: 'application/json' });
    const empty = await upload(Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.text)).toContain('Choose a JSON file exported from a round');
    const uploaded = await upload(Buffer.from(exported.text));
    expect(errorSummary(uploaded.text)).toBe('');
    expect(uploaded.status).toBe(303);
    expect(canonicalJson(await formOf(third))).toBe(canonicalJson(await formOf(from)));
  });

  it('edits categories, ring-fences and criteria as add-another lists, by name and in pounds', async () => {
    const id = await draftRound();
    const base = `/staff/rounds/${id}/form`;
    const round = await rounds.get(id, { includeDrafts: true });

    // Categories: names only; a new one gets a code made from its name, saved ones keep theirs.
    const catPage = await agent.get(`${base}/categories`).expect(200);
    expect(h1(catPage.text)).toBe('Categories of work');
    expect(catPage.text).toContain(`value="${round.categories[0].name}"`);
    const cats: Fields = { rows: String(round.categories.length) };
    round.categories.forEach((c, i) => Object.assign(cats, { [`code-${i}`]: c.code, [`name-${i}`]: c.name }));
    const added = await post(`${base}/categories`, { ...cats, action: 'add' }, `${base}/categories`);
    expect(added.status).toBe(200);
    expect(added.text).toContain(`Category ${round.categories.length + 1}`);
    const n = round.categories.length;
    const saved = await post(
      `${base}/categories`,
      { ...cats, rows: String(n + 1), [`code-${n}`]: '', [`name-${n}`]: 'Victims of stalking', action: 'save' },
      `${base}/categories`,
    );
    expect(errorSummary(saved.text)).toBe('');
    expect(saved.status).toBe(303);
    const after = await rounds.get(id, { includeDrafts: true });
    expect(after.categories).toEqual([...round.categories, { code: 'victims_of_stalking', name: 'Victims of stalking' }]);
    // The category question offers it straight away.
    expect(
      after.form.sections
        .flatMap((s) => s.questions)
        .find((q) => q.id === 'category')
        ?.options?.at(-1),
    ).toEqual({ value: 'victims_of_stalking', text: 'Victims of stalking' });

    // Ring-fences: in pounds, for a category picked by name.
    const fencePage = await agent.get(`${base}/ring-fences`).expect(200);
    expect(fencePage.text).toContain('value="50,000"');
    expect(fencePage.text).toMatch(/<option value="victims_of_stalking"[^>]*>Victims of stalking<\/option>/);
    const fences = {
      rows: '2',
      'name-0': 'Hate crime',
      'amount-0': '£50,000',
      'category-0': 'hate_crime',
      'name-1': 'Stalking',
      'amount-1': 'lots',
      'category-1': '',
    };
    const before = await t.dataSource.query(`SELECT name, amount_pence FROM ring_fence WHERE round_id = $1`, [id]);
    const refused = await post(`${base}/ring-fences`, { ...fences, action: 'save' }, `${base}/ring-fences`);
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(
      /id="amount-1-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> Ring-fence 2: enter the amount in pounds, like 50,000/,
    );
    expect(refused.text).toMatch(
      /id="category-1-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:<\/span> Ring-fence 2: select the category or the area it is for/,
    );
    const overBudget = await post(
      `${base}/ring-fences`,
      { ...fences, 'amount-1': '175,000', 'category-1': 'victims_of_stalking', action: 'save' },
      `${base}/ring-fences`,
    );
    expect(overBudget.status).toBe(400);
    expect(errorSummary(overBudget.text)).toContain('Ring-fences add up to £225,000, more than the budget of £200,000');
    expect(await t.dataSource.query(`SELECT name, amount_pence FROM ring_fence WHERE round_id = $1`, [id])).toEqual(before);
    const removed = await post(`${base}/ring-fences`, { ...fences, action: 'remove-0' }, `${base}/ring-fences`);
    expect(removed.status).toBe(200);
    expect(removed.text).not.toContain('value="Hate crime"');
    const fenced = await post(
      `${base}/ring-fences`,
      { ...fences, 'amount-1': '12,500.50', 'category-1': 'victims_of_stalking', action: 'save' },
      `${base}/ring-fences`,
    );
    expect(fenced.status).toBe(303);
    const stored = await t.dataSource.query(`SELECT name, amount_pence::int AS pence, category FROM ring_fence WHERE round_id = $1 ORDER BY name`, [id]);
    expect(stored).toEqual([
      { name: 'Hate crime', pence: 50_000_00, category: 'hate_crime' },
      { name: 'Stalking', pence: 12_500_50, category: 'victims_of_stalking' },
    ]);

    // Criteria: a blank added row is left out.
    const criteria = await post(
      `${base}/criteria`,
      {
        rows: '3',
        'name-0': 'Need',
        'weight-0': '3',
        'scaleMin-0': '0',
        'scaleMax-0': '5',
        'guidance-0': 'Evidence of need',
        'name-1': 'Value',
        'weight-1': '1',
        'scaleMin-1': '1',
        'scaleMax-1': '4',
        'guidance-1': '',
        'name-2': '',
        'weight-2': '',
        'scaleMin-2': '',
        'scaleMax-2': '',
        'guidance-2': '',
        action: 'save',
      },
      `${base}/criteria`,
    );
    expect(errorSummary(criteria.text)).toBe('');
    expect((await rounds.get(id, { includeDrafts: true })).criteria?.map((c) => [c.name, c.weight, c.scaleMin, c.scaleMax, c.guidance])).toEqual([
      ['Need', 3, 0, 5, 'Evidence of need'],
      ['Value', 1, 1, 4, ''],
    ]);
  });

  it('is for fund managers only: other staff and applicants get 403, and nothing changes', async () => {
    const id = await draftRound();
    const before = await storedForm(id);
    for (const roles of [['assessor'], []] as const) {
      const other = await signIn(t, await createUser(t, [...roles]));
      await other.get(`/staff/rounds/${id}/form`).expect(403);
      await other.get(`/staff/rounds/${id}/form/export`).expect(403);
      const home = await other.get('/account');
      const res = await other
        .post(`/staff/rounds/${id}/form/sections/project/move`)
        .type('form')
        .send({ _csrf: csrfFrom(home.text), direction: 'down' });
      expect(res.status).toBe(403);
    }
    expect(await storedForm(id)).toEqual(before);
    // A malformed id is no page at all.
    await agent.get(`/staff/rounds/not-a-uuid/form`).expect(404);
  });
});
