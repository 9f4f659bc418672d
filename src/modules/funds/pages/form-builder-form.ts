/**
 * The form builder's small forms (one question, one section, an imported JSON document), between
 * the posted fields and the round's form definition:
 * - what a saved question looks like in the question page's fields (money in pounds, options one
 *   per line);
 * - what the posted fields mean as a Question, checked field by field with GOV.UK messages, then
 *   against the API's own QuestionDto rules as a backstop;
 * - the round's whole input (every setting as saved, with the changed definition) for
 *   RoundsService.update, and where the definition's problems belong on the page.
 * Every change is a whole round input so the service's rules (locked settings, the questions every
 * form needs) are the ones that decide.
 */
import { formatPounds, parsePounds } from '@pcc/money';
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, readForm, str } from '../../../platform/web/forms';
import { ID_PATTERN, QuestionDto, RoundInputDto } from '../dto/round-input.dto';
import type { FundingRound } from '../entities/funding-round.entity';
import {
  AMOUNT_QUESTION,
  CATEGORY_QUESTION,
  type FormDefinition,
  type FormSection,
  type Question,
  QUESTION_TYPES,
  type QuestionType,
} from '../form-definition';
import { roundRuleProblems } from '../round-rules';
import type { RoundInput } from '../rounds.service';

/** The questions every form needs: their id and type are fixed and they are always required. */
export const CORE_QUESTIONS = new Set([AMOUNT_QUESTION, CATEGORY_QUESTION]);

export const isQuestionType = (v: string): v is QuestionType => (QUESTION_TYPES as readonly string[]).includes(v);

/** What a question page's fields hold. */
export type QuestionFormValues = Record<string, string>;

/** The settings fields of each type (both kinds of choice share the options). */
const SETTING_FIELDS = ['shortMaxLength', 'longWordLimit', 'numberMin', 'numberMax', 'moneyMin', 'moneyMax', 'options', 'refuseYesNo', 'refuseChoice'] as const;

const optionLines = (q: Question) => (q.options ?? []).map((o) => o.text).join('\n');
const numberText = (n: number | undefined) => (n === undefined ? '' : String(n));
const poundsText = (p: number | undefined) => (p === undefined ? '' : formatPounds(p).replace('£', ''));

/** A saved question in the question page's fields. */
export function questionFormValues(q: Question): QuestionFormValues {
  return {
    type: q.type,
    label: q.label,
    hint: q.hint ?? '',
    required: q.required ? 'yes' : 'no',
    shortMaxLength: q.type === 'short_text' ? numberText(q.maxLength) : '',
    longWordLimit: q.type === 'long_text' ? numberText(q.wordLimit) : '',
    numberMin: q.type === 'number' ? numberText(q.min) : '',
    numberMax: q.type === 'number' ? numberText(q.max) : '',
    moneyMin: q.type === 'money' ? poundsText(q.min) : '',
    moneyMax: q.type === 'money' ? poundsText(q.max) : '',
    options: q.type === 'single_choice' || q.type === 'multiple_choice' ? optionLines(q) : '',
    errorName: q.errorName ?? '',
    refuseYesNo: q.type === 'yes_no' && typeof q.refuseIf === 'boolean' ? (q.refuseIf ? 'yes' : 'no') : 'none',
    refuseChoice: q.type === 'single_choice' && typeof q.refuseIf === 'string' ? (q.options?.find((o) => o.value === q.refuseIf)?.text ?? '') : '',
    refuseMessage: q.refuseMessage ?? '',
  };
}

/** The posted fields the question page knows, as text. */
export function postedQuestionValues(body: unknown): QuestionFormValues {
  const fields = (body ?? {}) as Record<string, unknown>;
  const out: QuestionFormValues = {};
  for (const f of ['type', 'label', 'hint', 'required', 'errorName', 'refuseMessage', ...SETTING_FIELDS]) out[f] = str(fields[f]);
  return out;
}

/** Text as a stable id: "How many people?" → "howManyPeople", unique among `taken`. */
export function idFrom(text: string, taken: Set<string>, fallback: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  if (!/^[a-zA-Z]/.test(base)) base = fallback + base;
  base = base.slice(0, 36);
  let id = base;
  // "new" is a path in the builder's addresses (…/questions/new), so never an id.
  for (let n = 2; taken.has(id) || id === 'new' || !ID_PATTERN.test(id); n++) id = `${base}${n}`;
  return id;
}

function wholeNumber(text: string, field: string, label: string, errors: FormError[], bounds: { min: number; max: number }): number | undefined {
  const t = text.trim().replace(/,/g, '');
  if (!t) return undefined;
  if (!/^\d+$/.test(t) || Number(t) < bounds.min || Number(t) > bounds.max) {
    errors.push({ field, message: `${label} must be a whole number from ${bounds.min} to ${bounds.max.toLocaleString('en-GB')}` });
    return undefined;
  }
  return Number(t);
}

function decimal(text: string, field: string, label: string, errors: FormError[]): number | undefined {
  const t = text.trim().replace(/,/g, '');
  if (!t) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(t) || Math.abs(Number(t)) > 1e12) {
    errors.push({ field, message: `Enter ${label} as a number, like 10` });
    return undefined;
  }
  return Number(t);
}

function pounds(text: string, field: string, label: string, errors: FormError[]): number | undefined {
  if (!text.trim()) return undefined;
  const p = parsePounds(text.trim());
  if (p === null) errors.push({ field, message: `Enter ${label} in pounds, like 1,000 or 250.50` });
  return p ?? undefined;
}

/** Options typed one per line; an option keeps its stored value when its text is unchanged. */
function readOptions(text: string, field: string, previous: Question | undefined, errors: FormError[]) {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 2) errors.push({ field, message: 'Enter at least two options, one on each line' });
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (l.length > 200) errors.push({ field, message: `Option ${i + 1} must be 200 characters or fewer` });
    if (seen.has(l.toLowerCase())) errors.push({ field, message: `The option “${l}” is listed twice` });
    seen.add(l.toLowerCase());
  });
  const kept = new Map((previous?.options ?? []).map((o) => [o.text, o.value]));
  return lines.map((l) => ({ value: kept.get(l) ?? l, text: l }));
}

export interface QuestionForm {
  /** The question as it will be saved; to be used only when there are no `errors`. */
  question: Question;
  errors: FormError[];
}

/**
 * Reads a posted question page into a Question: `previous` is the saved question when changing
 * one (its id stays, and so does anything this page does not show), and
 * `taken` the ids already in the form, for a new question's id. The core questions keep their id,
 * type and required.
 */
export async function readQuestionForm(body: unknown, previous: Question | undefined, taken: Set<string>): Promise<QuestionForm> {
  const v = postedQuestionValues(body);
  const errors: FormError[] = [];
  const core = previous !== undefined && CORE_QUESTIONS.has(previous.id);
  const type = core ? previous.type : v.type;
  if (!isQuestionType(type)) errors.push({ field: 'type', message: 'Select the type of question' });
  const label = v.label.trim();
  if (!label) errors.push({ field: 'label', message: 'Enter the question' });
  else if (label.length > 500) errors.push({ field: 'label', message: 'The question must be 500 characters or fewer' });
  else if (/[\r\n]/.test(v.label)) errors.push({ field: 'label', message: 'The question must be on one line' });
  const hint = v.hint.trim();
  if (hint.length > 2000) errors.push({ field: 'hint', message: 'The hint must be 2,000 characters or fewer' });
  if (!core && v.required !== 'yes' && v.required !== 'no') errors.push({ field: 'required', message: 'Select yes if applicants must answer the question' });

  const errorName = v.errorName.trim();
  if (errorName.length > 200) errors.push({ field: 'errorName', message: 'The name in error messages must be 200 characters or fewer' });
  else if (/[\r\n]/.test(v.errorName)) errors.push({ field: 'errorName', message: 'The name in error messages must be on one line' });
  const refuseMessage = v.refuseMessage.trim();
  if (refuseMessage.length > 2000) errors.push({ field: 'refuseMessage', message: 'What to tell the applicant must be 2,000 characters or fewer' });

  // Keep anything this page does not show, but not the settings it edits.
  const kept: Partial<Question> = { ...(previous ?? {}) };
  for (const k of ['maxLength', 'wordLimit', 'min', 'max', 'options', 'hint', 'errorName', 'refuseIf', 'refuseMessage'] as const) delete kept[k];
  const question: Question = {
    ...kept,
    id: previous?.id ?? idFrom(label, taken, 'q'),
    type: isQuestionType(type) ? type : 'short_text',
    label,
    ...(hint ? { hint } : {}),
    ...(errorName ? { errorName } : {}),
    required: core ? true : v.required === 'yes',
  };
  switch (type) {
    case 'short_text':
      question.maxLength = wholeNumber(v.shortMaxLength, 'shortMaxLength', 'The most characters', errors, { min: 1, max: 100_000 });
      break;
    case 'long_text':
      question.wordLimit = wholeNumber(v.longWordLimit, 'longWordLimit', 'The word limit', errors, { min: 1, max: 100_000 });
      break;
    case 'number':
      question.min = decimal(v.numberMin, 'numberMin', 'the smallest answer', errors);
      question.max = decimal(v.numberMax, 'numberMax', 'the largest answer', errors);
      break;
    case 'money':
      question.min = pounds(v.moneyMin, 'moneyMin', 'the smallest amount', errors);
      question.max = pounds(v.moneyMax, 'moneyMax', 'the largest amount', errors);
      break;
    case 'single_choice':
      // The category question's options are always the round's categories.
      if (!(previous?.id === CATEGORY_QUESTION)) question.options = readOptions(v.options, 'options', previous, errors);
      else if (previous.options) question.options = previous.options;
      if (v.refuseChoice.trim() && question.options) {
        const refused = question.options.find((o) => o.text.toLowerCase() === v.refuseChoice.trim().toLowerCase());
        if (refused) question.refuseIf = refused.value;
        else errors.push({ field: 'refuseChoice', message: 'Enter one of the options exactly as it is written above, or leave this empty' });
      }
      break;
    case 'yes_no':
      if (v.refuseYesNo === 'yes' || v.refuseYesNo === 'no') question.refuseIf = v.refuseYesNo === 'yes';
      break;
    case 'multiple_choice':
      question.options = readOptions(v.options, 'options', previous, errors);
      break;
  }
  // An ineligible answer needs its reason, which the applicant sees next to the question.
  if (question.refuseIf !== undefined) {
    if (refuseMessage) question.refuseMessage = refuseMessage;
    else errors.push({ field: 'refuseMessage', message: 'Enter what to tell an applicant who gives the answer that makes the application ineligible' });
  }
  for (const k of Object.keys(question) as (keyof Question)[]) if (question[k] === undefined) delete question[k];
  const rangeField = type === 'money' ? 'moneyMax' : 'numberMax';
  if (question.min !== undefined && question.max !== undefined && question.max < question.min)
    errors.push({ field: rangeField, message: 'The largest answer must be the same as or more than the smallest' });

  // The API's own rules on a question, as a backstop for anything the checks above let through.
  if (!errors.length) {
    const { id, type: t, label: l, hint: h, errorName: e, required, maxLength, wordLimit, min, max, options, refuseIf, refuseMessage: r } = question;
    const dto = await readForm(QuestionDto, {
      id,
      type: t,
      label: l,
      hint: h,
      errorName: e,
      required,
      maxLength,
      wordLimit,
      min,
      max,
      options,
      refuseIf,
      refuseMessage: r,
    });
    errors.push(...questionErrorsOnForm(dto.errors, question.type));
  }
  return { question, errors };
}

/** Where a problem with one question's field (`label`, `options.2.text`, `max`) belongs on its page. */
export function questionErrorsOnForm(details: readonly FieldError[], type: QuestionType): FormError[] {
  return details.map((d) => {
    const key = d.field.split('.')[0];
    const byKey: Record<string, string> = {
      min: type === 'money' ? 'moneyMin' : 'numberMin',
      max: type === 'money' ? 'moneyMax' : 'numberMax',
      maxLength: 'shortMaxLength',
      wordLimit: 'longWordLimit',
      options: 'options',
      label: 'label',
      hint: 'hint',
      errorName: 'errorName',
      refuseIf: type === 'yes_no' ? 'refuseYesNo' : 'refuseChoice',
      refuseMessage: 'refuseMessage',
      type: 'type',
      required: 'required',
    };
    const field = byKey[key] ?? 'label';
    return { field, message: d.message };
  });
}

/** The section page's one field. */
export function readSectionForm(body: unknown): { title: string; errors: FormError[] } {
  const title = str((body as Record<string, unknown> | null)?.title).trim();
  const errors: FormError[] = [];
  if (!title) errors.push({ field: 'title', message: 'Enter a title for the section' });
  else if (title.length > 200) errors.push({ field: 'title', message: 'The title must be 200 characters or fewer' });
  else if (/[\r\n]/.test(title)) errors.push({ field: 'title', message: 'The title must be on one line' });
  return { title, errors };
}

// ---- the round's whole input -------------------------------------------------------------------

/** A saved round as RoundsService.update takes it, with the form definition given. */
export function roundInputWith(round: FundingRound, changes: Partial<Pick<RoundInput, 'form' | 'categories' | 'ringFences' | 'criteria'>>): RoundInput {
  return {
    programmeId: round.programmeId,
    name: round.name,
    referencePrefix: round.referencePrefix,
    summary: round.summary,
    guidance: round.guidance,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    totalBudgetPence: round.totalBudgetPence,
    minGrantPence: round.minGrantPence,
    maxGrantPence: round.maxGrantPence,
    eligibleOrgTypes: round.eligibleOrgTypes,
    eligibleAreas: round.eligibleAreas,
    categories: round.categories,
    ringFences: (round.ringFences ?? []).map((f) => ({
      name: f.name,
      amountPence: f.amountPence,
      ...(f.category ? { category: f.category } : { areaOnsCode: f.areaOnsCode }),
    })),
    criteria: (round.criteria ?? []).map((c) => ({ name: c.name, guidance: c.guidance, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax })),
    form: round.form,
    assessorsPerApplication: round.assessorsPerApplication,
    moderationThreshold: round.moderationThreshold,
    reminderHoursBefore: round.reminderHoursBefore,
    offerPeriodDays: round.offerPeriodDays,
    grantConditions: round.grantConditions,
    paymentSchedule: round.paymentSchedule,
    ...changes,
  };
}

/**
 * Every problem with a round input as the API would find them (the DTO's rules, unknown fields
 * refused when `strict`) and the service's cross-field rules, with dotted paths.
 */
export async function roundInputProblems(input: RoundInput, strict = false): Promise<FieldError[]> {
  const body = { ...input, opensAt: input.opensAt.toISOString(), closesAt: input.closesAt.toISOString() };
  const { errors } = await readForm(RoundInputDto, body, { refuseUnknownFields: strict });
  return [...errors, ...roundRuleProblems(input)];
}

/** Where a problem with the whole definition is shown on a page about one question, section or removal. */
export function definitionErrorsOnPage(
  details: readonly FieldError[],
  at: { sectionIndex?: number; questionIndex?: number; type?: QuestionType },
  fallbackField: string,
): FormError[] {
  return details.map((d) => {
    const m = /^form\.sections\.(\d+)\.questions\.(\d+)\.(.+)$/.exec(d.field);
    if (m && at.type && Number(m[1]) === at.sectionIndex && Number(m[2]) === at.questionIndex) return questionErrorsOnForm([{ ...d, field: m[3] }], at.type)[0];
    if (/^form\.sections\.\d+\.title$/.test(d.field)) return { field: 'title', message: d.message };
    return { field: fallbackField, message: friendlyDefinitionMessage(d) };
  });
}

/** The definition's rules speak of ids; a fund manager sees the questions by name. */
function friendlyDefinitionMessage(d: FieldError): string {
  if (d.rule === 'amountQuestion') return 'The form must keep the required money question asking how much the organisation is applying for';
  if (d.rule === 'categoryQuestion') return 'The form must keep the required question asking which category the project is in';
  if (d.rule === 'arrayMinSize' && /questions$/.test(d.field)) return 'Each section needs at least one question. Remove the section instead';
  if (d.rule === 'arrayMinSize' && d.field === 'form.sections') return 'The form needs at least one section';
  if (d.rule === 'lockedWhileOpen') return 'The round has opened, so its application form can no longer change';
  return d.message;
}

// ---- moving things about -----------------------------------------------------------------------

/** A copy of the definition, safe to change. */
export const copyOf = (form: FormDefinition): FormDefinition => JSON.parse(JSON.stringify(form)) as FormDefinition;

/** Moves item `index` one place up or down; false when it is already at that end. */
export function move<T>(list: T[], index: number, direction: string): boolean {
  const to = direction === 'up' ? index - 1 : direction === 'down' ? index + 1 : -1;
  if (index < 0 || to < 0 || to >= list.length) return false;
  [list[index], list[to]] = [list[to], list[index]];
  return true;
}

export function findSection(form: FormDefinition, sectionId: string): { section: FormSection; index: number } | undefined {
  const index = form.sections.findIndex((s) => s.id === sectionId);
  return index < 0 ? undefined : { section: form.sections[index], index };
}

export const questionIds = (form: FormDefinition) => new Set(form.sections.flatMap((s) => s.questions.map((q) => q.id)));

// ---- JSON export and import --------------------------------------------------------------------

/** What the export holds and the import takes: the form and the settings that go with it. */
export interface FormExport {
  form: FormDefinition;
  categories: { code: string; name: string }[];
  ringFences: { name: string; amountPence: number; category?: string | null; areaOnsCode?: string | null }[];
  criteria: { name: string; guidance?: string; weight: number; scaleMin?: number; scaleMax?: number }[];
}

/** The category question's options follow the round's categories, so the export leaves them out. */
export function exportOf(round: FundingRound): FormExport {
  const input = roundInputWith(round, {});
  const form = copyOf(round.form);
  for (const s of form.sections) for (const q of s.questions) if (q.id === CATEGORY_QUESTION) delete q.options;
  return { form, categories: input.categories, ringFences: input.ringFences ?? [], criteria: input.criteria ?? [] };
}

const IMPORT_KEYS = new Set(['form', 'categories', 'ringFences', 'criteria']);

/**
 * A pasted export as the round's new input: the form must be there; categories, ring-fences and
 * criteria replace the round's when given. Problems are listed with where they are in the JSON.
 */
export async function readImport(text: string, round: FundingRound): Promise<{ input?: RoundInput; errors: FormError[] }> {
  const bad = (message: string) => ({ errors: [{ field: 'json', message }] });
  if (!text.trim()) return bad('Paste the JSON of an exported application form');
  if (text.length > 1_000_000) return bad('The JSON must be smaller than 1 MB');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return bad(`The JSON is not valid: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return bad('The JSON must be an object with a "form", as exported');
  const d = doc as Record<string, unknown>;
  const unknown = Object.keys(d).filter((k) => !IMPORT_KEYS.has(k));
  if (unknown.length) return bad(`The JSON has fields an export does not have: ${unknown.join(', ')}`);
  if (!('form' in d)) return bad('The JSON must have a "form", as exported');
  const changes = Object.fromEntries(Object.entries(d).filter(([k]) => IMPORT_KEYS.has(k))) as Partial<RoundInput>;
  const input = roundInputWith(round, changes);
  const problems = await roundInputProblems(input, true);
  const errors = problems.map((p) => ({ field: 'json', message: `${p.field}: ${p.message}` }));
  return errors.length ? { errors } : { input, errors };
}

// ---- categories, ring-fences and criteria: add-another lists -----------------------------------

export const LIST_KINDS = ['categories', 'ring-fences', 'criteria'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const isListKind = (v: string): v is ListKind => (LIST_KINDS as readonly string[]).includes(v);

export interface ListField {
  name: string;
  label: string;
  kind: 'text' | 'pounds' | 'number' | 'select' | 'textarea' | 'hidden';
  hint?: string;
}

/** Each list's fields, as the page shows them: names and pounds, never codes and pence. */
export const LIST_FIELDS: Record<ListKind, ListField[]> = {
  categories: [
    { name: 'code', label: 'Code', kind: 'hidden' },
    { name: 'name', label: 'Name', kind: 'text', hint: 'What applicants choose, for example, Victims of hate crime' },
  ],
  'ring-fences': [
    { name: 'name', label: 'Name', kind: 'text' },
    { name: 'amount', label: 'Amount kept for it', kind: 'pounds' },
    { name: 'category', label: 'Which applications qualify', kind: 'select' },
  ],
  criteria: [
    { name: 'name', label: 'Name', kind: 'text', hint: 'For example, Need' },
    { name: 'weight', label: 'Weight', kind: 'number', hint: 'How much it counts in the weighted total, from 1 to 100' },
    { name: 'scaleMin', label: 'Lowest score', kind: 'number' },
    { name: 'scaleMax', label: 'Highest score', kind: 'number' },
    { name: 'guidance', label: 'Guidance for assessors (optional)', kind: 'textarea' },
  ],
};

/** One row of a list page's fields, by field name. */
export type ListRow = Record<string, string>;

/** A saved round's list as the page's rows. */
export function listRowsOf(round: FundingRound, kind: ListKind): ListRow[] {
  if (kind === 'categories') return round.categories.map((c) => ({ code: c.code, name: c.name }));
  if (kind === 'ring-fences')
    return (round.ringFences ?? []).map((f) => ({
      name: f.name,
      amount: formatPounds(f.amountPence).replace('£', ''),
      category: f.category ?? `area:${f.areaOnsCode}`,
    }));
  return (round.criteria ?? []).map((c) => ({
    name: c.name,
    weight: String(c.weight),
    scaleMin: String(c.scaleMin),
    scaleMax: String(c.scaleMax),
    guidance: c.guidance,
  }));
}

const MAX_ROWS = 50;

/** The rows as posted (`name-0`, `amount-0` …, with `rows` saying how many), and which button was pressed. */
export function postedRows(body: unknown, kind: ListKind): { rows: ListRow[]; action: string } {
  const fields = (body ?? {}) as Record<string, unknown>;
  const count = Math.min(MAX_ROWS, Math.max(0, Number.parseInt(str(fields.rows), 10) || 0));
  const rows: ListRow[] = [];
  for (let i = 0; i < count; i++) rows.push(Object.fromEntries(LIST_FIELDS[kind].map((f) => [f.name, str(fields[`${f.name}-${i}`])])));
  return { rows, action: str(fields.action) };
}

const blankRow = (row: ListRow) => Object.entries(row).every(([k, v]) => k === 'code' || !v.trim());

/** "Victims of hate crime" → "victims_of_hate_crime", unique among `taken`. */
function codeFrom(name: string, taken: Set<string>): string {
  let base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 36);
  if (!/^[a-z]/.test(base)) base = `c_${base}`.slice(0, 36);
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  return code;
}

const LIST_ITEM: Record<ListKind, string> = { categories: 'Category', 'ring-fences': 'Ring-fence', criteria: 'Criterion' };
const API_LIST: Record<ListKind, 'categories' | 'ringFences' | 'criteria'> = { categories: 'categories', 'ring-fences': 'ringFences', criteria: 'criteria' };

/**
 * The rows as the round's list, checked row by row with GOV.UK messages ("Ring-fence 2: enter the
 * amount in pounds"), then with the API's rules and the service's on the whole round input.
 * Blank rows (an added row left empty) are left out.
 */
export async function readList(rows: ListRow[], kind: ListKind, round: FundingRound): Promise<{ input: RoundInput; errors: FormError[] }> {
  const errors: FormError[] = [];
  const kept = rows.map((row, i) => ({ row, i })).filter(({ row }) => !blankRow(row));
  const at = (field: string, i: number, message: string) => errors.push({ field: `${field}-${i}`, message: `${LIST_ITEM[kind]} ${i + 1}: ${message}` });
  const name = (row: ListRow, i: number) => {
    const n = row.name.trim();
    if (!n) at('name', i, 'enter a name');
    else if (n.length > 200) at('name', i, 'the name must be 200 characters or fewer');
    return n;
  };
  const whole = (row: ListRow, field: string, i: number, label: string, fallback: number) => {
    const t = row[field].trim();
    if (!t) return fallback;
    if (!/^\d+$/.test(t) || Number(t) > 100) {
      at(field, i, `the ${label} must be a whole number from 0 to 100`);
      return fallback;
    }
    return Number(t);
  };
  let changes: Partial<RoundInput>;
  if (kind === 'categories') {
    const categories = kept.map(({ row, i }) => ({ code: row.code.trim(), name: name(row, i) }));
    // A saved category keeps its code (ring-fences and answers refer to it); a new one's is made
    // from its name, unique among the others.
    const used = new Set<string>();
    for (const c of categories)
      if (c.code && !used.has(c.code)) used.add(c.code);
      else c.code = '';
    for (const c of categories) if (!c.code) used.add((c.code = codeFrom(c.name, used)));
    changes = { categories };
  } else if (kind === 'ring-fences') {
    changes = {
      ringFences: kept.map(({ row, i }) => {
        const n = name(row, i);
        let amountPence = 0;
        if (!row.amount.trim()) at('amount', i, 'enter the amount in pounds');
        else {
          const p = parsePounds(row.amount.trim());
          if (p === null || p < 1) at('amount', i, 'enter the amount in pounds, like 50,000');
          else amountPence = p;
        }
        if (!row.category) at('category', i, 'select the category or the area it is for');
        return { name: n, amountPence, ...(row.category.startsWith('area:') ? { areaOnsCode: row.category.slice(5) } : { category: row.category }) };
      }),
    };
  } else {
    changes = {
      criteria: kept.map(({ row, i }) => {
        const n = name(row, i);
        const weight = row.weight.trim() ? whole(row, 'weight', i, 'weight', 1) : (at('weight', i, 'enter the weight, like 3'), 1);
        if (weight < 1) at('weight', i, 'the weight must be a whole number from 1 to 100');
        const scaleMin = whole(row, 'scaleMin', i, 'lowest score', 0);
        const scaleMax = whole(row, 'scaleMax', i, 'highest score', 5);
        if (scaleMax <= scaleMin) at('scaleMax', i, 'the highest score must be above the lowest');
        const guidance = row.guidance.trim();
        if (guidance.length > 2000) at('guidance', i, 'the guidance must be 2,000 characters or fewer');
        return { name: n, weight, scaleMin, scaleMax, guidance };
      }),
    };
  }
  const input = roundInputWith(round, changes);
  if (errors.length) return { input, errors };
  // The API's and the service's rules on the whole round (a ring-fence over the budget, a category still fenced).
  const rowOf = new Map(kept.map(({ i }, k) => [k, i]));
  const list = API_LIST[kind];
  for (const p of await roundInputProblems(input)) {
    const m = new RegExp(`^${list}\\.(\\d+)\\.?(\\w*)`).exec(p.field);
    if (m) {
      const i = rowOf.get(Number(m[1])) ?? 0;
      const field = LIST_FIELDS[kind].some((f) => f.name === m[2] && f.kind !== 'hidden') ? m[2] : m[2] === 'amountPence' ? 'amount' : 'name';
      at(field, i, p.message.charAt(0).toLowerCase() + p.message.slice(1));
    } else errors.push({ field: 'rows', message: p.message });
  }
  return { input, errors };
}
