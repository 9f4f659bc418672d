import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The decisions module's error codes. Published: never change a string. */
export enum DecisionsErrorCode {
  YearFull = 'decisions.year_full',
  NotFound = 'decisions.not_found',
  WrongState = 'decisions.wrong_state',
  OwnDecision = 'decisions.own_decision',
  RoundHasDecision = 'decisions.round_has_decision',
  NotDelegating = 'decisions.not_delegating',
}

export const DECISIONS_ERROR_STATUS: ErrorStatuses<DecisionsErrorCode> = {
  [DecisionsErrorCode.YearFull]: HttpStatus.CONFLICT,
  [DecisionsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DecisionsErrorCode.WrongState]: HttpStatus.CONFLICT,
  [DecisionsErrorCode.OwnDecision]: HttpStatus.FORBIDDEN,
  [DecisionsErrorCode.RoundHasDecision]: HttpStatus.CONFLICT,
  [DecisionsErrorCode.NotDelegating]: HttpStatus.CONFLICT,
};

export class DecisionsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: DecisionsErrorCode;

  private constructor(code: DecisionsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, DECISIONS_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new DecisionsException(DecisionsErrorCode.NotFound, 'Decision not found');
  }
  static wrongState(number: string, status: string, action: string) {
    return new DecisionsException(DecisionsErrorCode.WrongState, `PCC Decision ${number} is ${status}, so it cannot be ${action}`);
  }
  static ownDecision() {
    return new DecisionsException(DecisionsErrorCode.OwnDecision, 'You drafted this decision, so someone else must approve or reject it');
  }
  static roundHasDecision() {
    return new DecisionsException(
      DecisionsErrorCode.RoundHasDecision,
      'The round already has a decision on its awards that is not rejected or withdrawn: withdraw that one first',
    );
  }
  static notDelegating(number: string) {
    return new DecisionsException(
      DecisionsErrorCode.NotDelegating,
      `PCC Decision ${number} is not an approved budget decision, so no awards can be made under it`,
    );
  }
  static yearFull(year: number) {
    return new DecisionsException(DecisionsErrorCode.YearFull, `Decision numbers for ${year} have reached 999`);
  }
}
