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

export class ValidationFailedException extends AppException {
  constructor(details: FieldError[]) {
    super('validation_failed', details.map((d) => d.message).join('. '), HttpStatus.BAD_REQUEST, details);
  }
}
