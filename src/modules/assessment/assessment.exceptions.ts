import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The assessment module's error codes. Published: never change a string. */
export enum AssessmentErrorCode {
  NotFound = 'assessment.not_found',
  RoundNotClosed = 'assessment.round_not_closed',
  NotAssessable = 'assessment.not_assessable',
  NotAnAssessor = 'assessment.not_an_assessor',
  AlreadyAssigned = 'assessment.already_assigned',
  EnoughAssessors = 'assessment.enough_assessors',
  InterestDeclared = 'assessment.interest_declared',
  DeclarationRequired = 'assessment.declaration_required',
  AlreadyDeclared = 'assessment.already_declared',
  Conflicted = 'assessment.conflicted',
  Submitted = 'assessment.submitted',
  NotSubmitted = 'assessment.not_submitted',
  ScoringClosed = 'assessment.scoring_closed',
  Incomplete = 'assessment.incomplete',
  NothingToModerate = 'assessment.nothing_to_moderate',
}

export const ASSESSMENT_ERROR_STATUS: ErrorStatuses<AssessmentErrorCode> = {
  [AssessmentErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [AssessmentErrorCode.RoundNotClosed]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.NotAssessable]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.NotAnAssessor]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AssessmentErrorCode.AlreadyAssigned]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.EnoughAssessors]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.InterestDeclared]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.DeclarationRequired]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.AlreadyDeclared]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.Conflicted]: HttpStatus.FORBIDDEN,
  [AssessmentErrorCode.Submitted]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.NotSubmitted]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.ScoringClosed]: HttpStatus.CONFLICT,
  [AssessmentErrorCode.Incomplete]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AssessmentErrorCode.NothingToModerate]: HttpStatus.CONFLICT,
};

export class AssessmentException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: AssessmentErrorCode;

  private constructor(code: AssessmentErrorCode, message: string, details?: FieldError[]) {
    super(code, message, ASSESSMENT_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new AssessmentException(AssessmentErrorCode.NotFound, 'Assessment not found');
  }
  static roundNotClosed() {
    return new AssessmentException(AssessmentErrorCode.RoundNotClosed, 'Applications can be assigned for assessment once the round has closed');
  }
  static notAssessable(reference: string | null, status: string) {
    return new AssessmentException(
      AssessmentErrorCode.NotAssessable,
      `Only applications that passed screening can be assessed; ${reference ?? 'this application'} is ${status}`,
      [{ field: 'applicationId', rule: 'eligible', message: 'Select an application that passed screening' }],
    );
  }
  static notAnAssessor(details: FieldError[]) {
    return new AssessmentException(AssessmentErrorCode.NotAnAssessor, details.map((d) => d.message).join('. '), details);
  }
  static alreadyAssigned(details: FieldError[]) {
    return new AssessmentException(AssessmentErrorCode.AlreadyAssigned, details.map((d) => d.message).join('. '), details);
  }
  static enoughAssessors(required: number) {
    return new AssessmentException(
      AssessmentErrorCode.EnoughAssessors,
      `Each application in this round has ${required} assessor${required === 1 ? '' : 's'}; unassign one before adding another`,
      [{ field: 'assessorIds', rule: 'atMostRequired', message: `No more than ${required} assessor${required === 1 ? '' : 's'} per application` }],
    );
  }
  static interestDeclared(details: FieldError[]) {
    return new AssessmentException(AssessmentErrorCode.InterestDeclared, details.map((d) => d.message).join('. '), details);
  }
  static declarationRequired() {
    return new AssessmentException(
      AssessmentErrorCode.DeclarationRequired,
      'Declare whether you have a conflict of interest before you read or score this application',
    );
  }
  static alreadyDeclared() {
    return new AssessmentException(AssessmentErrorCode.AlreadyDeclared, 'You have already made your declaration for this application');
  }
  static conflicted() {
    return new AssessmentException(
      AssessmentErrorCode.Conflicted,
      'You have declared a conflict of interest with this application, so you cannot read, score or moderate it',
    );
  }
  static submitted() {
    return new AssessmentException(AssessmentErrorCode.Submitted, 'This assessment has been submitted and can no longer change. A fund manager can reopen it.');
  }
  static notSubmitted() {
    return new AssessmentException(AssessmentErrorCode.NotSubmitted, 'Only a submitted assessment can be reopened');
  }
  static scoringClosed(when: string) {
    return new AssessmentException(AssessmentErrorCode.ScoringClosed, `Scores were due by ${when}. Ask the fund manager to move the scoring deadline.`);
  }
  static incomplete(missing: FieldError[]) {
    return new AssessmentException(AssessmentErrorCode.Incomplete, `Complete the assessment before you submit it (${missing.length} left)`, missing);
  }
  static nothingToModerate() {
    return new AssessmentException(AssessmentErrorCode.NothingToModerate, 'An application can be moderated once it has a submitted assessment');
  }
}
