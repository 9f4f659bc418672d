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
  /**
   * What error messages call the question, mid-sentence: "the date the project will start" gives
   * "Enter the date the project will start"; for a yes/no question, what yes means ("you have
   * applied to other funders" gives "Select yes if you have applied to other funders"). Optional:
   * without it the name is made from the label (answers.ts, questionName).
   */
  errorName?: string;
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

/**
 * The form's rules that look across questions: ids unique, the two questions every form needs,
 * choices with options to choose from, a range that is not upside down. Each field's own type and
 * bounds are checked by FormDefinitionDto (dto/round-input.dto.ts) before this runs on the API;
 * the staff form runs both together, so anything of the wrong shape is skipped here, not thrown on.
 */
export function validateFormDefinition(form: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, rule: string, message: string) => errors.push({ field: `form.${field}`, rule, message });
  const sections = (form as FormDefinition | null)?.sections;
  if (!Array.isArray(sections)) return errors;
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const sectionIds = new Set<string>();
  const ids = new Set<string>();
  const all: Question[] = [];
  sections.forEach((s, si) => {
    if (!isObject(s)) return;
    if (typeof s.id === 'string') {
      if (sectionIds.has(s.id)) err(`sections.${si}.id`, 'unique', `Section id "${s.id}" is used twice`);
      sectionIds.add(s.id);
    }
    if (!Array.isArray(s.questions)) return;
    (s.questions as unknown[]).forEach((q, qi) => {
      if (!isObject(q)) return;
      const question = q as unknown as Question;
      all.push(question);
      const at = `sections.${si}.questions.${qi}`;
      if (typeof question.id === 'string') {
        if (ids.has(question.id)) err(`${at}.id`, 'unique', `Question id "${question.id}" is used twice`);
        ids.add(question.id);
      }
      if (
        (question.type === 'single_choice' || question.type === 'multiple_choice') &&
        question.id !== CATEGORY_QUESTION &&
        (!Array.isArray(question.options) || question.options.length < 2)
      ) {
        err(`${at}.options`, 'minOptions', `Question "${question.id}" needs at least two options`);
      }
      if (typeof question.min === 'number' && typeof question.max === 'number' && question.max < question.min)
        err(`${at}.max`, 'atLeastMin', `Question "${question.id}" has a largest answer below its smallest`);
    });
  });
  const amount = all.find((q) => q.id === AMOUNT_QUESTION);
  if (!amount || amount.type !== 'money' || amount.required !== true)
    err('sections', 'amountQuestion', `The form must ask a required money question with id "${AMOUNT_QUESTION}"`);
  const category = all.find((q) => q.id === CATEGORY_QUESTION);
  if (!category || category.type !== 'single_choice' || category.required !== true)
    err('sections', 'categoryQuestion', `The form must ask a required single-choice question with id "${CATEGORY_QUESTION}"`);
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
    .map((q) => ({ field: `answers.${q.id}`, rule: 'excludedCost', message: q.refuseMessage ?? 'This fund cannot pay for what you answered here' }));
}

export function allQuestions(form: FormDefinition): Question[] {
  return form.sections.flatMap((s) => s.questions);
}
