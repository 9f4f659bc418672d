import { formatPounds } from '@pcc/money';
import type { FieldError } from '../../platform/errors/app-exception';
import { AMOUNT_QUESTION, type FormDefinition, type FormSection, type Question, allQuestions, refusedAnswers } from '../funds';
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

// ---- what error messages call a question ------------------------------------------------------
// GOV.UK error messages name the thing ("Enter the date the project will start"), never glue the
// question to a rule ("When will the project start? must be a real date"). A question may say
// what it is called (errorName); otherwise the name is made from its label.

const DETERMINERS = new Set(['the', 'your', 'a', 'an', 'this', 'that', 'these', 'those', 'their', 'our', 'its', 'any', 'each', 'every', 'my', 'some', 'all']);
const AUXILIARIES = new Set(['will', 'would', 'is', 'are', 'was', 'were', 'do', 'have', 'has', 'can', 'could', 'should', 'shall', 'may', 'might', 'must']);
const PRONOUNS = new Set(['you', 'we', 'they', 'it', 'i', 'he', 'she']);
const PREPOSITIONS = new Set(['about', 'for', 'on', 'in', 'with', 'to', 'from']);
const QUESTION_WORDS = new Set(['what', 'which', 'how', 'when', 'where', 'who', 'whose', 'why']);
const lowerFirst = (s: string): string => (/^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const plainLabel = (q: Question): string => q.label.replace(/\s*\(optional\)\s*$/i, '').trim();

/**
 * A question turned into the words that follow "Enter …": "When will the project start?" → the
 * question words "when" and the clause "the project will start". The subject is one word, or a
 * determiner and its noun ("the project", "any of the grant"); anything else gives null.
 */
function asClause(label: string): { wh: string; clause: string; whIsSubject?: boolean } | null {
  if (!label.endsWith('?')) return null;
  const words = label.slice(0, -1).trim().split(/\s+/);
  const lower = words.map((w) => w.toLowerCase());
  const aux = QUESTION_WORDS.has(lower[0]) ? lower.findIndex((w, i) => i > 0 && AUXILIARIES.has(w)) : AUXILIARIES.has(lower[0]) ? 0 : -1;
  if (aux < 0 || aux + 1 >= words.length) return null;
  const s = aux + 1;
  // "How many people will take part?": the question words are the subject, nothing moves.
  if (aux > 1 && !DETERMINERS.has(lower[s]) && !PRONOUNS.has(lower[s]))
    return { wh: [lower[0], ...words.slice(1, aux)].join(' '), clause: words.slice(aux).join(' '), whIsSubject: true };
  let end = s + 1;
  if (DETERMINERS.has(lower[s])) end = lower[s + 1] === 'of' ? (DETERMINERS.has(lower[s + 2]) ? s + 4 : s + 3) : s + 2;
  if (end > words.length) return null;
  // "Do you …" reads "you …"; "does it run" would need the verb changed, so it is not attempted.
  if (lower[aux] === 'do' && !['you', 'we', 'they'].includes(lower[s])) return null;
  const verb = lower[aux] === 'do' ? [] : [lower[aux]];
  const subject = [lowerFirst(words[s]), ...words.slice(s + 1, end)];
  // A yes/no question ("Have you applied …?") starts with its verb: it has no question words.
  const wh = aux ? [lower[0], ...words.slice(1, aux)].join(' ') : '';
  return { wh, clause: [...subject, ...verb, ...words.slice(end)].join(' ') };
}

/**
 * The question's name in the middle of a sentence: "the project title", "the date the project will
 * start", "the amount you are applying for", "what you will do with the money", "your answer".
 */
export function questionName(q: Question): string {
  if (q.errorName?.trim() && q.type !== 'yes_no') return q.errorName.trim();
  const label = plainLabel(q);
  if (!label.endsWith('?')) {
    const imperative = /^(describe|explain)\s+(.+)$/i.exec(label);
    if (imperative) return `${imperative[1].toLowerCase() === 'describe' ? 'a description' : 'an explanation'} of ${imperative[2]}`;
    const first = label.split(/\s+/)[0].toLowerCase();
    if (PREPOSITIONS.has(first)) return `your answer ${lowerFirst(label)}`; // "About your policy"
    return DETERMINERS.has(first) ? lowerFirst(label) : `the ${lowerFirst(label)}`;
  }
  const c = asClause(label);
  if (!c || !c.wh) return 'your answer';
  if (c.wh === 'how much' && q.type === 'money') return `the amount ${c.clause}`;
  if (c.wh.startsWith('how many ')) return `the number of ${c.wh.slice('how many '.length)} ${c.whIsSubject ? 'that ' : ''}${c.clause}`;
  if (c.wh === 'when' && q.type === 'date') return `the date ${c.clause}`;
  return `${c.wh} ${c.clause}`;
}

/** The name as the subject of "… must be": "The project title", "Your answer about how you will spend the grant". */
export function questionSubject(q: Question): string {
  const name = questionName(q);
  if (QUESTION_WORDS.has(name.split(' ')[0])) return `Your answer about ${name}`;
  return upperFirst(name.replace(/^an? /, 'the '));
}

/** What "yes" means, for "Select yes if …"; null when the label cannot be read that way. */
function yesMeans(q: Question): string | null {
  if (q.errorName?.trim()) return q.errorName.trim();
  const c = asClause(plainLabel(q));
  return c && !c.wh ? c.clause : null;
}

/** The GOV.UK message for a question with no answer: "Enter …", "Select …", "Upload …". */
export function requiredMessage(q: Question): string {
  switch (q.type) {
    case 'yes_no': {
      const yes = yesMeans(q);
      return yes ? `Select yes if ${yes}` : 'Select yes or no';
    }
    case 'single_choice':
    case 'multiple_choice':
      return `Select ${questionName(q)}`;
    case 'file':
      return `Select ${questionName(q)}`;
    default:
      return `Enter ${questionName(q)}`;
  }
}

/** "£20,000", "£1,000.50". */
const pounds = (p: number) => (Number.isSafeInteger(p) ? formatPounds(p) : `£${(p / 100).toLocaleString('en-GB')}`); // a form's bound is checked elsewhere, not trusted here

/** The round's smallest and largest grant: a money answer to the amount question must be within them. */
export interface GrantLimits {
  minGrantPence: number;
  maxGrantPence: number;
}

/**
 * Checks one answer against its question. An empty answer is fine here (a draft may be
 * incomplete); required questions are checked when the application is submitted. With the
 * round's `limits`, the amount asked for must also be within the smallest and largest grant.
 */
export function checkAnswer(q: Question, value: unknown, field = `answers.${q.id}`, limits?: GrantLimits): FieldError | null {
  if (!isAnswered(q, value)) return null;
  const bad = (rule: string, message: string): FieldError => ({ field, rule, message });
  const subject = questionSubject(q);
  switch (q.type) {
    case 'short_text': {
      if (typeof value !== 'string') return bad('isString', `${subject} must be text`);
      const max = q.maxLength ?? 200;
      if (value.length > max) return bad('maxLength', `${subject} must be ${max} characters or fewer`);
      // A title or a name goes into emails, CSV exports and page headings: one line only.
      return isSingleLine(value) ? null : bad('isSingleLine', `${subject} must be on one line, without line breaks, tabs or control characters`);
    }
    case 'long_text': {
      if (typeof value !== 'string') return bad('isString', `${subject} must be text`);
      if (value.length > 100_000) return bad('maxLength', `${subject} must be 100,000 characters or fewer`);
      return q.wordLimit && countWords(value) > q.wordLimit ? bad('wordLimit', `${subject} must be ${q.wordLimit} words or fewer`) : null;
    }
    case 'number':
    case 'money': {
      const money = q.type === 'money';
      if (typeof value !== 'number' || !Number.isFinite(value) || (money && !Number.isSafeInteger(value))) {
        return bad(money ? 'isPence' : 'isNumber', money ? `${subject} must be an amount in whole pence` : `${subject} must be a number`);
      }
      // Money is never negative, and never beyond what PostgreSQL's bigint and every total can hold.
      if (money && value < 0) return bad('min', `${subject} must be £0 or more`);
      if (money && value > MAX_PENCE) return bad('max', `${subject} must be ${pounds(MAX_PENCE)} or less`);
      // The amount asked for is also held to the round's smallest and largest grant.
      const roundLimits = money && q.id === AMOUNT_QUESTION && limits;
      const min = roundLimits ? Math.max(q.min ?? 0, limits.minGrantPence) : q.min;
      const max = roundLimits ? Math.min(q.max ?? MAX_PENCE, limits.maxGrantPence) : q.max;
      const shown = (n: number) => (money ? pounds(n) : n.toLocaleString('en-GB'));
      const rule = min !== undefined && value < min ? 'min' : max !== undefined && value > max ? 'max' : null;
      if (rule && min !== undefined && max !== undefined) return bad(rule, `${subject} must be between ${shown(min)} and ${shown(max)}`);
      if (min !== undefined && value < min) return bad('min', `${subject} must be ${shown(min)} or more`);
      if (max !== undefined && value > max) return bad('max', `${subject} must be ${shown(max)} or less`);
      return null;
    }
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
      return !d || d.getUTCDate() !== +m![3] || d.getUTCMonth() !== +m![2] - 1 ? bad('isDate', `${subject} must be a real date`) : null;
    }
    case 'yes_no':
      return typeof value === 'boolean' ? null : bad('isBoolean', requiredMessage(q));
    case 'single_choice':
      return typeof value === 'string' && (q.options ?? []).some((o) => o.value === value) ? null : bad('isIn', requiredMessage(q));
    case 'multiple_choice':
      return Array.isArray(value) && value.every((v) => (q.options ?? []).some((o) => o.value === v)) && new Set(value).size === value.length
        ? null
        : bad('isIn', `${requiredMessage(q)}, each once, from the options`);
    case 'address':
      return checkAddress(value, field);
    case 'file':
      return typeof value === 'string' && isUuid(value) ? null : bad('isFile', requiredMessage(q));
  }
}

/** The address parts, named as GOV.UK's address pattern names them. */
const ADDRESS_PARTS: Record<keyof AddressAnswer, { required: boolean; enter: string; name: string }> = {
  line1: { required: true, enter: 'Enter address line 1, typically the building and street', name: 'Address line 1' },
  line2: { required: false, enter: '', name: 'Address line 2' },
  town: { required: true, enter: 'Enter town or city', name: 'Town or city' },
  postcode: { required: true, enter: 'Enter postcode', name: 'Postcode' },
};
const ADDRESS_LINE_MAX = 200;

/**
 * An address is an object of four text parts. Each part is checked on its own so that an API
 * client sending `{ line1: 5 }` or an array is told which part is wrong (`answers.q3.line1`),
 * rather than the check itself failing.
 */
function checkAddress(value: unknown, field: string): FieldError | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { field, rule: 'isAddress', message: 'Enter the address as line1, line2 (optional), town and postcode' };
  }
  const a = value as Record<string, unknown>;
  const unknown = Object.keys(a).find((k) => !Object.prototype.hasOwnProperty.call(ADDRESS_PARTS, k));
  if (unknown !== undefined)
    return { field: `${field}.${unknown}`, rule: 'unknownField', message: `An address has only line1, line2, town and postcode, not "${unknown}"` };
  for (const [part, { required, enter, name }] of Object.entries(ADDRESS_PARTS)) {
    const v = a[part];
    const at = `${field}.${part}`;
    if (v === undefined || v === null || v === '') {
      if (required) return { field: at, rule: 'required', message: enter };
      continue;
    }
    if (typeof v !== 'string') return { field: at, rule: 'isString', message: `${name} must be text` };
    if (required && !v.trim()) return { field: at, rule: 'required', message: enter };
    if (v.length > ADDRESS_LINE_MAX) return { field: at, rule: 'maxLength', message: `${name} must be ${ADDRESS_LINE_MAX} characters or fewer` };
    if (!isSingleLine(v)) return { field: at, rule: 'isSingleLine', message: `${name} must be on one line, without line breaks, tabs or control characters` };
  }
  return POSTCODE.test((a.postcode as string).trim()) ? null : { field: `${field}.postcode`, rule: 'isPostcode', message: 'Enter a full UK postcode' };
}

/**
 * Checks the answers given against their questions. With the round (its smallest and largest
 * grant), as when a page or an API client saves, also the form's own rules: the amount within the
 * round's limits and no answer the form refuses (refuseIf: police-officer costs in the Active
 * Citizens Fund) — so the applicant hears about them at the question, not at submission. One
 * problem per question: the first that applies.
 */
export function checkAnswers(form: FormDefinition, answers: Answers, round?: GrantLimits): FieldError[] {
  const questions = new Map(allQuestions(form).map((q) => [q.id, q]));
  const errors: FieldError[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.get(id);
    if (!q) {
      errors.push({ field: `answers.${id}`, rule: 'unknownQuestion', message: `There is no question "${id}" on this form` });
      continue;
    }
    const e =
      checkAnswer(q, value, undefined, round) ?? (round ? (refusedAnswers({ sections: [{ id: '', title: '', questions: [q] }] }, answers)[0] ?? null) : null);
    if (e) errors.push(e);
  }
  return errors;
}

export function missingRequired(form: FormDefinition, answers: Answers): FieldError[] {
  return allQuestions(form)
    .filter((q) => q.required && !isAnswered(q, answers[q.id]))
    .map((q) => ({ field: `answers.${q.id}`, rule: 'required', message: requiredMessage(q) }));
}

export type SectionStatus = 'not_started' | 'in_progress' | 'completed';

export function sectionStatus(section: FormSection, answers: Answers): SectionStatus {
  const answered = section.questions.filter((q) => isAnswered(q, answers[q.id]));
  if (answered.length === 0) return 'not_started';
  const complete =
    section.questions.every((q) => !q.required || isAnswered(q, answers[q.id])) && section.questions.every((q) => !checkAnswer(q, answers[q.id]));
  return complete ? 'completed' : 'in_progress';
}
