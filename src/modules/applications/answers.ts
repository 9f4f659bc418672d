import type { FieldError } from '../../platform/errors/app-exception';
import { type FormDefinition, type FormSection, type Question, allQuestions } from '../funds';
import type { Answers } from './entities/application.entity';
import { isUuid } from '../../platform/http/id.pipe';
import { isSingleLine } from '../../platform/validation/single-line';

export interface AddressAnswer {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

/** £100 billion in pence: far above any grant, so no sum of answers can overflow. */
const MAX_PENCE = 10_000_000_000_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/i;

export function countWords(text: string): number {
  return text.trim() ? text.trim().split(/\s+/).length : 0;
}

export function isAnswered(q: Question, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Checks one answer against its question. An empty answer is fine here (a draft may be
 * incomplete); required questions are checked when the application is submitted.
 */
export function checkAnswer(q: Question, value: unknown, field = `answers.${q.id}`): FieldError | null {
  if (!isAnswered(q, value)) return null;
  const bad = (rule: string, message: string): FieldError => ({ field, rule, message });
  switch (q.type) {
    case 'short_text': {
      if (typeof value !== 'string') return bad('isString', `${q.label}: enter text`);
      const max = q.maxLength ?? 200;
      if (value.length > max) return bad('maxLength', `${q.label} must be ${max} characters or fewer`);
      // A title or a name goes into emails, CSV exports and page headings: one line only.
      return isSingleLine(value) ? null : bad('isSingleLine', `${q.label} must be on one line, without line breaks, tabs or control characters`);
    }
    case 'long_text': {
      if (typeof value !== 'string') return bad('isString', `${q.label}: enter text`);
      if (value.length > 100_000) return bad('maxLength', `${q.label} is too long`);
      return q.wordLimit && countWords(value) > q.wordLimit ? bad('wordLimit', `${q.label} must be ${q.wordLimit} words or fewer`) : null;
    }
    case 'number':
    case 'money': {
      const money = q.type === 'money';
      if (typeof value !== 'number' || !Number.isFinite(value) || (money && !Number.isSafeInteger(value))) {
        return bad(money ? 'isPence' : 'isNumber', money ? `${q.label} must be an amount in whole pence` : `${q.label} must be a number`);
      }
      // Money is never negative, and never beyond what PostgreSQL's bigint and every total can hold.
      if (money && value < 0) return bad('min', `${q.label} must be £0 or more`);
      if (money && value > MAX_PENCE) return bad('max', `${q.label} must be £${(MAX_PENCE / 100).toLocaleString('en-GB')} or less`);
      if (q.min !== undefined && value < q.min) return bad('min', `${q.label} must be ${money ? '£' + (q.min / 100).toLocaleString('en-GB') : q.min} or more`);
      if (q.max !== undefined && value > q.max) return bad('max', `${q.label} must be ${money ? '£' + (q.max / 100).toLocaleString('en-GB') : q.max} or less`);
      return null;
    }
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
      return !d || d.getUTCDate() !== +m![3] || d.getUTCMonth() !== +m![2] - 1 ? bad('isDate', `${q.label} must be a real date`) : null;
    }
    case 'yes_no':
      return typeof value === 'boolean' ? null : bad('isBoolean', `${q.label}: select yes or no`);
    case 'single_choice':
      return typeof value === 'string' && (q.options ?? []).some((o) => o.value === value) ? null : bad('isIn', `${q.label}: select one of the options`);
    case 'multiple_choice':
      return Array.isArray(value) && value.every((v) => (q.options ?? []).some((o) => o.value === v)) && new Set(value).size === value.length
        ? null
        : bad('isIn', `${q.label}: select from the options`);
    case 'address':
      return checkAddress(q, value, field);
    case 'file':
      return typeof value === 'string' && isUuid(value) ? null : bad('isFile', `${q.label}: upload a file`);
  }
}

const ADDRESS_PARTS: Record<keyof AddressAnswer, { required: boolean; name: string }> = {
  line1: { required: true, name: 'the first line of the address' },
  line2: { required: false, name: 'the second line of the address' },
  town: { required: true, name: 'the town or city' },
  postcode: { required: true, name: 'the postcode' },
};
const ADDRESS_LINE_MAX = 200;

/**
 * An address is an object of four text parts. Each part is checked on its own so that an API
 * client sending `{ line1: 5 }` or an array is told which part is wrong (`answers.q3.line1`),
 * rather than the check itself failing.
 */
function checkAddress(q: Question, value: unknown, field: string): FieldError | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { field, rule: 'isAddress', message: `${q.label}: give the address as an object with line1, line2 (optional), town and postcode` };
  }
  const a = value as Record<string, unknown>;
  const unknown = Object.keys(a).find((k) => !Object.prototype.hasOwnProperty.call(ADDRESS_PARTS, k));
  if (unknown !== undefined)
    return { field: `${field}.${unknown}`, rule: 'unknownField', message: `${q.label}: an address has only line1, line2, town and postcode, not "${unknown}"` };
  for (const [part, { required, name }] of Object.entries(ADDRESS_PARTS)) {
    const v = a[part];
    const at = `${field}.${part}`;
    if (v === undefined || v === null || v === '') {
      if (required) return { field: at, rule: 'required', message: `${q.label}: enter ${name}` };
      continue;
    }
    if (typeof v !== 'string') return { field: at, rule: 'isString', message: `${q.label}: ${name} must be text` };
    if (required && !v.trim()) return { field: at, rule: 'required', message: `${q.label}: enter ${name}` };
    if (v.length > ADDRESS_LINE_MAX) return { field: at, rule: 'maxLength', message: `${q.label}: ${name} must be ${ADDRESS_LINE_MAX} characters or fewer` };
    if (!isSingleLine(v))
      return { field: at, rule: 'isSingleLine', message: `${q.label}: ${name} must be on one line, without line breaks, tabs or control characters` };
  }
  return POSTCODE.test((a.postcode as string).trim()) ? null : { field: `${field}.postcode`, rule: 'isPostcode', message: `${q.label}: enter a real postcode` };
}

export function checkAnswers(form: FormDefinition, answers: Answers): FieldError[] {
  const questions = new Map(allQuestions(form).map((q) => [q.id, q]));
  const errors: FieldError[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.get(id);
    if (!q) {
      errors.push({ field: `answers.${id}`, rule: 'unknownQuestion', message: `There is no question "${id}" on this form` });
      continue;
    }
    const e = checkAnswer(q, value);
    if (e) errors.push(e);
  }
  return errors;
}

export function missingRequired(form: FormDefinition, answers: Answers): FieldError[] {
  return allQuestions(form)
    .filter((q) => q.required && !isAnswered(q, answers[q.id]))
    .map((q) => ({ field: `answers.${q.id}`, rule: 'required', message: `Answer "${q.label}"` }));
}

export type SectionStatus = 'not_started' | 'in_progress' | 'completed';

export function sectionStatus(section: FormSection, answers: Answers): SectionStatus {
  const answered = section.questions.filter((q) => isAnswered(q, answers[q.id]));
  if (answered.length === 0) return 'not_started';
  const complete =
    section.questions.every((q) => !q.required || isAnswered(q, answers[q.id])) && section.questions.every((q) => !checkAnswer(q, answers[q.id]));
  return complete ? 'completed' : 'in_progress';
}
