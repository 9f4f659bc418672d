import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The allocation module's error codes. Published: never change a string. */
export enum AllocationErrorCode {
  NotFound = 'allocation.not_found',
  RankingNotReady = 'allocation.ranking_not_ready',
}

export const ALLOCATION_ERROR_STATUS: ErrorStatuses<AllocationErrorCode> = {
  [AllocationErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [AllocationErrorCode.RankingNotReady]: HttpStatus.CONFLICT,
};

export class AllocationException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: AllocationErrorCode;

  private constructor(code: AllocationErrorCode, message: string, details?: FieldError[]) {
    super(code, message, ALLOCATION_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new AllocationException(AllocationErrorCode.NotFound, 'Allocation run not found');
  }
  static rankingNotReady(outstanding: number) {
    if (outstanding === 0) return new AllocationException(AllocationErrorCode.RankingNotReady, 'The round has no eligible applications to allocate yet');
    return new AllocationException(
      AllocationErrorCode.RankingNotReady,
      `The ranking is not ready: ${outstanding} application${outstanding === 1 ? ' still needs' : 's still need'} ${outstanding === 1 ? 'its' : 'their'} assessments submitted or a moderated score`,
    );
  }
}
