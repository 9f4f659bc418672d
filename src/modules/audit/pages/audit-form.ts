import { type FormError, readForm, str } from '../../../platform/web/forms';
import { AuditEventsQueryDto } from '../dto/audit-events.dto';

/** The search form's fields as typed, for showing them again and for the paging links. */
export type AuditFormValues = Record<string, string>;

const TEXT_FIELDS = ['person', 'actor', 'entityType', 'entityId', 'action', 'from', 'to', 'limit', 'page'];
const DATE_PARTS = ['day', 'month', 'year'];
const WHICH = { from: 'Start date', to: 'End date' } as const;

/**
 * One GOV.UK date input (`from-day`, `from-month`, `from-year`) as the DTO's London day
 * "YYYY-MM-DD"; all three blank is no date. Messages follow GOV.UK's date input pattern and link
 * to the box to fix.
 */
function dayFromParts(values: AuditFormValues, prefix: 'from' | 'to', errors: FormError[]): string | undefined {
  const [day, month, year] = DATE_PARTS.map((p) => values[`${prefix}-${p}`] ?? '');
  const what = WHICH[prefix];
  const problem = (message: string, part = 'day') => errors.push({ field: prefix, href: `${prefix}-${part}`, message });
  if (!day && !month && !year) {
    // A link may carry the API's form, "2027-01-17": the calendar is checked here too.
    const typed = values[prefix];
    const ymd = typed ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed) : null;
    if (ymd && !isRealDate(ymd[1], ymd[2], ymd[3])) problem(`${what} must be a real date`);
    return undefined;
  }
  if (!day) return void problem(`${what} must include a day`, 'day');
  if (!month) return void problem(`${what} must include a month`, 'month');
  if (!year) return void problem(`${what} must include a year`, 'year');
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return void problem(`${what} must be a real date, like 17 1 2027`);
  if (!isRealDate(year, month, day)) return void problem(`${what} must be a real date`);
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function isRealDate(year: string, month: string, day: string): boolean {
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return Number(year) >= 1000 && d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}

/**
 * The audit page's query (its own fields: a person's name, date inputs in three boxes) as the
 * API's AuditEventsQueryDto, checked with the API's rules. A parameter given twice counts once
 * (its first value) and unknown parameters (a tracking tag) are ignored: this is a page, not the API.
 * A link may still carry `from`/`to` as YYYY-MM-DD, or `actor`, as the API takes them.
 */
export async function auditQueryFromForm(
  query: Record<string, unknown>,
): Promise<{ values: AuditFormValues; value: AuditEventsQueryDto; errors: FormError[] }> {
  const values: AuditFormValues = {};
  for (const field of [...TEXT_FIELDS, ...['from', 'to'].flatMap((prefix) => DATE_PARTS.map((p) => `${prefix}-${p}`))]) {
    const v = str(query[field]).trim().slice(0, 320);
    if (v) values[field] = v;
  }
  const errors: FormError[] = [];
  const from = dayFromParts(values, 'from', errors) ?? (errors.some((e) => e.field === 'from') ? undefined : values.from);
  const to = dayFromParts(values, 'to', errors) ?? (errors.some((e) => e.field === 'to') ? undefined : values.to);
  if (from && to && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && to < from && !errors.length) {
    errors.push({ field: 'to', href: 'to-day', message: 'End date must be the same as or after the start date' });
  }
  const rest = values;
  const body: Record<string, string | undefined> = {
    person: rest.person,
    actor: rest.actor,
    entityType: rest.entityType,
    entityId: rest.entityId,
    action: rest.action,
    from,
    to,
    limit: rest.limit,
    page: rest.page,
  };
  const { value, errors: dtoErrors } = await readForm(AuditEventsQueryDto, body);
  // The dates' own checks said it better; the DTO's shape messages about them add nothing.
  const dated = new Set(errors.map((e) => e.field));
  for (const e of dtoErrors) {
    if (dated.has(e.field)) continue;
    errors.push(e.field === 'from' || e.field === 'to' ? { ...e, href: `${e.field}-day`, message: `${WHICH[e.field]} must be a real date` } : e);
  }
  return { values, value, errors };
}

/** The form's filters for the paging links, so paging never loses them. */
export function auditFilters(values: AuditFormValues): Record<string, string | undefined> {
  const { limit: _limit, page: _page, ...filters } = values;
  void _limit;
  void _page;
  return filters;
}
