/**
 * How an application's answers read, for anyone who has not seen the form: the applicant's
 * check-answers and task-list pages and the staff application page all use these view-models and
 * the `applicationAnswerCards` macro in views/_answers.njk. No HTML here: the macro writes it.
 */
import { formatPounds } from '@pcc/money';
import type { FormDefinition, FormSection, Question } from '../../funds';
import type { AddressAnswer } from '../answers';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import type { Answers } from '../entities/application.entity';
import { ALLOWED_TYPES } from '../file-sniffing';

/** One answer, ready for the macro: plain text, several lines, a list, or a file to download. */
export type AnswerView =
  | { kind: 'missing' }
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'file'; filename: string; href: string; about: string };

export interface AnswerRow {
  label: string;
  answer: AnswerView;
  /** Where "Change" goes (the question on its page); none for staff or a submitted application. */
  changeHref?: string;
  /** The question, for the visually hidden end of "Change …". */
  changeLabel?: string;
}

export interface AnswerSection {
  title: string;
  rows: AnswerRow[];
}

export interface AnswerContext {
  /** The application's uploads; a file answer is the id of one of them. */
  attachments: ApplicationAttachment[];
  /** Where a file downloads from (the applicant's and the staff address differ). */
  fileHref: (file: ApplicationAttachment) => string;
  /** Category names by code, for a category answer in a form saved before its options were filled in. */
  categoryNames?: Map<string, string>;
  /** The "Change" link for a question, on the applicant's check-answers page. */
  changeHref?: (section: FormSection, question: Question) => string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "PDF", "Word document": the kind of file, by its detected type. */
export function typeName(contentType: string): string {
  return (ALLOWED_TYPES as Record<string, string>)[contentType] ?? 'file';
}

/** "PDF, 12 KB". */
export function aboutFile(file: Pick<ApplicationAttachment, 'contentType' | 'sizeBytes'>): string {
  return `${typeName(file.contentType)}, ${fileSize(file.sizeBytes)}`;
}

function isUnanswered(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** One answer as it reads to a person: amounts in pounds, dates in words, option values as their text. */
export function answerView(q: Question, value: unknown, context: AnswerContext): AnswerView {
  if (isUnanswered(value)) return { kind: 'missing' };
  const optionText = (v: string) => q.options?.find((o) => o.value === v)?.text ?? context.categoryNames?.get(v) ?? v;
  const text = (t: string): AnswerView => ({ kind: 'text', text: t });
  switch (q.type) {
    case 'long_text':
      return { kind: 'lines', lines: String(value).split(/\r?\n/) };
    case 'number':
      return text(typeof value === 'number' ? value.toLocaleString('en-GB') : String(value));
    case 'money':
      return text(typeof value === 'number' && Number.isSafeInteger(value) ? formatPounds(value) : String(value));
    case 'date': {
      const m = DATE.exec(String(value));
      if (!m) return text(String(value));
      const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return text(new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(day));
    }
    case 'yes_no':
      return text(value === true ? 'Yes' : value === false ? 'No' : String(value));
    case 'single_choice':
      return text(optionText(String(value)));
    case 'multiple_choice':
      return Array.isArray(value) ? { kind: 'list', items: value.map((v) => optionText(String(v))) } : text(String(value));
    case 'address': {
      const a = value as Partial<AddressAnswer>;
      return { kind: 'lines', lines: [a.line1, a.line2, a.town, a.postcode].filter((l): l is string => typeof l === 'string' && l.trim() !== '') };
    }
    case 'file': {
      const f = context.attachments.find((x) => x.id === value);
      return f ? { kind: 'file', filename: f.filename, href: context.fileHref(f), about: aboutFile(f) } : text('File not found');
    }
    default:
      return text(typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/** Every section of the form with each question and its answer, in the form's order. */
export function answerSections(form: FormDefinition, answers: Answers, context: AnswerContext): AnswerSection[] {
  return form.sections.map((s) => ({
    title: s.title,
    rows: s.questions.map((q) => ({
      label: q.label,
      answer: answerView(q, answers[q.id], context),
      ...(context.changeHref ? { changeHref: context.changeHref(s, q), changeLabel: q.label.replace(/\?$/, '').toLowerCase() } : {}),
    })),
  }));
}
