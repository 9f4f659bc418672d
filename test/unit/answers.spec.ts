import {
  checkAnswer,
  checkAnswers,
  countWords,
  isAnswered,
  missingRequired,
  questionName,
  questionSubject,
  requiredMessage,
  sectionStatus,
} from '../../src/modules/applications/answers';
import { ACTIVE_CITIZENS_FORM, VICTIMS_FUND_FORM } from '../../src/demo/demo-rounds';
import { allQuestions } from '../../src/modules/funds';
import type { FormDefinition, Question } from '../../src/modules/funds';

/** A question of a type, with only what the test needs. */
const q = (type: Question['type'], extra: Partial<Question> = {}): Question => ({ id: 'q1', type, label: 'The question', required: false, ...extra });

const FORM: FormDefinition = {
  sections: [
    {
      id: 'project',
      title: 'About your project',
      questions: [q('short_text', { id: 'title', label: 'Project title', required: true }), q('long_text', { id: 'summary', label: 'Summary', wordLimit: 5 })],
    },
    {
      id: 'funding',
      title: 'Funding',
      questions: [q('money', { id: 'amountRequested', label: 'Amount', required: true, min: 100_000, max: 2_000_000 })],
    },
  ],
};

describe('answers: one answer against its question', () => {
  it('counts words the way a person would, ignoring extra spaces', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords(' two\n\twords ')).toBe(2);
    expect(countWords('one, two; three')).toBe(3);
  });

  it('treats blank text, empty lists, null and undefined as unanswered, and false and 0 as answers', () => {
    for (const empty of [undefined, null, '', '   ', []]) expect(isAnswered(q('short_text'), empty)).toBe(false);
    for (const answer of [false, 0, 'x', ['a'], { line1: '' }]) expect(isAnswered(q('short_text'), answer)).toBe(true);
  });

  it('accepts an empty answer (a draft may be incomplete) whatever the question', () => {
    for (const type of ['short_text', 'money', 'date', 'yes_no', 'address', 'file'] as const) {
      expect(checkAnswer(q(type, { required: true }), undefined)).toBeNull();
      expect(checkAnswer(q(type, { required: true }), '')).toBeNull();
    }
  });

  it('short text: a string, within its length, on one line', () => {
    expect(checkAnswer(q('short_text'), 'A title')).toBeNull();
    expect(checkAnswer(q('short_text'), 42)).toEqual({ field: 'answers.q1', rule: 'isString', message: 'The question must be text' });
    expect(checkAnswer(q('short_text'), 'x'.repeat(200))).toBeNull();
    expect(checkAnswer(q('short_text'), 'x'.repeat(201))).toMatchObject({ rule: 'maxLength', message: 'The question must be 200 characters or fewer' });
    expect(checkAnswer(q('short_text', { maxLength: 5 }), 'abcdef')).toMatchObject({
      rule: 'maxLength',
      message: 'The question must be 5 characters or fewer',
    });
    for (const multiLine of ['two\nlines', 'a\ttab', 'bell\u0007']) expect(checkAnswer(q('short_text'), multiLine)).toMatchObject({ rule: 'isSingleLine' });
  });

  it('long text: line breaks are fine, the word limit is not', () => {
    expect(checkAnswer(q('long_text', { wordLimit: 3 }), 'one\ntwo three')).toBeNull();
    expect(checkAnswer(q('long_text', { wordLimit: 3 }), 'one two three four')).toEqual({
      field: 'answers.q1',
      rule: 'wordLimit',
      message: 'The question must be 3 words or fewer',
    });
    expect(checkAnswer(q('long_text'), 'x'.repeat(100_001))).toMatchObject({ rule: 'maxLength' });
    expect(checkAnswer(q('long_text'), ['not', 'text'])).toMatchObject({ rule: 'isString' });
  });

  it('money: whole pence, not negative, within the question’s range, named in pounds', () => {
    const money = q('money', { min: 100_000, max: 2_000_000 });
    expect(checkAnswer(money, 1_250_000)).toBeNull();
    expect(checkAnswer(money, 100_000)).toBeNull();
    expect(checkAnswer(money, 2_000_000)).toBeNull();
    expect(checkAnswer(money, 12.5)).toEqual({ field: 'answers.q1', rule: 'isPence', message: 'The question must be an amount in whole pence' });
    expect(checkAnswer(money, '1000')).toMatchObject({ rule: 'isPence' });
    expect(checkAnswer(money, Number.NaN)).toMatchObject({ rule: 'isPence' });
    expect(checkAnswer(q('money'), -1)).toEqual({ field: 'answers.q1', rule: 'min', message: 'The question must be £0 or more' });
    expect(checkAnswer(q('money'), 10_000_000_000_001)).toMatchObject({ rule: 'max', message: 'The question must be £100,000,000,000 or less' });
    expect(checkAnswer(money, 99_999)).toEqual({ field: 'answers.q1', rule: 'min', message: 'The question must be between £1,000 and £20,000' });
    expect(checkAnswer(money, 2_000_001)).toEqual({ field: 'answers.q1', rule: 'max', message: 'The question must be between £1,000 and £20,000' });
  });

  it('number: any finite number, within the range, named as a plain number', () => {
    const n = q('number', { min: 1, max: 10 });
    expect(checkAnswer(n, 2.5)).toBeNull();
    expect(checkAnswer(n, Infinity)).toEqual({ field: 'answers.q1', rule: 'isNumber', message: 'The question must be a number' });
    expect(checkAnswer(n, 0)).toMatchObject({ rule: 'min', message: 'The question must be between 1 and 10' });
    expect(checkAnswer(n, 11)).toMatchObject({ rule: 'max', message: 'The question must be between 1 and 10' });
  });

  it('date: a real calendar date as YYYY-MM-DD', () => {
    expect(checkAnswer(q('date'), '2028-02-29')).toBeNull();
    for (const bad of ['2027-02-29', '2027-13-01', '2027-04-31', '1/4/2027', '2027-4-1', 20270401]) {
      expect(checkAnswer(q('date'), bad)).toEqual({ field: 'answers.q1', rule: 'isDate', message: 'The question must be a real date' });
    }
  });

  it('yes/no: a boolean only', () => {
    expect(checkAnswer(q('yes_no'), false)).toBeNull();
    expect(checkAnswer(q('yes_no'), 'yes')).toMatchObject({ rule: 'isBoolean', message: 'Select yes or no' });
  });

  it('choices: only the options offered, each chosen at most once', () => {
    const options = [
      { value: 'a', text: 'A' },
      { value: 'b', text: 'B' },
    ];
    expect(checkAnswer(q('single_choice', { options }), 'b')).toBeNull();
    expect(checkAnswer(q('single_choice', { options }), 'c')).toMatchObject({ rule: 'isIn', message: 'Select the question' });
    expect(checkAnswer(q('single_choice', { options }), ['a'])).toMatchObject({ rule: 'isIn' });
    expect(checkAnswer(q('multiple_choice', { options }), ['a', 'b'])).toBeNull();
    expect(checkAnswer(q('multiple_choice', { options }), ['a', 'a'])).toMatchObject({
      rule: 'isIn',
      message: 'Select the question, each once, from the options',
    });
    expect(checkAnswer(q('multiple_choice', { options }), ['a', 'z'])).toMatchObject({ rule: 'isIn' });
    expect(checkAnswer(q('multiple_choice', { options }), 'a')).toMatchObject({ rule: 'isIn' });
  });

  it('file: the id (a UUID) of an uploaded file', () => {
    expect(checkAnswer(q('file'), '0b6f1c1e-8a3d-4c55-9f0e-2b7d1a9c4e21')).toBeNull();
    expect(checkAnswer(q('file'), 'policy.pdf')).toEqual({ field: 'answers.q1', rule: 'isFile', message: 'Select the question' });
  });

  it('address: four text parts, each checked on its own and named in the field path', () => {
    const address = q('address', { label: 'Where' });
    const good = { line1: '1 Witton Road', town: 'Birmingham', postcode: 'b6 6jb' };
    expect(checkAnswer(address, good)).toBeNull();
    expect(checkAnswer(address, { ...good, line2: '', postcode: 'B66JB' })).toBeNull();
    expect(checkAnswer(address, 'a string')).toMatchObject({ field: 'answers.q1', rule: 'isAddress' });
    expect(checkAnswer(address, ['1 Witton Road'])).toMatchObject({ field: 'answers.q1', rule: 'isAddress' });
    expect(checkAnswer(address, { ...good, county: 'West Midlands' })).toEqual({
      field: 'answers.q1.county',
      rule: 'unknownField',
      message: 'An address has only line1, line2, town and postcode, not "county"',
    });
    expect(checkAnswer(address, { ...good, line1: undefined })).toEqual({
      field: 'answers.q1.line1',
      rule: 'required',
      message: 'Enter address line 1, typically the building and street',
    });
    expect(checkAnswer(address, { ...good, town: '   ' })).toMatchObject({ field: 'answers.q1.town', rule: 'required' });
    expect(checkAnswer(address, { ...good, line1: 5 })).toMatchObject({ field: 'answers.q1.line1', rule: 'isString' });
    expect(checkAnswer(address, { ...good, line2: 'x'.repeat(201) })).toMatchObject({ field: 'answers.q1.line2', rule: 'maxLength' });
    expect(checkAnswer(address, { ...good, town: 'Birming\nham' })).toMatchObject({ field: 'answers.q1.town', rule: 'isSingleLine' });
    expect(checkAnswer(address, { ...good, postcode: 'B6 6J' })).toEqual({
      field: 'answers.q1.postcode',
      rule: 'isPostcode',
      message: 'Enter a full UK postcode',
    });
    // The field path can be set by the caller (the page names fields by question id alone).
    expect(checkAnswer(address, { ...good, postcode: 'nope' }, 'where')).toMatchObject({ field: 'where.postcode' });
  });
});

describe('answers: a whole application against its form', () => {
  it('lists every wrong answer and every answer to a question the form does not ask', () => {
    expect(checkAnswers(FORM, { title: 'Fine', amountRequested: 150_000 })).toEqual([]);
    expect(checkAnswers(FORM, { title: 'Fine', summary: 'one two three four five six', amountRequested: 50, colour: 'blue' })).toEqual([
      { field: 'answers.summary', rule: 'wordLimit', message: 'The summary must be 5 words or fewer' },
      { field: 'answers.amountRequested', rule: 'min', message: 'The amount must be between £1,000 and £20,000' },
      { field: 'answers.colour', rule: 'unknownQuestion', message: 'There is no question "colour" on this form' },
    ]);
  });

  it('names each required question still unanswered, in the form’s order', () => {
    expect(missingRequired(FORM, {})).toEqual([
      { field: 'answers.title', rule: 'required', message: 'Enter the project title' },
      { field: 'answers.amountRequested', rule: 'required', message: 'Enter the amount' },
    ]);
    expect(missingRequired(FORM, { title: '  ', amountRequested: 0 })).toEqual([
      { field: 'answers.title', rule: 'required', message: 'Enter the project title' },
    ]);
  });

  it('gives a section’s task-list status: not started, in progress (missing or wrong), completed', () => {
    const [project] = FORM.sections;
    expect(sectionStatus(project, {})).toBe('not_started');
    expect(sectionStatus(project, { summary: 'Only the optional one' })).toBe('in_progress');
    expect(sectionStatus(project, { title: 'Two\nlines' })).toBe('in_progress');
    expect(sectionStatus(project, { title: 'A title' })).toBe('completed');
    expect(sectionStatus(project, { title: 'A title', summary: 'far too many words for the limit' })).toBe('in_progress');
  });
});

describe('answers: the round’s rules, checked when answers are saved', () => {
  const limits = { minGrantPence: 250_00, maxGrantPence: 10_000_00 };

  it('holds the amount asked for to the round’s smallest and largest grant, the limits themselves allowed', () => {
    const between = 'The amount you are applying for must be between £250 and £10,000';
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { amountRequested: 10_000_01 }, limits)).toEqual([
      { field: 'answers.amountRequested', rule: 'max', message: between },
    ]);
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { amountRequested: 249_99 }, limits)).toEqual([
      { field: 'answers.amountRequested', rule: 'min', message: between },
    ]);
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { amountRequested: 250_00 }, limits)).toEqual([]);
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { amountRequested: 10_000_00 }, limits)).toEqual([]);
    // Without the round (as at submission, where the eligibility rules say it their own way) only the question's own rules.
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { amountRequested: 10_000_01 })).toEqual([]);
  });

  it('refuses an answer the form refuses (police-officer costs), at its question, and only that answer', () => {
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { policeCosts: true, peopleReached: 40 }, limits)).toEqual([
      { field: 'answers.policeCosts', rule: 'excludedCost', message: 'The Active Citizens Fund cannot pay for police officers or police staff' },
    ]);
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { policeCosts: false }, limits)).toEqual([]);
    // A wrong type is the question's problem first: one problem per question.
    expect(checkAnswers(ACTIVE_CITIZENS_FORM, { policeCosts: 'yes' }, limits)).toEqual([
      { field: 'answers.policeCosts', rule: 'isBoolean', message: 'Select yes if any of the grant will pay for police officers or police staff' },
    ]);
  });
});

describe('answers: GOV.UK error messages name the thing, never glue the question to a rule', () => {
  it('makes each demo question’s message from its label', () => {
    const messages = Object.fromEntries([...allQuestions(VICTIMS_FUND_FORM), ...allQuestions(ACTIVE_CITIZENS_FORM)].map((x) => [x.label, requiredMessage(x)]));
    expect(messages).toEqual({
      'Project title': 'Enter the project title',
      'Describe your project': 'Enter a description of your project',
      'Which victims will the project support?': 'Select which victims the project will support',
      'Which areas will the project work in?': 'Select which areas the project will work in',
      'How much are you applying for?': 'Enter the amount you are applying for',
      'When will the project start?': 'Enter the date the project will start',
      'How will you spend the grant?': 'Enter how you will spend the grant',
      'Have you applied to other funders for this project?': 'Select yes if you have applied to other funders for this project',
      'How many victims will the project support?': 'Enter the number of victims the project will support',
      'How will victims cope and recover better because of your project?': 'Enter how victims will cope and recover better because of your project',
      'Where will the project mainly take place? (optional)': 'Enter where the project will mainly take place',
      'Your safeguarding policy': 'Select your safeguarding policy',
      'What will you do with the money?': 'Enter what you will do with the money',
      'What kind of project is it?': 'Select what kind of project it is',
      'Will any of the grant pay for police officers or police staff?': 'Select yes if any of the grant will pay for police officers or police staff',
      'How many people will take part?': 'Enter the number of people that will take part',
    });
    for (const m of Object.values(messages)) expect(m).not.toMatch(/\?|:/);
  });

  it('uses the question’s own errorName when it has one, and a plain fallback for a label it cannot read', () => {
    expect(requiredMessage(q('number', { label: 'How many victims will the project support?', errorName: 'the number of victims' }))).toBe(
      'Enter the number of victims',
    );
    expect(requiredMessage(q('yes_no', { label: 'Other funding?', errorName: 'you have other funding' }))).toBe('Select yes if you have other funding');
    expect(requiredMessage(q('yes_no', { label: 'Other funding?' }))).toBe('Select yes or no');
    expect(questionName(q('long_text', { label: 'Does it run weekly?' }))).toBe('your answer');
    expect(questionSubject(q('long_text', { label: 'How will you spend the grant?' }))).toBe('Your answer about how you will spend the grant');
    expect(questionSubject(q('long_text', { label: 'Describe your project' }))).toBe('The description of your project');
    expect(checkAnswer(q('date', { label: 'When will the project start?' }), '2027-02-30')).toMatchObject({
      message: 'The date the project will start must be a real date',
    });
  });
});
