import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../errors/app-exception';
import { toFieldErrors } from '../errors/validation';

export interface FormResult<T> {
  value: T;
  errors: FieldError[];
}

/** Validates a posted form with the same DTO rules as the API, for re-rendering with errors. */
export async function readForm<T extends object>(cls: new () => T, body: unknown): Promise<FormResult<T>> {
  const { _csrf, ...fields } = (body ?? {}) as Record<string, unknown>;
  void _csrf;
  const value = plainToInstance(cls, fields);
  const errors = toFieldErrors(await validate(value, { whitelist: true }));
  return { value, errors };
}

const PRESENCE_RULES = new Set(['isDefined', 'isNotEmpty', 'arrayNotEmpty']);

/**
 * What GOV.UK's error summary and inline error messages need: one entry per field (the first
 * problem), linking to the field's id.
 */
export function errorView(errors: FieldError[]) {
  const byField: Record<string, { text: string }> = {};
  for (const e of errors) byField[e.field] ??= { text: e.message };
  // A field left empty breaks several rules at once (nothing ticked is also "not in the list");
  // "Select at least one role" says what to do, so the rule about being empty wins.
  for (const e of errors) if (PRESENCE_RULES.has(e.rule)) byField[e.field] = { text: e.message };
  return {
    errorList: Object.entries(byField).map(([field, { text }]) => ({ text, href: `#${field}` })),
    errorFor: byField,
  };
}
