/**
 * Reading one question page, between the form definition, the browser and the service:
 * - what a stored answer looks like in the form's fields (money in pounds, a date in three boxes);
 * - what the posted fields mean as answers (pounds to pence, three boxes to YYYY-MM-DD), refusing
 *   what cannot be read at all before anything is saved;
 * - the uploads on the page: a limit broken while reading, or a file too big or of a type not
 *   taken, named next to its own question (the service would refuse the first only, unnamed);
 * - the service's errors as errors on the page's questions.
 * Every other rule on an answer (limits, word counts, real dates, postcodes) is the service's.
 *
 * Field names and element ids are the question ids (letters and digits, so they cannot clash
 * with the layout's ids): a date is `<id>-day`, `<id>-month`, `<id>-year`; an address
 * `<id>-line1`, `<id>-line2`, `<id>-town`, `<id>-postcode`.
 */
import { HttpStatus } from '@nestjs/common';
import { parsePounds } from '@pcc/money';
import { type FieldError, ValidationFailedException } from '../../../platform/errors/app-exception';
import type { FormSection, Question } from '../../funds';
import { type AddressAnswer, isAnswered, questionName, questionSubject, requiredMessage } from '../answers';
import { ApplicationsException, ApplicationsErrorCode } from '../applications.exceptions';
import type { Answers } from '../entities/application.entity';
import { MAX_UPLOAD_BYTES, sniffFile } from '../file-sniffing';
import { limitMessage, type UploadLimits } from '../upload-gates';
import { type FormError, str } from '../../../platform/web/forms';

/** What the browser sent (or would send) for a section: field name → value(s). */
export type FormValues = Record<string, string | string[] | undefined>;

export const DATE_PARTS = ['day', 'month', 'year'] as const;
export const ADDRESS_PARTS = ['line1', 'line2', 'town', 'postcode'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** "5000" or "5000.50": an amount as a person would type it back in. */
export function penceToPoundsInput(p: number): string {
  return p % 100 === 0 ? String(p / 100) : (p / 100).toFixed(2);
}

/** The form's fields filled in from the saved answers. */
export function valuesFromAnswers(section: FormSection, answers: Answers): FormValues {
  const values: FormValues = {};
  for (const q of section.questions) {
    const a: unknown = answers[q.id];
    if (a === undefined || a === null) continue;
    switch (q.type) {
      case 'money':
        if (typeof a === 'number') values[q.id] = penceToPoundsInput(a);
        break;
      case 'number':
        values[q.id] = typeof a === 'number' ? String(a) : str(a);
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
export function answersFromValues(section: FormSection, values: FormValues): { answers: Answers; errors: FormError[] } {
  const answers: Answers = {};
  const errors: FormError[] = [];
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
          else errors.push({ field: q.id, message: numberMessage(q), href: q.id });
        }
        break;
      }
      case 'money': {
        if (!v) answers[q.id] = null;
        else {
          const p = parsePounds(v);
          if (p !== null) answers[q.id] = p;
          else errors.push({ field: q.id, message: `Enter ${questionName(q)} in pounds, like 5000 or 5000.50`, href: q.id });
        }
        break;
      }
      case 'date': {
        const parts = Object.fromEntries(DATE_PARTS.map((p) => [p, str(values[`${q.id}-${p}`]).trim()])) as Record<(typeof DATE_PARTS)[number], string>;
        const missing = DATE_PARTS.filter((p) => !parts[p]);
        if (missing.length === 3) answers[q.id] = null;
        else if (missing.length)
          errors.push({ field: q.id, message: `${questionSubject(q)} must include a ${missing.join(' and ')}`, href: `${q.id}-${missing[0]}` });
        else if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
          errors.push({ field: q.id, message: `${questionSubject(q)} must be a real date, like 27 3 2027`, href: `${q.id}-day` });
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

/**
 * The service's field errors (`answers.<id>`) as errors on this page's questions. Each keeps its
 * rule, so a question the service found several problems with shows the most useful one.
 */
export function questionErrors(section: FormSection, details: FieldError[]): FormError[] {
  const byId = new Map(section.questions.map((q) => [q.id, q]));
  const out: FormError[] = [];
  for (const d of details) {
    // answers.<id>, or answers.<id>.<part> for a part of an address.
    const id = (d.field.startsWith('answers.') ? d.field.slice('answers.'.length) : d.field).split('.')[0];
    const q = byId.get(id);
    out.push(
      q
        ? { field: q.id, message: d.message, href: anchorFor(q, d.rule, d.field), rule: d.rule }
        : { field: '', message: d.message, href: section.questions[0]?.id ?? '' },
    );
  }
  return out;
}

/** A file as multer gives it: which field (question) it came in, its name and its bytes. */
export interface PostedFile {
  fieldname: string;
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** What a question page's POST says, read before anything is saved. */
export interface SectionPost {
  values: FormValues;
  answers: Answers;
  /** The files sent for this page's file questions (anything else is ignored). */
  files: PostedFile[];
  /** Problems found before the service is asked; the page is shown again with them. */
  errors: FormError[];
  /** 400, or 413/415 when a file or the body is over a limit or of a type not taken. */
  status: number;
  /** "Save and come back later" rather than "Save and continue". */
  later: boolean;
  toCheckAnswers: boolean;
}

/** A message on a question, focused on the question itself. */
function onQuestion(q: Question | undefined, message: string): FormError {
  return { field: q?.id ?? '', message, href: q?.id ?? '' };
}

/** "Enter a number of victims, like 25"; for a question not counting something, "… must be a number". */
function numberMessage(q: Question): string {
  const name = questionName(q);
  return name.startsWith('the number of ') ? `Enter ${name.replace(/^the /, 'a ')}, like 25` : `${questionSubject(q)} must be a number, like 25`;
}

/**
 * "Save and continue" on a page with nothing answered (and no file already uploaded to it) is
 * told so, rather than moving on as if the page were done; "Save and come back later" is not.
 */
export function emptyPageError(section: FormSection, post: SectionPost, saved: Answers): FormError | null {
  if (post.later) return null;
  const answered = section.questions.some((q) => (q.type === 'file' ? isAnswered(q, saved[q.id]) : isAnswered(q, post.answers[q.id])));
  if (answered || post.files.length) return null;
  const first = section.questions[0];
  const what = section.questions.length === 1 && first ? requiredMessage(first) : 'Answer at least one question';
  return { field: first?.id ?? '', message: `${what}, or choose ‘Save and come back later’`, href: first ? anchorFor(first, '') : '' };
}

/**
 * Reads a posted question page. `uploadError` is a limit multer met while reading the body (kept
 * by QuestionPageUploads so it can be named here); each file is judged by its content.
 */
export function readSectionPost(
  section: FormSection,
  post: { body?: Record<string, unknown>; files?: PostedFile[]; uploadError?: unknown; uploadLimits?: UploadLimits },
): SectionPost {
  const body = post.body ?? {};
  const values = pickValues(section, body);
  const fileQuestions = section.questions.filter((q) => q.type === 'file');
  const files = (post.files ?? []).filter((f) => fileQuestions.some((q) => q.id === f.fieldname));
  const errors: FormError[] = [];
  let status: number = HttpStatus.BAD_REQUEST;
  if (post.uploadError) {
    // A limit broken while reading: named next to the file question (or the field) it concerns.
    const limit = post.uploadLimits ? limitMessage(post.uploadError, post.uploadLimits) : null;
    status = limit ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
    const q = section.questions.find((x) => x.id === limit?.field) ?? fileQuestions[0] ?? section.questions[0];
    errors.push(onQuestion(q, limit?.message ?? 'The file could not be uploaded. Try again.'));
  }
  const { answers, errors: unreadable } = answersFromValues(section, values);
  errors.push(...unreadable);
  for (const f of files) {
    const q = fileQuestions.find((x) => x.id === f.fieldname);
    if (f.size > MAX_UPLOAD_BYTES) {
      status = HttpStatus.PAYLOAD_TOO_LARGE;
      errors.push(onQuestion(q, ApplicationsException.tooLarge().message));
      continue;
    }
    const sniffed = sniffFile(f.buffer);
    if (!sniffed.ok) {
      status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
      errors.push(onQuestion(q, (sniffed.reason === 'polyglot' ? ApplicationsException.polyglot(sniffed.detail) : ApplicationsException.wrongType()).message));
    }
  }
  return { values, answers, files, errors, status, later: str(body.action) === 'later', toCheckAnswers: str(body.returnTo) === 'check-answers' };
}

/** A body declared over the page's limit is not read: the reason, on the page's file question. */
export function unreadBodyErrors(section: FormSection, uploadError: unknown): FormError[] {
  const q = section.questions.find((x) => x.type === 'file');
  const text = uploadError instanceof Error ? uploadError.message : 'The page is too large';
  return [{ ...onQuestion(q, text), href: q?.id ?? section.questions[0]?.id ?? '' }];
}

/**
 * The page's problems plus, for each file chosen alongside them, "choose the file again": nothing
 * on the page was stored, and a browser cannot keep a chosen file across a page load.
 */
export function withFilesToChooseAgain(section: FormSection, files: PostedFile[], found: FormError[]): FormError[] {
  const again = files
    .filter((f) => !found.some((e) => e.field === f.fieldname))
    .map((f) => section.questions.find((q) => q.id === f.fieldname))
    .filter((q): q is Question => !!q)
    .map((q) => ({ field: q.id, message: `Select ${questionName(q)} again – nothing on this page was saved`, href: q.id }));
  return [...found, ...again];
}

/**
 * The service's refusal of a page, on the page: its answers' problems at their questions (and
 * "choose the file again" for each file sent), or a file refused at the page's file question.
 * Anything else is not the person's to fix: null.
 */
export function refusalOnPage(section: FormSection, files: PostedFile[], err: unknown): { status: number; errors: FormError[] } | null {
  if (err instanceof ValidationFailedException && err.details) {
    return { status: err.status, errors: withFilesToChooseAgain(section, files, questionErrors(section, err.details)) };
  }
  const fileRefused =
    err instanceof ApplicationsException &&
    (err.status === HttpStatus.PAYLOAD_TOO_LARGE || err.status === HttpStatus.UNSUPPORTED_MEDIA_TYPE || err.code === ApplicationsErrorCode.TooManyAttachments);
  if (!fileRefused) return null;
  const q = section.questions.find((x) => x.type === 'file');
  return { status: err.status, errors: [{ field: q?.id ?? '', message: err.message, href: q?.id ?? '' }] };
}
