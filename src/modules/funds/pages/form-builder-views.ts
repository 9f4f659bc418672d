/**
 * What the form builder's pages show, from the round: plain objects for the Nunjucks templates in
 * ../views/form-builder*.njk (GOV.UK component parameters, with text, never HTML).
 */
import { formatPounds } from '@pcc/money';
import { type FormError, errorView } from '../../../platform/web/forms';
import type { FundingRound } from '../entities/funding-round.entity';
import { CATEGORY_QUESTION, type FormSection, type Question, QUESTION_TYPES, type QuestionType } from '../form-definition';
import { ROUND_STATUS_TAGS } from '../round-status';
import type { RoundStatus } from '../rounds.service';
import { CORE_QUESTIONS, LIST_FIELDS, type ListKind, type ListRow, type QuestionFormValues } from './form-builder-form';

/** Each question type in words, as the question page offers them. */
export const QUESTION_TYPE_WORDS: Record<QuestionType, { name: string; hint: string }> = {
  short_text: { name: 'Short text', hint: 'One line, like a name or a title' },
  long_text: { name: 'Long text', hint: 'A paragraph or more, with an optional word limit' },
  number: { name: 'Number', hint: 'A number, like how many people will take part' },
  money: { name: 'Money', hint: 'An amount in pounds' },
  date: { name: 'Date', hint: 'A day, month and year' },
  yes_no: { name: 'Yes or no', hint: 'Two radio buttons' },
  single_choice: { name: 'Single choice', hint: 'Radio buttons: applicants pick one option' },
  multiple_choice: { name: 'Multiple choice', hint: 'Checkboxes: applicants pick one or more options' },
  address: { name: 'Address', hint: 'Address lines, town and postcode' },
  file: { name: 'File upload', hint: 'A document, like a policy' },
};

const base = (round: FundingRound) => `/staff/rounds/${round.id}/form`;
export const outlineHref = (round: FundingRound) => base(round);
export const sectionHref = (round: FundingRound, sectionId: string) => `${base(round)}/sections/${sectionId}`;
export const questionHref = (round: FundingRound, sectionId: string, questionId: string) => `${sectionHref(round, sectionId)}/questions/${questionId}`;

const SAVED_MESSAGES: Record<string, string> = {
  section: 'Section saved',
  question: 'Question saved',
  moved: 'Order changed',
  removed: 'Removed',
  imported: 'Form imported',
  categories: 'Categories saved',
  'ring-fences': 'Ring-fences saved',
  criteria: 'Assessment criteria saved',
};

/** A question's settings in words, for the outline: "Short text, up to 120 characters". */
function settingsInWords(q: Question): string {
  const parts = [QUESTION_TYPE_WORDS[q.type]?.name ?? q.type];
  if (q.maxLength) parts.push(`up to ${q.maxLength.toLocaleString('en-GB')} characters`);
  if (q.wordLimit) parts.push(`up to ${q.wordLimit.toLocaleString('en-GB')} words`);
  const show = (n: number) => (q.type === 'money' ? formatPounds(n) : n.toLocaleString('en-GB'));
  if (q.min !== undefined && q.max !== undefined) parts.push(`from ${show(q.min)} to ${show(q.max)}`);
  else if (q.min !== undefined) parts.push(`at least ${show(q.min)}`);
  else if (q.max !== undefined) parts.push(`at most ${show(q.max)}`);
  if (q.id === CATEGORY_QUESTION) parts.push('options are the round’s categories');
  else if (q.options) parts.push(`${q.options.length} options`);
  return parts.join(', ');
}

/** The outline: every section in order with its questions, and what can be done to each. */
export function outlineView(round: FundingRound, status: RoundStatus, options: { locked: boolean; saved?: string; errors?: FormError[] }) {
  const sections = round.form.sections;
  return {
    round,
    status: ROUND_STATUS_TAGS[status],
    locked: options.locked,
    savedMessage: options.saved ? SAVED_MESSAGES[options.saved] : undefined,
    roundHref: `/staff/rounds/${round.id}`,
    base: base(round),
    sections: sections.map((s, si) => ({
      id: s.id,
      number: si + 1,
      title: s.title,
      href: sectionHref(round, s.id),
      canMoveUp: si > 0,
      canMoveDown: si < sections.length - 1,
      questions: s.questions.map((q, qi) => ({
        id: q.id,
        label: q.label,
        type: settingsInWords(q),
        required: q.required ? 'Required' : 'Optional',
        href: questionHref(round, s.id, q.id),
        core: CORE_QUESTIONS.has(q.id),
        canMoveUp: qi > 0,
        canMoveDown: qi < s.questions.length - 1,
      })),
    })),
    ...errorView(options.errors ?? []),
  };
}

/** The question page: new (in a section, or as a new section's first question) or changing one. */
export function questionPageView(
  round: FundingRound,
  page: {
    sectionTitle: string;
    action: string;
    backHref: string;
    question?: Question;
    newSectionTitle?: string;
    values: QuestionFormValues;
    errors?: FormError[];
  },
) {
  const core = page.question !== undefined && CORE_QUESTIONS.has(page.question.id);
  const typeItems = QUESTION_TYPES.map((t) => ({
    value: t,
    text: QUESTION_TYPE_WORDS[t].name,
    hint: { text: QUESTION_TYPE_WORDS[t].hint },
    checked: page.values.type === t,
  }));
  return {
    round,
    heading: page.question ? `Change a question` : 'Add a question',
    sectionTitle: page.sectionTitle,
    action: page.action,
    backHref: page.backHref,
    newSectionTitle: page.newSectionTitle,
    core,
    coreType: core && page.question ? QUESTION_TYPE_WORDS[page.question.type].name : undefined,
    categoryQuestion: page.question?.id === CATEGORY_QUESTION,
    typeItems,
    values: page.values,
    ...errorView(page.errors ?? []),
  };
}

export function sectionPageView(round: FundingRound, page: { action: string; heading: string; title: string; errors?: FormError[]; isNew: boolean }) {
  return { round, backHref: outlineHref(round), ...page, ...errorView(page.errors ?? []) };
}

export function removePageView(round: FundingRound, page: { action: string; heading: string; what: string; errors?: FormError[] }) {
  return { round, backHref: outlineHref(round), ...page, ...errorView(page.errors ?? []) };
}

export function importPageView(round: FundingRound, page: { json: string; errors?: FormError[]; locked: boolean }) {
  return { round, backHref: outlineHref(round), exportHref: `${base(round)}/export`, ...page, ...errorView(page.errors ?? []) };
}

// ---- the preview -------------------------------------------------------------------------------

/**
 * One question as the applicant's page shows it: which GOV.UK component, and its parameters.
 * Ids are prefixed so no question id can clash with the page's own.
 */
function previewField(q: Question) {
  const id = `preview-${q.id}`;
  const label = { text: q.required ? q.label : `${q.label} (optional)`, classes: 'govuk-label--s' };
  const legend = { text: label.text, classes: 'govuk-fieldset__legend--s' };
  const hint = q.hint ? { text: q.hint } : undefined;
  const common = { id, name: id, hint };
  switch (q.type) {
    case 'long_text':
      return q.wordLimit
        ? { kind: 'characterCount', params: { ...common, label, maxwords: q.wordLimit, rows: 6 } }
        : { kind: 'textarea', params: { ...common, label, rows: 6 } };
    case 'number':
      return { kind: 'input', params: { ...common, label, inputmode: 'numeric', classes: 'govuk-input--width-10', spellcheck: false } };
    case 'money':
      return { kind: 'input', params: { ...common, label, prefix: { text: '£' }, classes: 'govuk-input--width-10', spellcheck: false } };
    case 'date':
      return { kind: 'dateInput', params: { id, namePrefix: id, hint: hint ?? { text: 'For example, 27 3 2027' }, fieldset: { legend } } };
    case 'yes_no':
      return {
        kind: 'radios',
        params: {
          ...common,
          classes: 'govuk-radios--inline',
          fieldset: { legend },
          items: [
            { value: 'yes', text: 'Yes' },
            { value: 'no', text: 'No' },
          ],
        },
      };
    case 'single_choice':
      return { kind: 'radios', params: { ...common, fieldset: { legend }, items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text })) } };
    case 'multiple_choice':
      return {
        kind: 'checkboxes',
        params: {
          ...common,
          fieldset: { legend },
          hint: hint ?? { text: 'Select all that apply' },
          items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text })),
        },
      };
    case 'file':
      return { kind: 'fileUpload', params: { ...common, label } };
    case 'address':
      return {
        kind: 'address',
        fieldset: { legend },
        inputs: [
          { id: `${id}-line1`, name: `${id}-line1`, label: { text: 'Address line 1' }, autocomplete: 'off' },
          { id: `${id}-line2`, name: `${id}-line2`, label: { text: 'Address line 2 (optional)' }, autocomplete: 'off' },
          { id: `${id}-town`, name: `${id}-town`, label: { text: 'Town or city' }, classes: 'govuk-!-width-two-thirds', autocomplete: 'off' },
          { id: `${id}-postcode`, name: `${id}-postcode`, label: { text: 'Postcode' }, classes: 'govuk-input--width-10', autocomplete: 'off' },
        ],
      };
    default:
      return { kind: 'input', params: { ...common, label, classes: q.maxLength && q.maxLength <= 20 ? 'govuk-input--width-20' : undefined } };
  }
}

export function previewView(round: FundingRound, section: FormSection, index: number) {
  const sections = round.form.sections;
  const prev = sections[index - 1];
  const next = sections[index + 1];
  return {
    round,
    section,
    position: { index: index + 1, total: sections.length },
    fields: section.questions.map(previewField),
    backHref: outlineHref(round),
    previousHref: prev ? `${sectionHref(round, prev.id)}/preview` : undefined,
    previousTitle: prev?.title,
    nextHref: next ? `${sectionHref(round, next.id)}/preview` : undefined,
    nextTitle: next?.title,
  };
}

// ---- categories, ring-fences and criteria ------------------------------------------------------

const LIST_TITLES: Record<ListKind, { heading: string; item: string; intro: string }> = {
  categories: {
    heading: 'Categories of work',
    item: 'Category',
    intro: 'Applicants choose one of these kinds of work. Ring-fences keep money for a category.',
  },
  'ring-fences': {
    heading: 'Ring-fences',
    item: 'Ring-fence',
    intro: 'Money kept for applications in one category, or from organisations in one area, within the round’s budget.',
  },
  criteria: { heading: 'Assessment criteria', item: 'Criterion', intro: 'What assessors score each application on, and how much each score counts.' },
};

/** An add-another list page: one fieldset of GOV.UK inputs per row, with the problems next to them. */
export function listPageView(round: FundingRound, kind: ListKind, rows: ListRow[], errors: FormError[] = [], areaNames: Map<string, string> = new Map()) {
  const view = errorView(errors);
  // A ring-fence qualifies applications by category, or by the area of the organisation applying.
  const areas = [...areaNames].filter(([code]) => !round.eligibleAreas.length || round.eligibleAreas.includes(code));
  const categories = [
    ...round.categories.map((c) => ({ value: c.code, text: c.name })),
    ...areas.map(([code, name]) => ({ value: `area:${code}`, text: `Organisations in ${name}` })),
  ];
  const titles = LIST_TITLES[kind];
  return {
    round,
    kind,
    ...titles,
    action: `${base(round)}/${kind}`,
    backHref: outlineHref(round),
    rowCount: rows.length,
    rows: rows.map((row, i) => ({
      legend: `${titles.item} ${i + 1}`,
      index: i,
      fields: LIST_FIELDS[kind].map((f) => ({
        ...f,
        id: `${f.name}-${i}`,
        value: row[f.name] ?? '',
        error: view.errorFor[`${f.name}-${i}`],
        items:
          f.kind === 'select'
            ? [{ value: '', text: 'Select a category or an area' }, ...categories.map((c) => ({ ...c, selected: c.value === row[f.name] }))]
            : undefined,
      })),
    })),
    ...view,
  };
}
