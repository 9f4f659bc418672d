import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The decisions module's error codes. Published: never change a string. */
export enum DecisionsErrorCode {
  YearFull = 'decisions.year_full',
}

export const DECISIONS_ERROR_STATUS: ErrorStatuses<DecisionsErrorCode> = {
  [DecisionsErrorCode.YearFull]: HttpStatus.CONFLICT,
};

export class DecisionsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: DecisionsErrorCode;

  private constructor(code: DecisionsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, DECISIONS_ERROR_STATUS[code], details);
  }

  static yearFull(year: number) {
    return new DecisionsException(DecisionsErrorCode.YearFull, `Decision numbers for ${year} have reached 999`);
  }
}
