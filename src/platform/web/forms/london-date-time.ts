import { LondonTimeError, parseLondonDateTime, toLondonLocal } from '@pcc/london-time';
import { str } from './fields';
import type { FormError } from './form-errors';

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/**
 * Reads a GOV.UK date input (`<prefix>-day`, `-month`, `-year`) and a time box (`<prefix>Time`,
 * 24-hour HH:MM) as a London wall-clock time and gives the UTC instant. `what` completes
 * "the date …", e.g. "the round opens". Problems with the date are on the field `<prefix>`
 * (linking to the box that is wrong), problems with the time on `<prefix>Time`.
 */
export function londonDateTimeFromForm(body: Record<string, unknown>, prefix: string, what: string): { value?: Date; errors: FormError[] } {
  const day = str(body[`${prefix}-day`]).trim();
  const month = str(body[`${prefix}-month`]).trim();
  const year = str(body[`${prefix}-year`]).trim();
  const time = str(body[`${prefix}Time`]).trim();
  const errors: FormError[] = [];
  const dateError = (message: string, part = 'day') => errors.push({ field: prefix, href: `${prefix}-${part}`, message });
  const timeField = `${prefix}Time`;
  if (!day && !month && !year) dateError(`Enter the date ${what}`);
  else if (!day) dateError(`The date ${what} must include a day`, 'day');
  else if (!month) dateError(`The date ${what} must include a month`, 'month');
  else if (!year) dateError(`The date ${what} must include a year`, 'year');
  else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) dateError(`The date ${what} must be a real date, like 17 1 2027`);
  const t = TIME.exec(time);
  if (!time) errors.push({ field: timeField, message: `Enter the time ${what}, like 09:00 or 23:59` });
  else if (!t) errors.push({ field: timeField, message: `Enter the time ${what} on the 24-hour clock, like 09:00 or 23:59` });
  if (errors.length || !t) return { errors };
  try {
    const text = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}T${t[1].padStart(2, '0')}:${t[2]}`;
    return { value: parseLondonDateTime(text), errors };
  } catch (err) {
    if (!(err instanceof LondonTimeError)) throw err;
    // A date like 31 February, or a time that never happens in London (the spring gap).
    if (/does not exist/.test(err.message)) errors.push({ field: timeField, message: `The time ${what}: ${err.message}` });
    else dateError(`The date ${what} must be a real date`);
    return { errors };
  }
}

/** The form values that show an instant as a London date and 24-hour time. */
export function londonDateTimeValues(prefix: string, instant: Date): Record<string, string> {
  const l = toLondonLocal(instant);
  return {
    [`${prefix}-day`]: String(l.day),
    [`${prefix}-month`]: String(l.month),
    [`${prefix}-year`]: String(l.year),
    [`${prefix}Time`]: `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`,
  };
}

/** A London date and time for a spreadsheet or table: "2026-11-26 14:05:09". */
export function londonTimestamp(instant: Date): string {
  const l = toLondonLocal(instant);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${p(l.month)}-${p(l.day)} ${p(l.hour)}:${p(l.minute)}:${p(l.second)}`;
}

/**
 * Reads a GOV.UK date input (`<prefix>-day`, `-month`, `-year`) as a calendar day ("2026-12-03"),
 * such as the day a payment left the bank: a day, not an instant, so no time zone moves it.
 * `what` completes "the date …", e.g. "the payment was made".
 */
export function dayFromForm(body: Record<string, unknown>, prefix: string, what: string): { value?: string; errors: FormError[] } {
  const day = str(body[`${prefix}-day`]).trim();
  const month = str(body[`${prefix}-month`]).trim();
  const year = str(body[`${prefix}-year`]).trim();
  const errors: FormError[] = [];
  const dateError = (message: string, part = 'day') => errors.push({ field: prefix, href: `${prefix}-${part}`, message });
  if (!day && !month && !year) dateError(`Enter the date ${what}`);
  else if (!day) dateError(`The date ${what} must include a day`, 'day');
  else if (!month) dateError(`The date ${what} must include a month`, 'month');
  else if (!year) dateError(`The date ${what} must include a year`, 'year');
  else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) dateError(`The date ${what} must be a real date, like 17 1 2027`);
  if (errors.length) return { errors };
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
    dateError(`The date ${what} must be a real date`);
    return { errors };
  }
  return { value: iso, errors };
}
