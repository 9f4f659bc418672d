import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** The payments module's error codes. Published: never change a string. */
export enum PaymentsErrorCode {
  InstalmentNotFound = 'payments.instalment_not_found',
  RequestNotFound = 'payments.request_not_found',
  NotDue = 'payments.not_due',
  NotPending = 'payments.not_pending',
  OwnRequest = 'payments.own_request',
  AlreadyApproved = 'payments.already_approved',
  NotScheduled = 'payments.not_scheduled',
  ScheduleStarted = 'payments.schedule_started',
  RunNotFound = 'payments.run_not_found',
  PaymentNotFound = 'payments.payment_not_found',
  NothingToPay = 'payments.nothing_to_pay',
  NotReady = 'payments.not_ready',
  RunSettled = 'payments.run_settled',
  RunHasHeld = 'payments.run_has_held',
  AlreadyRecorded = 'payments.already_recorded',
  ExceedsAward = 'payments.exceeds_award',
  OrganisationNotFound = 'payments.organisation_not_found',
  NoBankDetails = 'payments.no_bank_details',
  AlreadyVerified = 'payments.already_verified',
  OwnChange = 'payments.own_change',
  RevealNotAllowed = 'payments.reveal_not_allowed',
  RepaymentNotFound = 'payments.repayment_not_found',
  RepaymentReceived = 'payments.repayment_received',
  BelowPaid = 'payments.below_paid',
}

export const PAYMENTS_ERROR_STATUS: ErrorStatuses<PaymentsErrorCode> = {
  [PaymentsErrorCode.InstalmentNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.RequestNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.NotDue]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.NotPending]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.OwnRequest]: HttpStatus.FORBIDDEN,
  [PaymentsErrorCode.AlreadyApproved]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.NotScheduled]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.ScheduleStarted]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.RunNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.PaymentNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.NothingToPay]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.NotReady]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.RunSettled]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.RunHasHeld]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.AlreadyRecorded]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.ExceedsAward]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.OrganisationNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.NoBankDetails]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.AlreadyVerified]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.OwnChange]: HttpStatus.FORBIDDEN,
  [PaymentsErrorCode.RevealNotAllowed]: HttpStatus.FORBIDDEN,
  [PaymentsErrorCode.RepaymentNotFound]: HttpStatus.NOT_FOUND,
  [PaymentsErrorCode.RepaymentReceived]: HttpStatus.CONFLICT,
  [PaymentsErrorCode.BelowPaid]: HttpStatus.CONFLICT,
};

export class PaymentsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: PaymentsErrorCode;

  private constructor(code: PaymentsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, PAYMENTS_ERROR_STATUS[code], details);
  }

  static instalmentNotFound() {
    return new PaymentsException(PaymentsErrorCode.InstalmentNotFound, 'Instalment not found');
  }
  static requestNotFound() {
    return new PaymentsException(PaymentsErrorCode.RequestNotFound, 'Payment request not found');
  }
  static notDue(status: string) {
    return new PaymentsException(PaymentsErrorCode.NotDue, `The instalment is ${String(status).replace(/_/g, ' ')}, so a payment cannot be requested for it`);
  }
  static notPending(status: string) {
    return new PaymentsException(PaymentsErrorCode.NotPending, `The payment request has already been ${status}`);
  }
  static ownRequest() {
    return new PaymentsException(PaymentsErrorCode.OwnRequest, 'You raised this payment request, so someone else must approve or reject it');
  }
  static notScheduled() {
    return new PaymentsException(PaymentsErrorCode.NotScheduled, 'The grant has no payment schedule yet: it is made when the offer is accepted');
  }
  static scheduleStarted(seq: number) {
    return new PaymentsException(PaymentsErrorCode.ScheduleStarted, `Instalment ${seq} has already been asked for, so the schedule can no longer change`);
  }
  static alreadyApproved() {
    return new PaymentsException(PaymentsErrorCode.AlreadyApproved, 'You have already approved this payment request; a second approver is needed');
  }
  static runNotFound() {
    return new PaymentsException(PaymentsErrorCode.RunNotFound, 'Payment run not found');
  }
  static nothingToPay() {
    return new PaymentsException(
      PaymentsErrorCode.NothingToPay,
      'No approved payment is ready for a run: each needs its organisation’s bank details verified and no hold',
    );
  }
  static notReady(requestId: string) {
    return new PaymentsException(PaymentsErrorCode.NotReady, `Payment request ${String(requestId)} is not approved and ready for a run`);
  }
  static runSettled(run: string) {
    return new PaymentsException(
      PaymentsErrorCode.RunSettled,
      `Every payment in run ${String(run)} has been recorded as paid or failed, so there is nothing left to export`,
    );
  }
  static runHasHeld(references: string[]) {
    return new PaymentsException(
      PaymentsErrorCode.RunHasHeld,
      `Bank details changed after the run was made for ${references.join(', ')}: mark ${references.length === 1 ? 'it' : 'them'} failed before exporting the run`,
    );
  }
  static alreadyRecorded(reference: string, status: string) {
    return new PaymentsException(PaymentsErrorCode.AlreadyRecorded, `Payment ${String(reference)} has already been recorded as ${String(status)}`);
  }
  static exceedsAward() {
    return new PaymentsException(PaymentsErrorCode.ExceedsAward, 'This would pay more on a grant than its award');
  }
  static organisationNotFound() {
    return new PaymentsException(PaymentsErrorCode.OrganisationNotFound, 'Organisation not found');
  }
  static noBankDetails() {
    return new PaymentsException(PaymentsErrorCode.NoBankDetails, 'The organisation has not given bank details');
  }
  static alreadyVerified() {
    return new PaymentsException(PaymentsErrorCode.AlreadyVerified, 'These bank details have already been verified');
  }
  static ownChange() {
    return new PaymentsException(PaymentsErrorCode.OwnChange, 'You entered these bank details, so someone else must verify them');
  }
  static revealNotAllowed() {
    return new PaymentsException(PaymentsErrorCode.RevealNotAllowed, 'Only finance may see bank details in full');
  }
  static repaymentNotFound() {
    return new PaymentsException(PaymentsErrorCode.RepaymentNotFound, 'Repayment not found');
  }
  static repaymentReceived() {
    return new PaymentsException(PaymentsErrorCode.RepaymentReceived, 'This repayment has already been recorded as received');
  }
  static paymentNotFound() {
    return new PaymentsException(PaymentsErrorCode.PaymentNotFound, 'Payment not found');
  }
  /** A variation that would take a grant below what has been paid, is in a payment run, or has been asked for. */
  static belowPaid(field: string, rule: 'notBelowPaid' | 'notBelowRequested', message: string) {
    return new PaymentsException(PaymentsErrorCode.BelowPaid, message, [{ field, rule, message }]);
  }
}
