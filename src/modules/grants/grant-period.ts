import { toLondonLocal } from '@pcc/london-time';

/** How long a grant runs from its start: the funds' grants are for a year. */
export const GRANT_PERIOD_MONTHS = 12;

/**
 * The grant's period as calendar days ("2027-05-01" to "2028-04-30"): from the project's own start
 * date when it gave one that is still ahead of the offer, otherwise from the day of the offer, for
 * GRANT_PERIOD_MONTHS less a day. Calendar arithmetic in UTC, where days have no clock changes.
 */
export function grantPeriod(projectStart: unknown, offeredAt: Date): { startsOn: string; endsOn: string } {
  const o = toLondonLocal(offeredAt);
  return grantPeriodFromDay(projectStart, Date.UTC(o.year, o.month - 1, o.day));
}

/**
 * The same from the London day of the offer, "2027-03-01" (as the database gives it, for a long
 * export that should not ask the time-zone rules once per grant), or as a UTC midnight.
 */
export function grantPeriodFromDay(projectStart: unknown, offeredOn: string | number): { startsOn: string; endsOn: string } {
  const offerDay = typeof offeredOn === 'number' ? offeredOn : Date.parse(`${offeredOn}T00:00:00Z`);
  const asked = typeof projectStart === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(projectStart) : null;
  const askedDay = asked ? Date.UTC(Number(asked[1]), Number(asked[2]) - 1, Number(asked[3])) : NaN;
  const start = new Date(askedDay > offerDay ? askedDay : offerDay);
  const anniversary = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + GRANT_PERIOD_MONTHS, 1));
  // The same day a period on, or the month's last day when it is shorter (31 January → 28 February), less one day.
  const lastOfMonth = new Date(Date.UTC(anniversary.getUTCFullYear(), anniversary.getUTCMonth() + 1, 0)).getUTCDate();
  anniversary.setUTCDate(Math.min(start.getUTCDate(), lastOfMonth));
  const end = new Date(anniversary.getTime() - 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { startsOn: day(start), endsOn: day(end) };
}
