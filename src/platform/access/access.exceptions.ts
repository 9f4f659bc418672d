import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses } from '../errors/app-exception';

/**
 * Refusals made by access control itself, before any module's code runs. Two codes keep the
 * `identity.` prefix they were published with: clients branch on them, so moving the code that
 * raises them is not a reason to rename them.
 */
export enum AccessErrorCode {
  Forbidden = 'identity.forbidden',
  MfaEnrolmentRequired = 'identity.mfa_enrolment_required',
  Undeclared = 'access.undeclared',
}

export const ACCESS_ERROR_STATUS: ErrorStatuses<AccessErrorCode> = {
  [AccessErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [AccessErrorCode.MfaEnrolmentRequired]: HttpStatus.FORBIDDEN,
  [AccessErrorCode.Undeclared]: HttpStatus.FORBIDDEN,
};

export class AccessException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: AccessErrorCode;

  private constructor(code: AccessErrorCode, message: string) {
    super(code, message, ACCESS_ERROR_STATUS[code]);
  }

  static forbidden(message = 'You do not have permission to do that') {
    return new AccessException(AccessErrorCode.Forbidden, message);
  }
  static mfaEnrolmentRequired() {
    return new AccessException(AccessErrorCode.MfaEnrolmentRequired, 'Staff must set up an authenticator app before using the service');
  }
  static undeclared() {
    return new AccessException(AccessErrorCode.Undeclared, 'This page is not available');
  }
}
