/**
 * Deadlines are set, shown and enforced in Europe/London time and stored in UTC. A "17 January
 * 23:59" close must mean the same instant to the applicant on their phone, the fund manager and
 * the server, in GMT and in BST alike.
 */
export const LONDON = 'Europe/London';

export class LondonTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LondonTimeError';
  }
}

export interface LondonLocal {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock reading in London at a given instant. */
export function toLondonLocal(instant: Date): Required<LondonLocal> {
  const parts = Object.fromEntries(PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Minutes London is ahead of UTC at an instant: 0 in GMT, 60 in BST. */
export function londonOffsetMinutes(instant: Date): number {
  const l = toLondonLocal(instant);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The UTC instant of a London wall-clock time.
 * - In the autumn hour that happens twice (01:00–01:59 on the last Sunday of October) the first,
 *   BST, occurrence is used: for a deadline that is the earlier, stricter reading, and it is the one
 *   a person setting the time most likely means.
 * - A time in the spring gap (01:00–01:59 on the last Sunday of March) never happens in London,
 *   so it is refused rather than silently moved.
 */
export function fromLondonLocal(local: LondonLocal): Date {
  const { year, month, day, hour, minute } = local;
  const second = local.second ?? 0;
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(naive)) throw new LondonTimeError('Not a valid date and time');
  const check = new Date(naive);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new LondonTimeError('Not a real date and time');
  }
  // London is UTC+0 or UTC+1; try the BST reading first so the ambiguous hour resolves to it.
  for (const offset of [60, 0]) {
    const candidate = new Date(naive - offset * 60000);
    const back = toLondonLocal(candidate);
    if (back.year === year && back.month === month && back.day === day && back.hour === hour && back.minute === minute && back.second === second) {
      return candidate;
    }
  }
  throw new LondonTimeError(`${pad(hour)}:${pad(minute)} on ${year}-${pad(month)}-${pad(day)} does not exist in London (the clocks go forward)`);
}

/** Parses "YYYY-MM-DDTHH:mm" (or with ":ss") as London wall-clock time. */
export function parseLondonDateTime(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) throw new LondonTimeError('Enter a date and time like 2027-01-17T23:59');
  return fromLondonLocal({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 });
}

const LONG = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "11:59pm on Sunday 17 January 2027" — the GOV.UK style for times and dates. */
export function formatLondonDateTime(instant: Date): string {
  const l = toLondonLocal(instant);
  const h12 = l.hour % 12 === 0 ? 12 : l.hour % 12;
  const suffix = l.hour < 12 ? 'am' : 'pm';
  let time: string;
  if (l.hour === 0 && l.minute === 0) time = 'midnight';
  else if (l.hour === 12 && l.minute === 0) time = 'midday';
  else time = `${h12}${l.minute === 0 ? '' : ':' + pad(l.minute)}${suffix}`;
  return `${time} on ${LONG.format(instant).replace(',', '')}`;
}

/** "17 January 2027" */
export function formatLondonDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, day: 'numeric', month: 'long', year: 'numeric' }).format(instant);
}

/** "2027-01-17": the London calendar day an instant falls on, as an ISO date (for a date column or a JSON date). */
export function londonIsoDate(instant: Date): string {
  const l = toLondonLocal(instant);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/**
 * The instant a round closes. Closing times are inclusive of their minute: "closes at 23:59"
 * accepts a submission at 23:59:59.999, so the exclusive bound is the start of the next minute.
 */
export function exclusiveCloseInstant(closingMinute: Date): Date {
  const start = Math.floor(closingMinute.getTime() / 60000) * 60000;
  return new Date(start + 60000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
