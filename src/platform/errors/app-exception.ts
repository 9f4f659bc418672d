import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  /** The field as the client named it: "closesAt", "answers.q3", "roundId". */
  field: string;
  /** The rule it broke, stable for clients to branch on: "isNotEmpty", "max", "required". */
  rule: string;
  message: string;
}

/**
 * Base for every module's typed exceptions. `code` is stable and machine-readable
 * ("funds.round_closed"); `message` is written for the person who will read it.
 */
export class AppException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: HttpStatus = HttpStatus.BAD_REQUEST,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A module's error codes, each with the one status it is answered with. The module's exception
 * takes its status from this table (so a code cannot be raised with another status), and the
 * composition root hands every module's table to the OpenAPI document (so the document cannot
 * list fewer codes, or other statuses, than the code raises).
 */
export type ErrorStatuses<C extends string> = Readonly<Record<C, HttpStatus>>;

/** One published error code, as the OpenAPI document lists it. */
export interface ErrorCodeEntry {
  code: string;
  status: HttpStatus;
  /** The module that raises it (`access` for access control's own refusals). */
  module: string;
}

/** A module's table as document entries. */
export function errorCodeEntries<C extends string>(module: string, statuses: ErrorStatuses<C>): ErrorCodeEntry[] {
  return (Object.entries(statuses) as [C, HttpStatus][]).map(([code, status]) => ({ code, status, module }));
}

export class ValidationFailedException extends AppException {
  constructor(details: FieldError[]) {
    super('validation_failed', details.map((d) => d.message).join('. '), HttpStatus.BAD_REQUEST, details);
  }
}
