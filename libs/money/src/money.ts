/**
 * Money is held as a whole number of pence everywhere: in the database (`bigint`), in services and
 * on the API. Pounds only appear at the edges, when a person types or reads an amount.
 *
 * A JavaScript number holds whole pence exactly up to 2^53 (about £90 trillion), so `number` is
 * safe for any grant budget; every entry point still checks it is a safe integer, because a
 * fractional or overflowing value would silently corrupt a budget.
 */
export type Pence = number & { readonly __unit: 'pence' };

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function pence(value: number | bigint | string): Pence {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new MoneyError(`Amount must be a whole number of pence, got ${String(value)}`);
  }
  return n as Pence;
}

// "£1,234.56", "1234.5", "1,234" — what people actually type into an amount box.
const POUNDS_PATTERN = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Parses an amount typed in pounds. Returns null when it is not a valid amount of money. */
export function parsePounds(input: string): Pence | null {
  const match = POUNDS_PATTERN.exec(input.trim());
  if (!match) return null;
  const whole = match[1].replace(/,/g, '');
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const result = Number(whole) * 100 + Number(fraction);
  return Number.isSafeInteger(result) ? (result as Pence) : null;
}

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const GBP_WHOLE = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });

/** "£200,000" for whole pounds, "£1,234.50" otherwise — the way grant letters write amounts. */
export function formatPounds(amount: Pence | number): string {
  const p = pence(amount);
  return p % 100 === 0 ? GBP_WHOLE.format(p / 100) : GBP.format(p / 100);
}

export function sumPence(values: Iterable<Pence | number>): Pence {
  let total = 0;
  for (const v of values) total += pence(v);
  return pence(total);
}

/**
 * TypeORM column transformer for `bigint` pence columns: node-postgres returns int8 as a string
 * (to avoid precision loss), so convert it back and refuse anything that is not a safe integer.
 */
export const penceColumnTransformer = {
  to: (value: Pence | number | null | undefined): string | null | undefined => (value === null || value === undefined ? value : String(pence(value))),
  from: (value: string | null): Pence | null => (value === null ? null : pence(value)),
};
