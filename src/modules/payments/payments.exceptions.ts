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
}
