/**
 * The applicant's question pages, between the form definition, the browser and the service:
 * - what a stored answer looks like in the form's fields (money in pounds, a date in three boxes);
 * - what the posted fields mean as answers (pounds to pence, three boxes to YYYY-MM-DD), refusing
 *   what cannot be read at all before anything is saved;
 * - the parameters of the GOV.UK component for each question type, with the person's own input
 *   and any error on it;
 * - how each answer reads on the check-answers page.
 *
 * Field names and element ids are the question ids (letters and digits, so they cannot clash
 * with the layout's ids): a date is `<id>-day`, `<id>-month`, `<id>-year`; an address
 * `<id>-line1`, `<id>-line2`, `<id>-town`, `<id>-postcode`.
 */
import { formatPounds, parsePounds } from '@pcc/money';
import type { FieldError } from '../../platform/errors/app-exception';
import type { FormSection, Question } from '../funds';
import type { AddressAnswer } from './answers';
import type { ApplicationAttachment } from './entities/application-attachment.entity';
import type { Answers } from './entities/application.entity';
import { ALLOWED_TYPES, MAX_UPLOAD_BYTES } from './file-sniffing';

/** What the browser sent (or would send) for a section: field name → value(s). */
export type FormValues = Record<string, string | string[] | undefined>;

/** A problem with one question, and the element the error summary should move focus to. */
export interface QuestionError {
  questionId: string;
  text: string;
  /** element id, without '#' */
  anchor: string;
}

const DATE_PARTS = ['day', 'month', 'year'] as const;
const ADDRESS_PARTS = ['line1', 'line2', 'town', 'postcode'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** "5000" or "5000.50": an amount as a person would type it back in. */
export function penceToPoundsInput(p: number): string {
  return p % 100 === 0 ? String(p / 100) : (p / 100).toFixed(2);
}

/** The form's fields filled in from the saved answers. */
export function valuesFromAnswers(section: FormSection, answers: Answers): FormValues {
  const values: FormValues = {};
  for (const q of section.questions) {
    const a = answers[q.id];
    if (a === undefined || a === null) continue;
    switch (q.type) {
      case 'money':
        if (typeof a === 'number') values[q.id] = penceToPoundsInput(a);
        break;
      case 'number':
        values[q.id] = String(a);
        break;
      case 'date': {
        const m = typeof a === 'string' ? DATE.exec(a) : null;
        if (m) [values[`${q.id}-year`], values[`${q.id}-month`], values[`${q.id}-day`]] = [m[1], String(+m[2]), String(+m[3])];
        break;
      }
      case 'yes_no':
        values[q.id] = a === true ? 'yes' : a === false ? 'no' : undefined;
        break;
      case 'multiple_choice':
        values[q.id] = list(a);
        break;
      case 'address':
        for (const part of ADDRESS_PARTS) values[`${q.id}-${part}`] = str((a as Record<string, unknown>)[part]);
        break;
      case 'file':
        break;
      default:
        values[q.id] = str(a);
    }
  }
  return values;
}

/** Only this section's fields, from a posted body (urlencoded, or multipart with a null prototype). */
export function pickValues(section: FormSection, body: Record<string, unknown> | undefined): FormValues {
  const b = body ?? {};
  const get = (name: string) => (Object.prototype.hasOwnProperty.call(b, name) ? b[name] : undefined);
  const values: FormValues = {};
  for (const q of section.questions) {
    if (q.type === 'date') for (const p of DATE_PARTS) values[`${q.id}-${p}`] = str(get(`${q.id}-${p}`)).slice(0, 10);
    else if (q.type === 'address') for (const p of ADDRESS_PARTS) values[`${q.id}-${p}`] = str(get(`${q.id}-${p}`)).slice(0, 500);
    else if (q.type === 'multiple_choice') values[q.id] = list(get(q.id));
    else if (q.type !== 'file') values[q.id] = str(get(q.id));
  }
  return values;
}

/**
 * The answers the posted fields give, for ApplicationsService.saveAnswers. An emptied field is
 * null (which clears the saved answer). File questions are left out: an upload answers them.
 * `errors` are fields that cannot be read as an answer at all (letters in an amount, half a date);
 * everything else (limits, word counts, real dates, postcodes) the service checks.
 */
export function answersFromValues(section: FormSection, values: FormValues): { answers: Answers; errors: QuestionError[] } {
  const answers: Answers = {};
  const errors: QuestionError[] = [];
  for (const q of section.questions) {
    const v = str(values[q.id]).trim();
    switch (q.type) {
      case 'short_text':
      case 'single_choice':
        answers[q.id] = v || null;
        break;
      case 'long_text':
        // Keep the person's line breaks; only the ends are trimmed.
        answers[q.id] = v ? str(values[q.id]).replace(/\r\n/g, '\n').trim() : null;
        break;
      case 'number': {
        if (!v) answers[q.id] = null;
        else {
          const n = /^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$/.test(v) ? Number(v.replace(/,/g, '')) : NaN;
          if (Number.isFinite(n)) answers[q.id] = n;
          else errors.push({ questionId: q.id, text: `${q.label}: enter a number, like 25`, anchor: q.id });
        }
        break;
      }
      case 'money': {
        if (!v) answers[q.id] = null;
        else {
          const p = parsePounds(v);
          if (p !== null) answers[q.id] = p;
          else errors.push({ questionId: q.id, text: `${q.label}: enter an amount in pounds, like 5000 or 5000.50`, anchor: q.id });
        }
        break;
      }
      case 'date': {
        const parts = Object.fromEntries(DATE_PARTS.map((p) => [p, str(values[`${q.id}-${p}`]).trim()])) as Record<(typeof DATE_PARTS)[number], string>;
        const missing = DATE_PARTS.filter((p) => !parts[p]);
        if (missing.length === 3) answers[q.id] = null;
        else if (missing.length) errors.push({ questionId: q.id, text: `${q.label} must include a ${missing.join(' and ')}`, anchor: `${q.id}-${missing[0]}` });
        else if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
          errors.push({ questionId: q.id, text: `${q.label} must be a real date, like 27 3 2027`, anchor: `${q.id}-day` });
        } else answers[q.id] = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
        break;
      }
      case 'yes_no':
        answers[q.id] = v === 'yes' ? true : v === 'no' ? false : null;
        break;
      case 'multiple_choice':
        answers[q.id] = list(values[q.id]).filter(Boolean);
        break;
      case 'address': {
        const a = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, str(values[`${q.id}-${p}`]).trim()])) as unknown as AddressAnswer;
        if (!a.line1 && !a.line2 && !a.town && !a.postcode) answers[q.id] = null;
        else answers[q.id] = { line1: a.line1, ...(a.line2 ? { line2: a.line2 } : {}), town: a.town, postcode: a.postcode.toUpperCase() };
        break;
      }
      case 'file':
        break;
    }
  }
  return { answers, errors };
}

/** Where the error summary sends focus for the service's error about a question. */
export function anchorFor(q: Question, rule: string, field = ''): string {
  if (q.type === 'date') return `${q.id}-day`;
  if (q.type === 'address') {
    // The service names the part that is wrong: answers.<id>.town → the town box.
    const part = /\.(line1|line2|town|postcode)$/.exec(field)?.[1];
    return part ? `${q.id}-${part}` : rule === 'isPostcode' ? `${q.id}-postcode` : `${q.id}-line1`;
  }
  return q.id;
}

/** The service's field errors (`answers.<id>`) as errors on this page's questions. */
export function questionErrors(section: FormSection, details: FieldError[]): QuestionError[] {
  const byId = new Map(section.questions.map((q) => [q.id, q]));
  const out: QuestionError[] = [];
  for (const d of details) {
    // answers.<id>, or answers.<id>.<part> for a part of an address.
    const id = (d.field.startsWith('answers.') ? d.field.slice('answers.'.length) : d.field).split('.')[0];
    const q = byId.get(id);
    out.push(
      q
        ? { questionId: q.id, text: d.message, anchor: anchorFor(q, d.rule, d.field) }
        : { questionId: '', text: d.message, anchor: section.questions[0]?.id ?? '' },
    );
  }
  return out;
}

/** The GOV.UK error summary list and the inline message for each question (the first problem). */
export function errorSummary(errors: QuestionError[]) {
  const errorFor: Record<string, { text: string; anchor: string }> = {};
  for (const e of errors) if (e.questionId) errorFor[e.questionId] ??= { text: e.text, anchor: e.anchor };
  const errorList = [...new Map(errors.map((e) => [e.questionId || e.text, e])).values()].map((e) => ({
    text: e.questionId ? errorFor[e.questionId].text : e.text,
    href: `#${e.questionId ? errorFor[e.questionId].anchor : e.anchor}`,
  }));
  return { errorList, errorFor };
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function typeName(contentType: string): string {
  return (ALLOWED_TYPES as Record<string, string>)[contentType] ?? 'file';
}

export type FieldView =
  | { kind: 'input' | 'characterCount' | 'textarea' | 'dateInput' | 'radios' | 'checkboxes' | 'fileUpload'; params: Record<string, unknown> }
  | { kind: 'address'; fieldset: Record<string, unknown>; errorId: string; errorMessage?: { text: string }; inputs: Record<string, unknown>[] };

/**
 * The GOV.UK component, with its parameters, for each question of a section: the values are what
 * the person typed (or what is saved), the errors are inline on the question they belong to.
 */
export function fieldViews(
  section: FormSection,
  values: FormValues,
  errorFor: Record<string, { text: string; anchor: string }>,
  files: { applicationId: string; attachments: ApplicationAttachment[]; answers: Answers },
): FieldView[] {
  return section.questions.map((q): FieldView => {
    const error = errorFor[q.id] ? { text: errorFor[q.id].text } : undefined;
    const label = { text: q.label, classes: 'govuk-label--s' };
    const legend = { text: q.label, classes: 'govuk-fieldset__legend--s' };
    const hint = q.hint ? { text: q.hint } : undefined;
    const v = str(values[q.id]);
    switch (q.type) {
      case 'short_text':
        return { kind: 'input', params: { id: q.id, name: q.id, label, hint, value: v, errorMessage: error } };
      case 'long_text':
        return q.wordLimit
          ? { kind: 'characterCount', params: { id: q.id, name: q.id, label, hint, value: v, maxwords: q.wordLimit, rows: 8, errorMessage: error } }
          : { kind: 'textarea', params: { id: q.id, name: q.id, label, hint, value: v, rows: 8, errorMessage: error } };
      case 'number':
        return {
          kind: 'input',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint,
            value: v,
            inputmode: 'decimal',
            spellcheck: false,
            classes: 'govuk-input--width-10',
            errorMessage: error,
          },
        };
      case 'money':
        return {
          kind: 'input',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint,
            value: v,
            prefix: { text: '£' },
            inputmode: 'decimal',
            spellcheck: false,
            classes: 'govuk-input--width-10',
            errorMessage: error,
          },
        };
      case 'date': {
        // "must include a month": only the empty boxes are wrong; otherwise the whole date is.
        const missingOnly = !!error && / must include /.test(error.text);
        return {
          kind: 'dateInput',
          params: {
            id: q.id,
            namePrefix: q.id,
            fieldset: { legend },
            hint: hint ?? { text: 'For example, 27 3 2027' },
            errorMessage: error,
            items: DATE_PARTS.map((p) => ({
              name: p,
              value: str(values[`${q.id}-${p}`]),
              classes: `govuk-input--width-${p === 'year' ? 4 : 2}${error && (!missingOnly || !str(values[`${q.id}-${p}`]).trim()) ? ' govuk-input--error' : ''}`,
            })),
          },
        };
      }
      case 'yes_no':
        return {
          kind: 'radios',
          params: {
            name: q.id,
            idPrefix: q.id,
            classes: 'govuk-radios--inline',
            fieldset: { legend },
            hint,
            errorMessage: error,
            items: [
              { value: 'yes', text: 'Yes', checked: v === 'yes' },
              { value: 'no', text: 'No', checked: v === 'no' },
            ],
          },
        };
      case 'single_choice':
        return {
          kind: 'radios',
          params: {
            name: q.id,
            idPrefix: q.id,
            fieldset: { legend },
            hint,
            errorMessage: error,
            items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text, checked: v === o.value })),
          },
        };
      case 'multiple_choice': {
        const chosen = new Set(list(values[q.id]));
        return {
          kind: 'checkboxes',
          params: {
            name: q.id,
            idPrefix: q.id,
            fieldset: { legend },
            hint: hint ?? { text: 'Select all that apply' },
            errorMessage: error,
            items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text, checked: chosen.has(o.value) })),
          },
        };
      }
      case 'address': {
        const val = (p: string) => str(values[`${q.id}-${p}`]);
        const partError = (p: string) => (error && errorFor[q.id].anchor === `${q.id}-${p}` ? ' govuk-input--error' : '');
        return {
          kind: 'address',
          fieldset: { legend, describedBy: error ? `${q.id}-error` : undefined },
          errorId: `${q.id}-error`,
          errorMessage: error,
          inputs: [
            {
              id: `${q.id}-line1`,
              name: `${q.id}-line1`,
              label: { text: 'Address line 1' },
              autocomplete: 'address-line1',
              value: val('line1'),
              classes: partError('line1').trim() || undefined,
            },
            { id: `${q.id}-line2`, name: `${q.id}-line2`, label: { text: 'Address line 2 (optional)' }, autocomplete: 'address-line2', value: val('line2') },
            {
              id: `${q.id}-town`,
              name: `${q.id}-town`,
              label: { text: 'Town or city' },
              autocomplete: 'address-level2',
              classes: `govuk-!-width-two-thirds${partError('town')}`,
              value: val('town'),
            },
            {
              id: `${q.id}-postcode`,
              name: `${q.id}-postcode`,
              label: { text: 'Postcode' },
              autocomplete: 'postal-code',
              classes: `govuk-input--width-10${partError('postcode')}`,
              value: val('postcode'),
            },
          ],
        };
      }
      case 'file': {
        const current = files.attachments.find((f) => f.id === files.answers[q.id]);
        const allowed = `${Object.values(ALLOWED_TYPES).slice(0, -1).join(', ')} or ${Object.values(ALLOWED_TYPES).at(-1)}, up to ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`;
        const currentHtml = current
          ? `<p class="govuk-body" id="${q.id}-current">You have uploaded <a class="govuk-link" href="/applications/${files.applicationId}/attachments/${current.id}">${escapeHtml(current.filename)}</a> (${typeName(current.contentType)}, ${fileSize(current.sizeBytes)}). Choose a new file only if you want to replace it.</p>`
          : undefined;
        return {
          kind: 'fileUpload',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint: { text: q.hint ?? allowed },
            errorMessage: error,
            describedBy: current ? `${q.id}-current` : undefined,
            formGroup: currentHtml ? { beforeInput: { html: currentHtml } } : undefined,
            attributes: {
              accept:
                '.pdf,.docx,.xlsx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,image/png,image/jpeg',
            },
          },
        };
      }
    }
  });
}

/** How an answer reads on the check-answers page (HTML, already escaped), or null if unanswered. */
export function answerHtml(q: Question, a: unknown, applicationId: string, attachments: ApplicationAttachment[]): string | null {
  if (a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0)) return null;
  const options = new Map((q.options ?? []).map((o) => [o.value, o.text]));
  switch (q.type) {
    case 'short_text':
      return escapeHtml(String(a));
    case 'long_text':
      return escapeHtml(String(a)).replace(/\n/g, '<br>');
    case 'number':
      return typeof a === 'number' ? escapeHtml(a.toLocaleString('en-GB')) : escapeHtml(String(a));
    case 'money':
      return typeof a === 'number' && Number.isSafeInteger(a) ? escapeHtml(formatPounds(a)) : escapeHtml(String(a));
    case 'date': {
      const m = DATE.exec(String(a));
      if (!m) return escapeHtml(String(a));
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return escapeHtml(new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(d));
    }
    case 'yes_no':
      return a === true ? 'Yes' : a === false ? 'No' : escapeHtml(String(a));
    case 'single_choice':
      return escapeHtml(options.get(String(a)) ?? String(a));
    case 'multiple_choice':
      return list(a)
        .map((v) => escapeHtml(options.get(v) ?? v))
        .join('<br>');
    case 'address': {
      const addr = a as Partial<AddressAnswer>;
      return [addr.line1, addr.line2, addr.town, addr.postcode]
        .filter((l): l is string => typeof l === 'string' && l.trim() !== '')
        .map(escapeHtml)
        .join('<br>');
    }
    case 'file': {
      const f = attachments.find((x) => x.id === a);
      return f
        ? `<a class="govuk-link" href="/applications/${applicationId}/attachments/${f.id}">${escapeHtml(f.filename)}</a> (${typeName(f.contentType)}, ${fileSize(f.sizeBytes)})`
        : 'Uploaded';
    }
  }
}
