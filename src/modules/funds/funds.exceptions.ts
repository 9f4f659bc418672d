import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The funds module's error codes for programmes (rounds' are below). Published: never change a string. */
export enum FundsErrorCode {
  ProgrammeExists = 'funds.programme_exists',
  NotFound = 'funds.not_found',
}

export const FUNDS_ERROR_STATUS: ErrorStatuses<FundsErrorCode> = {
  [FundsErrorCode.ProgrammeExists]: HttpStatus.CONFLICT,
  [FundsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
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
  static notFound() {
    return new FundsException(FundsErrorCode.NotFound, 'Fund programme not found');
  }
}

/** Rounds' error codes (one of them published with the `funds.` prefix). Published: never change a string. */
export enum RoundsErrorCode {
  NotFound = 'rounds.not_found',
  RoundExists = 'funds.round_exists',
  Locked = 'rounds.locked',
  CriteriaFrozen = 'rounds.criteria_frozen',
}

export const ROUNDS_ERROR_STATUS: ErrorStatuses<RoundsErrorCode> = {
  [RoundsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [RoundsErrorCode.RoundExists]: HttpStatus.CONFLICT,
  [RoundsErrorCode.Locked]: HttpStatus.CONFLICT,
  [RoundsErrorCode.CriteriaFrozen]: HttpStatus.CONFLICT,
};

export class RoundsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: RoundsErrorCode;

  private constructor(code: RoundsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, ROUNDS_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new RoundsException(RoundsErrorCode.NotFound, 'Funding round not found');
  }
  /**
   * A round's name and reference prefix are unique. 409 whether the other round was saved long
   * ago or a moment ago by an identical request racing this one (then the database's unique
   * constraint is what notices, and `create`/`update` translate it to this).
   */
  static exists(details: FieldError[]) {
    return new RoundsException(
      RoundsErrorCode.RoundExists,
      details.map((d) => d.message).join('. ') || 'A round with that name or reference prefix already exists',
      details,
    );
  }
  static locked(fields: string[]) {
    return new RoundsException(
      RoundsErrorCode.Locked,
      `The round is open, so these can no longer change: ${fields.join(', ')}`,
      fields.map((field) => ({ field, rule: 'lockedWhileOpen', message: `${field} cannot change once the round has opened` })),
    );
  }
  static criteriaFrozen() {
    return new RoundsException(
      RoundsErrorCode.CriteriaFrozen,
      'Assessors have started scoring this round, so its criteria (names, weights and scales) can no longer change. You can still reword their guidance.',
      [{ field: 'criteria', rule: 'frozenOnceScored', message: 'The criteria cannot change once scoring has started' }],
    );
  }
}
