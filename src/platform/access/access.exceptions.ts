import { HttpStatus } from '@nestjs/common';
import { AppException } from '../errors/app-exception';

/**
 * Refusals made by access control itself, before any module's code runs. The codes keep the
 * `identity.` prefix they were published with: clients branch on them, so moving the code that
 * raises them is not a reason to rename them.
 */
export class AccessException extends AppException {
  static forbidden(message = 'You do not have permission to do that') {
    return new AccessException('identity.forbidden', message, HttpStatus.FORBIDDEN);
  }
  static mfaEnrolmentRequired() {
    return new AccessException('identity.mfa_enrolment_required', 'Staff must set up an authenticator app before using the service', HttpStatus.FORBIDDEN);
  }
  static undeclared() {
    return new AccessException('access.undeclared', 'This page is not available', HttpStatus.FORBIDDEN);
  }
}
