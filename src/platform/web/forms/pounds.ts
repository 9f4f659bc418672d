import { formatPounds, parsePounds, type Pence } from '@pcc/money';
import { str } from './fields';
import type { FormError } from './form-errors';

/** An amount in pence as someone would type it into a "£" box: "200,000" or "1,234.50". */
export function penceForInput(p: Pence | number | null | undefined): string {
  return p === null || p === undefined ? '' : formatPounds(p).replace('£', '');
}

/**
 * An amount typed in pounds ("£20,000", "1250.50"), in pence; undefined, with a problem added to
 * `errors`, when it is missing (and `required`) or cannot be read. `label` names it in the
 * message: "the total budget".
 */
export function poundsFromForm(value: unknown, field: string, label: string, errors: FormError[], required = true): Pence | undefined {
  const text = str(value).trim();
  if (!text) {
    if (required) errors.push({ field, message: `Enter ${label}` });
    return undefined;
  }
  const p = parsePounds(text);
  if (p === null) errors.push({ field, message: `Enter ${label} in pounds, like 20,000 or 1,250.50` });
  return p ?? undefined;
}
