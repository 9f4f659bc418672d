import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The funds module's error codes (rounds have theirs beside RoundsException). Published: never change a string. */
export enum FundsErrorCode {
  ProgrammeExists = 'funds.programme_exists',
}

export const FUNDS_ERROR_STATUS: ErrorStatuses<FundsErrorCode> = {
  [FundsErrorCode.ProgrammeExists]: HttpStatus.CONFLICT,
};

export class FundsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: FundsErrorCode;

  private constructor(code: FundsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, FUNDS_ERROR_STATUS[code], details);
  }

  static programmeExists(field: 'code' | 'name') {
    return new FundsException(FundsErrorCode.ProgrammeExists, `A fund programme with that ${field} already exists`, [
      { field, rule: 'unique', message: `A fund programme with that ${field} already exists` },
    ]);
  }
}
