import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The allocation module's error codes. Published: never change a string. */
export enum AllocationErrorCode {
  NotFound = 'allocation.not_found',
  RankingNotReady = 'allocation.ranking_not_ready',
  OverBudget = 'allocation.over_budget',
  NotQualifying = 'allocation.not_qualifying',
  NotEligible = 'allocation.not_eligible',
  AlreadyCommitted = 'allocation.already_committed',
  CommitmentNotFound = 'allocation.commitment_not_found',
  AlreadySubmitted = 'allocation.already_submitted',
}

export const ALLOCATION_ERROR_STATUS: ErrorStatuses<AllocationErrorCode> = {
  [AllocationErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [AllocationErrorCode.RankingNotReady]: HttpStatus.CONFLICT,
  [AllocationErrorCode.OverBudget]: HttpStatus.CONFLICT,
  [AllocationErrorCode.NotQualifying]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AllocationErrorCode.NotEligible]: HttpStatus.CONFLICT,
  [AllocationErrorCode.AlreadyCommitted]: HttpStatus.CONFLICT,
  [AllocationErrorCode.CommitmentNotFound]: HttpStatus.NOT_FOUND,
  [AllocationErrorCode.AlreadySubmitted]: HttpStatus.CONFLICT,
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
  static overBudget(details: FieldError[]) {
    return new AllocationException(AllocationErrorCode.OverBudget, details.map((d) => d.message).join('. '), details);
  }
  static notQualifying(reference: string | null, fence: string) {
    return new AllocationException(AllocationErrorCode.NotQualifying, `${reference ?? 'The application'} does not qualify for the ${fence} ring-fence`, [
      { field: 'ringFenceCategory', rule: 'qualifies', message: `${reference ?? 'The application'} does not qualify for the ${fence} ring-fence` },
    ]);
  }
  static notEligible(reference: string | null) {
    return new AllocationException(AllocationErrorCode.NotEligible, `${reference ?? 'The application'} is not an eligible application in this round`);
  }
  static alreadyCommitted(reference: string | null) {
    return new AllocationException(AllocationErrorCode.AlreadyCommitted, `Money is already committed to ${reference ?? 'the application'}`);
  }
  static alreadySubmitted() {
    return new AllocationException(AllocationErrorCode.AlreadySubmitted, 'This allocation run has already been submitted for decision');
  }
  static commitmentNotFound() {
    return new AllocationException(AllocationErrorCode.CommitmentNotFound, 'Commitment not found');
  }
  static rankingNotReady(outstanding: number) {
    if (outstanding === 0) return new AllocationException(AllocationErrorCode.RankingNotReady, 'The round has no eligible applications to allocate yet');
    return new AllocationException(
      AllocationErrorCode.RankingNotReady,
      `The ranking is not ready: ${outstanding} application${outstanding === 1 ? ' still needs' : 's still need'} ${outstanding === 1 ? 'its' : 'their'} assessments submitted or a moderated score`,
    );
  }
}
