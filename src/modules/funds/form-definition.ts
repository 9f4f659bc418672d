import type { FieldError } from '../../platform/errors/app-exception';

/**
 * A round's application form: sections (one task-list item and one page each) of questions.
 * Stored as JSON on the round, validated here on every save. Question ids are stable keys into
 * an application's answers, so once a round opens its form is locked.
 *
 * Every form has the two questions the grants team needs to compare bids:
 *   - `amountRequested` (money): how much the organisation asks for, checked against min/max;
 *   - `category` (single choice): the kind of work, which decides ring-fence eligibility.
 */
export const QUESTION_TYPES = ['short_text', 'long_text', 'number', 'money', 'date', 'yes_no', 'single_choice', 'multiple_choice', 'address', 'file'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface Question {
  id: string;
  type: QuestionType;
  label: string;
  hint?: string;
  required: boolean;
  /** short_text: characters; long_text: words */
  maxLength?: number;
  wordLimit?: number;
  min?: number;
  max?: number;
  options?: { value: string; text: string }[];
  /**
   * An answer that makes the bid ineligible, with the reason shown to the applicant — how a form
   * asks about what the fund may not pay for (e.g. "Will any of the grant pay for police officers?").
   */
  refuseIf?: string | boolean;
  refuseMessage?: string;
}

export interface FormSection {
  id: string;
  title: string;
  questions: Question[];
}

export interface FormDefinition {
  sections: FormSection[];
}

export const AMOUNT_QUESTION = 'amountRequested';
export const CATEGORY_QUESTION = 'category';
const ID = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;

export function validateFormDefinition(form: unknown, categories: { code: string }[]): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: `form.${field}`, rule: 'formDefinition', message });
  const f = form as FormDefinition;
  if (categories.length === 0) errors.push({ field: 'categories', rule: 'arrayNotEmpty', message: 'The round needs at least one application category' });
  if (!f || !Array.isArray(f.sections) || f.sections.length === 0) {
    err('sections', 'The form needs at least one section');
    return errors;
  }
  const ids = new Set<string>();
  f.sections.forEach((s, si) => {
    if (!s || !ID.test(s.id ?? '')) err(`sections[${si}].id`, `Section ${si + 1} needs an id of letters and digits`);
    if (!s?.title?.trim()) err(`sections[${si}].title`, `Section ${si + 1} needs a title`);
    if (!Array.isArray(s?.questions) || s.questions.length === 0) err(`sections[${si}].questions`, `Section ${si + 1} needs at least one question`);
    (s?.questions ?? []).forEach((q, qi) => {
      const at = `sections[${si}].questions[${qi}]`;
      if (!q || !ID.test(q.id ?? '')) return err(`${at}.id`, `Question ${qi + 1} in section ${si + 1} needs an id of letters and digits`);
      if (ids.has(q.id)) err(`${at}.id`, `Question id "${q.id}" is used twice`);
      ids.add(q.id);
      if (!QUESTION_TYPES.includes(q.type)) err(`${at}.type`, `Question "${q.id}" has an unknown type "${String(q.type)}"`);
      if (!q.label?.trim()) err(`${at}.label`, `Question "${q.id}" needs a label`);
      if ((q.type === 'single_choice' || q.type === 'multiple_choice') && q.id !== CATEGORY_QUESTION && (!Array.isArray(q.options) || q.options.length < 2)) {
        err(`${at}.options`, `Question "${q.id}" needs at least two options`);
      }
      if (q.type === 'long_text' && q.wordLimit !== undefined && !(Number.isInteger(q.wordLimit) && q.wordLimit > 0)) err(`${at}.wordLimit`, `Question "${q.id}" needs a whole-number word limit`);
    });
  });
  const all = f.sections.flatMap((s) => s?.questions ?? []);
  const amount = all.find((q) => q?.id === AMOUNT_QUESTION);
  if (!amount || amount.type !== 'money' || !amount.required) err('amountRequested', `The form must ask a required money question with id "${AMOUNT_QUESTION}"`);
  const category = all.find((q) => q?.id === CATEGORY_QUESTION);
  if (!category || category.type !== 'single_choice' || !category.required) err('category', `The form must ask a required single-choice question with id "${CATEGORY_QUESTION}"`);
  return errors;
}

/** The category question always offers exactly the round's categories. */
export function withCategoryOptions(form: FormDefinition, categories: { code: string; name: string }[]): FormDefinition {
  return {
    sections: form.sections.map((s) => ({
      ...s,
      questions: s.questions.map((q) => (q.id === CATEGORY_QUESTION ? { ...q, options: categories.map((c) => ({ value: c.code, text: c.name })) } : q)),
    })),
  };
}

/** The answers that make a bid ineligible under the form's own rules. */
export function refusedAnswers(form: FormDefinition, answers: Record<string, unknown>): FieldError[] {
  return allQuestions(form)
    .filter((q) => q.refuseIf !== undefined && answers[q.id] === q.refuseIf)
    .map((q) => ({ field: `answers.${q.id}`, rule: 'excludedCost', message: q.refuseMessage ?? `This fund cannot accept "${q.label}" answered that way` }));
}

export function allQuestions(form: FormDefinition): Question[] {
  return form.sections.flatMap((s) => s.questions);
}
