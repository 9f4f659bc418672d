/**
 * The staff round form, between the posted fields and the API's RoundInputDto:
 * - what a saved round looks like in the form's fields (London dates in three boxes and a time,
 *   pounds, one ring-fence, category or criterion per line, the application form as JSON);
 * - what the posted fields mean as a RoundInputDto, validated with the same rules as the API body,
 *   with each problem worded and placed against the field the fund manager typed it in;
 * - where the service's problems (its cross-field rules, locked settings, names taken) belong on
 *   the form.
 * Once a round is open its locked settings have no inputs: they are taken as saved.
 */
import { type FieldError } from '../../../platform/errors/app-exception';
import {
  type FormError,
  londonDateTimeFromForm,
  londonDateTimeValues,
  penceForInput,
  poundsFromForm,
  readForm,
  str,
  strings,
} from '../../../platform/web/forms';
import { RoundInputDto, roundInputFromDto } from '../dto/round-input.dto';
import type { FundingRound } from '../entities/funding-round.entity';
import { CATEGORY_QUESTION, type FormDefinition } from '../form-definition';
import { roundRuleProblems } from '../round-rules';
import { SCHEDULE_PRESETS, type SchedulePreset, presetOf } from '../payment-schedule';

/** What the form's fields hold: field name → value, or values for ticked checkboxes. */
export type RoundFormValues = Record<string, string | string[]>;

/** A new round's form starts with the usual times and assessment settings filled in. */
export const NEW_ROUND_VALUES: RoundFormValues = {
  opensAtTime: '09:00',
  closesAtTime: '23:59',
  assessorsPerApplication: '2',
  moderationThreshold: '10',
  reminderHoursBefore: '48',
  offerPeriodDays: '28',
  paymentSchedule: 'in_full',
  scoringClosesAtTime: '17:00',
};

/** The form fields for settings that cannot change once the round is open. */
const LOCKED_FORM_FIELDS = new Set([
  'programmeId',
  'referencePrefix',
  'opensAt',
  'opensAtTime',
  'minGrant',
  'maxGrant',
  'eligibleOrgTypes',
  'eligibleAreas',
  'categories',
  'form',
]);

/** Where the problems about locked settings are shown on an open round's form: its read-only list. */
const LOCKED_SECTION = { field: 'locked', href: 'locked-settings' };

/** The settings RoundsService locks once a round is open, in words, and their fields on the form. */
const LOCKED_SETTINGS: Record<string, { label: string; field: string }> = {
  programmeId: { label: 'The fund programme', field: 'programmeId' },
  referencePrefix: { label: 'The reference prefix', field: 'referencePrefix' },
  opensAt: { label: 'The opening date and time', field: 'opensAt' },
  minGrantPence: { label: 'The smallest grant', field: 'minGrant' },
  maxGrantPence: { label: 'The largest grant', field: 'maxGrant' },
  eligibleOrgTypes: { label: 'The eligible organisation types', field: 'eligibleOrgTypes' },
  eligibleAreas: { label: 'The eligible areas', field: 'eligibleAreas' },
  categories: { label: 'The categories', field: 'categories' },
  form: { label: 'The application form', field: 'form' },
};

const STALE_PAGE: FormError = {
  ...LOCKED_SECTION,
  message: 'The round opened after this page was loaded, so some settings are now locked and are shown as saved. Check your other changes and save again.',
};

/** The category question's options always come from the round's categories, so they are left out of the JSON to edit. */
export function formForEditing(form: FormDefinition): string {
  const sections = form.sections.map((s) => ({
    ...s,
    questions: s.questions.map((q) => {
      if (q.id !== CATEGORY_QUESTION) return q;
      const { options, ...rest } = q;
      void options;
      return rest;
    }),
  }));
  return JSON.stringify({ sections }, null, 2);
}

/** A saved round in the form's fields. */
export function roundFormValues(r: FundingRound): RoundFormValues {
  return {
    programmeId: r.programmeId,
    name: r.name,
    referencePrefix: r.referencePrefix,
    summary: r.summary,
    guidance: r.guidance,
    ...londonDateTimeValues('opensAt', r.opensAt),
    ...londonDateTimeValues('closesAt', r.closesAt),
    totalBudget: penceForInput(r.totalBudgetPence),
    minGrant: penceForInput(r.minGrantPence),
    maxGrant: penceForInput(r.maxGrantPence),
    eligibleOrgTypes: r.eligibleOrgTypes,
    eligibleAreas: r.eligibleAreas,
    categories: r.categories.map((c) => `${c.code} | ${c.name}`).join('\n'),
    ringFences: (r.ringFences ?? []).map((f) => `${f.name} | £${penceForInput(f.amountPence)} | ${f.category ?? f.areaOnsCode}`).join('\n'),
    criteria: (r.criteria ?? []).map((c) => `${c.name} | ${c.weight} | ${c.scaleMin}-${c.scaleMax} | ${c.guidance}`).join('\n'),
    assessorsPerApplication: String(r.assessorsPerApplication),
    moderationThreshold: String(r.moderationThreshold),
    reminderHoursBefore: String(r.reminderHoursBefore),
    offerPeriodDays: String(r.offerPeriodDays),
    grantConditions: r.grantConditions,
    paymentSchedule: r.paymentSchedule ? (presetOf(r.paymentSchedule) ?? 'custom') : 'in_full',
    ...(r.scoringClosesAt ? londonDateTimeValues('scoringClosesAt', r.scoringClosesAt) : { scoringClosesAtTime: '17:00' }),
    form: formForEditing(r.form),
  };
}

export interface RoundForm {
  /** The settings as the API would take them; to be used only when there are no `errors`. */
  value: RoundInputDto;
  errors: FormError[];
  /** What to show in the form's fields if it is shown again. */
  values: RoundFormValues;
}

/**
 * Reads a posted round form into a RoundInputDto and validates it as the API does (unknown fields
 * in the form's JSON are refused), with the service's cross-field rules (roundRuleProblems), so
 * the fund manager sees every problem at once; a field that could not be read at all gets just
 * the one message about reading it. RoundsService still checks everything when it saves.
 *
 * `openRound` is the round being edited when it is already open: its locked settings come from the
 * saved round if the page was shown as open (`formMode=open`, no inputs for them), and are read
 * from the form if the page was loaded before it opened ("stale"), when RoundsService refuses any
 * change to them. Either way the page is shown again in its open form, with those settings as saved.
 */
export async function readRoundForm(body: unknown, openRound?: FundingRound): Promise<RoundForm> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const stale = openRound !== undefined && str(fields.formMode) !== 'open';
  const parsed = parseRoundFields(fields, stale ? undefined : openRound);
  const { value, errors: dtoErrors } = await readForm(RoundInputDto, parsed.body, { refuseUnknownFields: true });
  // The service's rules comparing one setting with another, too: every problem in one go.
  const problems = [...dtoErrors, ...roundRuleProblems(roundInputFromDto(value))];

  // The date and time of one moment are read together.
  const unreadable = new Set(parsed.errors.map((e) => e.field));
  for (const prefix of ['opensAt', 'closesAt', 'scoringClosesAt']) if (unreadable.has(`${prefix}Time`)) unreadable.add(prefix);
  let errors = [...parsed.errors, ...roundErrorsOnForm(problems, openRound !== undefined).filter((e) => !unreadable.has(e.field))];
  // A stale page is shown again with the locked settings as saved, so what was typed in them no longer matters.
  if (stale && errors.length) errors = [STALE_PAGE, ...errors.filter((e) => !LOCKED_FORM_FIELDS.has(e.field) && e.field !== LOCKED_SECTION.field)];

  const values = openRound ? { ...roundFormValues(openRound), ...unlockedValues(fields) } : (fields as RoundFormValues);
  return { value, errors, values };
}

/** What was typed in the settings that can still change once the round is open. */
function unlockedValues(fields: Record<string, unknown>): RoundFormValues {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !LOCKED_FORM_FIELDS.has(k) && !k.startsWith('opensAt-'))) as RoundFormValues;
}

/**
 * Where each of the API's or the service's problems (dotted paths like `ringFences.1.category`)
 * belongs on the form, worded for it. On an open round's page the locked settings have no inputs,
 * so problems with them are shown against the read-only list (`lockedSection`).
 */
export function roundErrorsOnForm(details: readonly FieldError[], lockedSection = false): FormError[] {
  return details.map((d) => {
    const locked = LOCKED_SETTINGS[d.field];
    if (d.rule === 'lockedWhileOpen' && locked) {
      // The page is shown again in its open form, where locked settings are read-only.
      const message = `${locked.label} cannot change now the round has opened, so it has been kept as it was`;
      return lockedSection ? { ...LOCKED_SECTION, message } : { field: locked.field, message };
    }
    const f = formFieldFor(d.field);
    const message = (f.prefix ?? '') + d.message;
    if (lockedSection && LOCKED_FORM_FIELDS.has(f.field)) return { ...LOCKED_SECTION, message };
    return f.href ? { field: f.field, href: f.href, message } : { field: f.field, message };
  });
}

/** "sections.0.questions.2.label" → "section 1, question 3, label": where in the form JSON. */
function formPlace(path: string): string {
  return path
    .split('.')
    .map((part, i, parts) =>
      /^\d+$/.test(part) ? `${parts[i - 1]?.replace(/s$/, '') ?? 'item'} ${Number(part) + 1}` : /^\d+$/.test(parts[i + 1] ?? '') ? '' : part,
    )
    .filter(Boolean)
    .join(', ');
}

/** Where a field error (the API's dotted path, e.g. `ringFences.1.category`) belongs on the form. */
function formFieldFor(field: string): { field: string; href?: string; prefix?: string } {
  const line = /^\w+(?:\[(\d+)\]|\.(\d+))/.exec(field);
  const lineNo = line ? Number(line[1] ?? line[2]) + 1 : undefined;
  const onLine = (name: string) => (lineNo ? `${name}, line ${lineNo}: ` : `${name}: `);
  if (field === 'opensAt' || field === 'closesAt' || field === 'scoringClosesAt') return { field, href: `${field}-day` };
  if (field === 'totalBudgetPence') return { field: 'totalBudget' };
  if (field === 'minGrantPence') return { field: 'minGrant' };
  if (field === 'maxGrantPence') return { field: 'maxGrant' };
  if (field.startsWith('categories')) return { field: 'categories', prefix: line ? onLine('Categories') : undefined };
  if (field.startsWith('ringFences')) return { field: 'ringFences', prefix: line ? onLine('Ring-fences') : undefined };
  if (field.startsWith('criteria')) return { field: 'criteria', prefix: line ? onLine('Assessment criteria') : undefined };
  if (field.startsWith('form.') && field !== 'form.sections') return { field: 'form', prefix: `Application form, ${formPlace(field.slice('form.'.length))}: ` };
  if (field.startsWith('form')) return { field: 'form', prefix: 'Application form: ' };
  if (field.startsWith('eligibleOrgTypes')) return { field: 'eligibleOrgTypes' };
  if (field.startsWith('eligibleAreas')) return { field: 'eligibleAreas' };
  return { field };
}

// ---- reading the fields ------------------------------------------------------------------------

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l, i) => ({ n: i + 1, text: l.trim() }))
    .filter((l) => l.text);

function parseCategories(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const [code, ...rest] = l.split('|').map((p) => p.trim());
    const name = rest.join(' | ');
    if (!l.includes('|') || !code || !name)
      errors.push({ field: 'categories', message: `Categories, line ${n}: write the code, a | and the name, like hate_crime | Victims of hate crime` });
    return { code, name };
  });
}

function parseRingFences(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const parts = l.split('|').map((p) => p.trim());
    if (parts.length !== 3 || !parts[0]) {
      errors.push({
        field: 'ringFences',
        message: `Ring-fences, line ${n}: write the name, the amount and the category code or area code separated by |, like Victims of hate crime | £50,000 | hate_crime`,
      });
      return { name: parts[0] ?? '', amountPence: 0, category: '' };
    }
    const amount = poundsFromForm(parts[1], 'ringFences', '', []);
    if (amount === undefined) errors.push({ field: 'ringFences', message: `Ring-fences, line ${n}: enter the amount in pounds, like £50,000` });
    // An ONS code (E08000026) makes it a ring-fence by area; anything else names a category.
    const qualifier = /^[EWSN]\d{8}$/i.test(parts[2]) ? { areaOnsCode: parts[2].toUpperCase() } : { category: parts[2] };
    return { name: parts[0], amountPence: amount ?? 0, ...qualifier };
  });
}

function parseCriteria(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const [name, weight, scale, ...guidance] = l.split('|').map((p) => p.trim());
    const bad = (message: string) => errors.push({ field: 'criteria', message: `Assessment criteria, line ${n}: ${message}` });
    if (!name || weight === undefined)
      bad('write the name, the weight, the scale and the guidance separated by |, like Need | 3 | 0-5 | Evidence that victims need this support');
    else if (!/^\d+$/.test(weight)) bad('the weight must be a whole number, like 3');
    const s = /^(\d+)\s*[-–]\s*(\d+)$/.exec(scale ?? '0-5');
    if (name && weight !== undefined && !s) bad('write the scale as the lowest and highest score, like 0-5');
    return { name: name ?? '', weight: Number(weight), scaleMin: s ? Number(s[1]) : 0, scaleMax: s ? Number(s[2]) : 5, guidance: guidance.join(' | ') };
  });
}

function wholeNumber(fields: Record<string, unknown>, field: string, label: string, errors: FormError[]): number | undefined {
  const text = str(fields[field]).trim();
  if (!text) {
    errors.push({ field, message: `Enter ${label}` });
    return undefined;
  }
  if (!/^\d+$/.test(text)) {
    errors.push({ field, message: `${label[0].toUpperCase()}${label.slice(1)} must be a whole number` });
    return undefined;
  }
  return Number(text);
}

function parseFormJson(text: string, errors: FormError[]): unknown {
  if (!text.trim()) {
    errors.push({ field: 'form', message: 'Application form: enter the form as JSON' });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    errors.push({ field: 'form', message: `Application form: the JSON is not valid (${(err as Error).message})` });
    return undefined;
  }
}

/** A saved round's locked settings, in the API body's shape. */
function lockedSettings(round: FundingRound) {
  return {
    programmeId: round.programmeId,
    referencePrefix: round.referencePrefix,
    opensAt: round.opensAt.toISOString(),
    minGrantPence: round.minGrantPence,
    maxGrantPence: round.maxGrantPence,
    eligibleOrgTypes: round.eligibleOrgTypes,
    eligibleAreas: round.eligibleAreas,
    categories: round.categories,
    form: round.form,
  };
}

/**
 * The form's fields in the API body's shape, and the problems reading them (a date that is not a
 * date, pounds that are not pounds, a line without its |). What cannot be read is left out, so the
 * DTO's rules about it can be told apart and dropped: it already has its own message.
 */
function parseRoundFields(fields: Record<string, unknown>, locked?: FundingRound): { body: Record<string, unknown>; errors: FormError[] } {
  const errors: FormError[] = [];
  const text = (f: string) => str(fields[f]);
  const closes = londonDateTimeFromForm(fields, 'closesAt', 'the round closes');
  errors.push(...closes.errors);
  // Scores being due is optional: no date means no deadline (the time alone, pre-filled, is ignored).
  const scoringBlank = ['day', 'month', 'year'].every((part) => !text(`scoringClosesAt-${part}`).trim());
  const scoring = scoringBlank ? { value: null, errors: [] } : londonDateTimeFromForm(fields, 'scoringClosesAt', 'scores are due');
  errors.push(...scoring.errors);
  const unlocked = {
    name: text('name'),
    summary: text('summary'),
    guidance: text('guidance'),
    closesAt: closes.value?.toISOString(),
    totalBudgetPence: poundsFromForm(fields.totalBudget, 'totalBudget', 'the total budget', errors),
    ringFences: parseRingFences(text('ringFences'), errors),
    criteria: parseCriteria(text('criteria'), errors),
    assessorsPerApplication: wholeNumber(fields, 'assessorsPerApplication', 'the number of assessors per application', errors),
    moderationThreshold: wholeNumber(fields, 'moderationThreshold', 'the moderation threshold', errors),
    reminderHoursBefore: wholeNumber(fields, 'reminderHoursBefore', 'how many hours before the close to send the reminder', errors),
    scoringClosesAt: scoring.value === null ? null : scoring.value?.toISOString(),
    // Left empty keeps the round's (28 days on a new round).
    offerPeriodDays: text('offerPeriodDays').trim() ? wholeNumber(fields, 'offerPeriodDays', 'how many days an offer stays open', errors) : undefined,
    grantConditions: text('grantConditions'),
    // A preset by name; "custom" (a schedule set through the API) is left as it is.
    paymentSchedule: text('paymentSchedule') in SCHEDULE_PRESETS ? SCHEDULE_PRESETS[text('paymentSchedule') as SchedulePreset] : undefined,
  };
  if (locked) return { body: { ...lockedSettings(locked), ...unlocked }, errors };

  if (!text('programmeId')) errors.push({ field: 'programmeId', message: 'Select a fund programme' });
  const opens = londonDateTimeFromForm(fields, 'opensAt', 'the round opens');
  errors.push(...opens.errors);
  const lockable = {
    programmeId: text('programmeId'),
    referencePrefix: text('referencePrefix'),
    opensAt: opens.value?.toISOString(),
    minGrantPence: poundsFromForm(fields.minGrant, 'minGrant', 'the smallest grant', errors),
    maxGrantPence: poundsFromForm(fields.maxGrant, 'maxGrant', 'the largest grant', errors),
    eligibleOrgTypes: strings(fields.eligibleOrgTypes),
    eligibleAreas: strings(fields.eligibleAreas),
    categories: parseCategories(text('categories'), errors),
    form: parseFormJson(text('form'), errors),
  };
  return { body: { ...lockable, ...unlocked }, errors };
}
