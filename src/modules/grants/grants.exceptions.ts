import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The grants module's error codes. Published: never change a string. */
export enum GrantsErrorCode {
  NotFound = 'grants.not_found',
  NotOwner = 'grants.not_owner',
  NotOffered = 'grants.not_offered',
  OfferLapsed = 'grants.offer_lapsed',
  NotOnReserveList = 'grants.not_on_reserve_list',
  NoApprovedDecision = 'grants.no_approved_decision',
  NotAwardable = 'grants.not_awardable',
  AlreadyAwarded = 'grants.already_awarded',
  DelegatedBudgetSpent = 'grants.delegated_budget_spent',
  ReportNotFound = 'grants.report_not_found',
  ReportNotOpen = 'grants.report_not_open',
  ReportNotSubmitted = 'grants.report_not_submitted',
  NotAccepted = 'grants.not_accepted',
  VariationNotFound = 'grants.variation_not_found',
  VariationDecided = 'grants.variation_decided',
  DecisionRequired = 'grants.decision_required',
  OwnVariation = 'grants.own_variation',
}

export const GRANTS_ERROR_STATUS: ErrorStatuses<GrantsErrorCode> = {
  [GrantsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [GrantsErrorCode.NotOwner]: HttpStatus.FORBIDDEN,
  [GrantsErrorCode.NotOffered]: HttpStatus.CONFLICT,
  [GrantsErrorCode.OfferLapsed]: HttpStatus.CONFLICT,
  [GrantsErrorCode.NotOnReserveList]: HttpStatus.CONFLICT,
  [GrantsErrorCode.NoApprovedDecision]: HttpStatus.CONFLICT,
  [GrantsErrorCode.NotAwardable]: HttpStatus.CONFLICT,
  [GrantsErrorCode.AlreadyAwarded]: HttpStatus.CONFLICT,
  [GrantsErrorCode.DelegatedBudgetSpent]: HttpStatus.CONFLICT,
  [GrantsErrorCode.ReportNotFound]: HttpStatus.NOT_FOUND,
  [GrantsErrorCode.ReportNotOpen]: HttpStatus.CONFLICT,
  [GrantsErrorCode.ReportNotSubmitted]: HttpStatus.CONFLICT,
  [GrantsErrorCode.NotAccepted]: HttpStatus.CONFLICT,
  [GrantsErrorCode.VariationNotFound]: HttpStatus.NOT_FOUND,
  [GrantsErrorCode.VariationDecided]: HttpStatus.CONFLICT,
  [GrantsErrorCode.DecisionRequired]: HttpStatus.CONFLICT,
  [GrantsErrorCode.OwnVariation]: HttpStatus.FORBIDDEN,
};

export class GrantsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: GrantsErrorCode;

  private constructor(code: GrantsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, GRANTS_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new GrantsException(GrantsErrorCode.NotFound, 'Grant not found');
  }
  static notOwner() {
    return new GrantsException(GrantsErrorCode.NotOwner, 'Only an owner of the organisation can accept or decline its offer of grant');
  }
  static notOffered(status: string) {
    return new GrantsException(GrantsErrorCode.NotOffered, `The offer has already been ${status}`);
  }
  static offerLapsed(when: string) {
    return new GrantsException(GrantsErrorCode.OfferLapsed, `The offer closed on ${when}, so it can no longer be accepted`);
  }
  static notOnReserveList(reference: string | null) {
    return new GrantsException(GrantsErrorCode.NotOnReserveList, `${reference ?? 'The application'} is not on the round’s reserve list without an offer`);
  }
  static notAwardable(reference: string | null) {
    return new GrantsException(GrantsErrorCode.NotAwardable, `${reference ?? 'The application'} is not an eligible application in the decision’s round`, [
      { field: 'applicationId', rule: 'eligibleInRound', message: `${reference ?? 'The application'} is not an eligible application in the decision’s round` },
    ]);
  }
  static alreadyAwarded(reference: string | null) {
    return new GrantsException(GrantsErrorCode.AlreadyAwarded, `${reference ?? 'The application'} already has a grant`, [
      { field: 'applicationId', rule: 'once', message: `${reference ?? 'The application'} already has a grant` },
    ]);
  }
  static delegatedBudgetSpent(left: string) {
    return new GrantsException(GrantsErrorCode.DelegatedBudgetSpent, `Only ${left} of the decision’s delegated budget is left`, [
      { field: 'amountPence', rule: 'withinDelegatedBudget', message: `Only ${left} of the decision’s delegated budget is left` },
    ]);
  }
  static noApprovedDecision() {
    return new GrantsException(
      GrantsErrorCode.NoApprovedDecision,
      'The round has no approved decision on its awards, so there is no reserve list to offer from',
    );
  }
  static reportNotFound() {
    return new GrantsException(GrantsErrorCode.ReportNotFound, 'Monitoring report not found');
  }
  /** Submitting a report that is waiting for review or already approved. */
  static reportNotOpen(status: string) {
    const why = status === 'approved' ? 'has already been approved' : 'has been submitted and is waiting for a fund manager’s review';
    return new GrantsException(GrantsErrorCode.ReportNotOpen, `The monitoring report ${why}, so it cannot be submitted again`, [
      { field: 'reportId', rule: 'open', message: `The monitoring report ${why}, so it cannot be submitted again` },
    ]);
  }
  /** Approving, or asking for changes to, a report that is not waiting for review. */
  static reportNotSubmitted(status: string) {
    const why =
      status === 'approved'
        ? 'has already been approved'
        : status === 'changes_requested'
          ? 'is back with the grant holder for changes'
          : 'has not been submitted';
    return new GrantsException(GrantsErrorCode.ReportNotSubmitted, `The monitoring report ${why}, so it cannot be reviewed now`);
  }
  /** Varying a grant that is not (or no longer) an accepted grant. */
  static notAccepted(status: string) {
    return new GrantsException(GrantsErrorCode.NotAccepted, `The grant has been ${status}, not accepted, so it cannot be varied`);
  }
  static variationNotFound() {
    return new GrantsException(GrantsErrorCode.VariationNotFound, 'Variation not found');
  }
  /** Approving or rejecting a variation that has already been decided: decisions are final. */
  static variationDecided(number: number, status: string) {
    return new GrantsException(GrantsErrorCode.VariationDecided, `Variation ${number} has already been ${status}`);
  }
  /** An increase above the threshold without an approved (or published) Commissioner's decision. */
  static decisionRequired(message: string) {
    return new GrantsException(GrantsErrorCode.DecisionRequired, message, [{ field: 'decisionId', rule: 'approvedDecision', message }]);
  }
  /** Deciding a variation one proposed oneself: another fund manager must (segregation of duties). */
  static ownVariation() {
    return new GrantsException(GrantsErrorCode.OwnVariation, 'You proposed this variation, so another fund manager must decide it');
  }
}
