import { registerDecorator, type ValidationOptions } from 'class-validator';

/** True for "2026-12-03" and any other day that exists ("2026-02-30" does not). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * `@IsCalendarDay()`: an ISO day (YYYY-MM-DD) that exists on the calendar, such as the day a
 * payment left the bank. A day has no time zone to shift it, unlike a date-time.
 */
export function IsCalendarDay(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCalendarDay',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a real day written as YYYY-MM-DD, like 2026-12-03`, ...options },
      validator: { validate: isCalendarDay },
    });
  };
}
