import {
  allQuestions,
  refusedAnswers,
  validateFormDefinition,
  withCategoryOptions,
  type FormDefinition,
  type Question,
} from '../../src/modules/funds/form-definition';

const amount: Question = { id: 'amountRequested', type: 'money', label: 'How much?', required: true };
const category: Question = { id: 'category', type: 'single_choice', label: 'Which kind of work?', required: true };

/** The smallest form that passes: the two questions every form must ask. */
function form(...extra: Question[]): FormDefinition {
  return { sections: [{ id: 'funding', title: 'Funding', questions: [amount, category, ...extra] }] };
}

const rules = (f: unknown) => validateFormDefinition(f).map((e) => `${e.field} ${e.rule}`);

describe('form definition: the rules across questions', () => {
  it('accepts a form with the money and category questions', () => {
    expect(validateFormDefinition(form())).toEqual([]);
  });

  it('needs a required money question "amountRequested" and a required single-choice "category"', () => {
    expect(rules({ sections: [] })).toEqual(['form.sections amountQuestion', 'form.sections categoryQuestion']);
    expect(rules({ sections: [{ id: 's', title: 'S', questions: [{ ...amount, type: 'number' }, category] }] })).toEqual(['form.sections amountQuestion']);
    expect(rules({ sections: [{ id: 's', title: 'S', questions: [{ ...amount, required: false }, category] }] })).toEqual(['form.sections amountQuestion']);
    expect(rules({ sections: [{ id: 's', title: 'S', questions: [amount, { ...category, type: 'multiple_choice' }] }] })).toEqual([
      'form.sections categoryQuestion',
    ]);
    expect(validateFormDefinition({ sections: [] })[0].message).toBe('The form must ask a required money question with id "amountRequested"');
  });

  it('refuses section and question ids used twice, naming the second use', () => {
    const twice: FormDefinition = {
      sections: [
        { id: 'a', title: 'A', questions: [amount, category] },
        { id: 'a', title: 'A again', questions: [{ id: 'category', type: 'short_text', label: 'Again', required: false }] },
      ],
    };
    expect(validateFormDefinition(twice)).toEqual(
      expect.arrayContaining([
        { field: 'form.sections.1.id', rule: 'unique', message: 'Section id "a" is used twice' },
        { field: 'form.sections.1.questions.0.id', rule: 'unique', message: 'Question id "category" is used twice' },
      ]),
    );
  });

  it('needs at least two options on a choice question, except the category (the round supplies those)', () => {
    const one = [{ value: 'x', text: 'X' }];
    expect(rules(form({ id: 'pick', type: 'multiple_choice', label: 'Pick', required: false, options: one }))).toEqual([
      'form.sections.0.questions.2.options minOptions',
    ]);
    expect(rules(form({ id: 'pick', type: 'single_choice', label: 'Pick', required: false }))).toEqual(['form.sections.0.questions.2.options minOptions']);
    expect(rules(form({ id: 'pick', type: 'single_choice', label: 'Pick', required: false, options: [...one, { value: 'y', text: 'Y' }] }))).toEqual([]);
  });

  it('refuses a range that is upside down', () => {
    expect(validateFormDefinition(form({ id: 'n', type: 'number', label: 'N', required: false, min: 5, max: 4 }))).toEqual([
      { field: 'form.sections.0.questions.2.max', rule: 'atLeastMin', message: 'Question "n" has a largest answer below its smallest' },
    ]);
    expect(rules(form({ id: 'n', type: 'number', label: 'N', required: false, min: 5, max: 5 }))).toEqual([]);
  });

  it('skips what is of the wrong shape rather than throwing (the DTO reports that)', () => {
    for (const odd of [null, undefined, 'text', { sections: 'no' }]) expect(validateFormDefinition(odd)).toEqual([]);
    expect(rules({ sections: [null, 'x', { id: 1, questions: 'no' }, { id: 's', title: 'S', questions: [null, 7, amount, category] }] })).toEqual([]);
  });
});

describe('form definition: helpers', () => {
  it('fills the category question’s options from the round’s categories, leaving the rest alone', () => {
    const pick: Question = { id: 'pick', type: 'single_choice', label: 'Pick', required: false, options: [{ value: 'a', text: 'A' }] };
    const filled = withCategoryOptions(form(pick), [
      { code: 'hate_crime', name: 'Victims of hate crime' },
      { code: 'other', name: 'Other victims' },
    ]);
    const byId = new Map(allQuestions(filled).map((q) => [q.id, q]));
    expect(byId.get('category')!.options).toEqual([
      { value: 'hate_crime', text: 'Victims of hate crime' },
      { value: 'other', text: 'Other victims' },
    ]);
    expect(byId.get('pick')!.options).toEqual([{ value: 'a', text: 'A' }]);
    expect(category.options).toBeUndefined(); // not mutated
  });

  it('lists the answers that make a bid ineligible, with the form’s own reason or a default one', () => {
    const officers: Question = {
      id: 'payOfficers',
      type: 'yes_no',
      label: 'Will the grant pay for police officers?',
      required: true,
      refuseIf: true,
      refuseMessage: 'This fund cannot pay for police officers',
    };
    const venue: Question = { id: 'venue', type: 'single_choice', label: 'Venue', required: false, refuseIf: 'abroad' };
    const f = form(officers, venue);
    expect(refusedAnswers(f, { payOfficers: false, venue: 'uk' })).toEqual([]);
    expect(refusedAnswers(f, { payOfficers: true, venue: 'abroad' })).toEqual([
      { field: 'answers.payOfficers', rule: 'excludedCost', message: 'This fund cannot pay for police officers' },
      { field: 'answers.venue', rule: 'excludedCost', message: 'This fund cannot pay for what you answered here' },
    ]);
  });
});
