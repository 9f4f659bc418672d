import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';
import { ACCEPTED_FILES_TEXT, MAX_UPLOAD_TEXT } from './accepted-files';

/** The applications module's error codes. Published: never change a string. */
export enum ApplicationsErrorCode {
  NotFound = 'applications.not_found',
  RoundNotOpen = 'applications.round_not_open',
  DeadlinePassed = 'applications.deadline_passed',
  AlreadyApplied = 'applications.already_applied',
  NotDraft = 'applications.not_draft',
  Incomplete = 'applications.incomplete',
  Ineligible = 'applications.ineligible',
  EmailNotVerified = 'applications.email_not_verified',
  NotMember = 'applications.not_member',
  CannotWithdraw = 'applications.cannot_withdraw',
  FileTooLarge = 'applications.file_too_large',
  FileTypeNotAllowed = 'applications.file_type_not_allowed',
  FileAmbiguous = 'applications.file_ambiguous',
  TooManyAttachments = 'applications.too_many_attachments',
  UploadTooLarge = 'applications.upload_too_large',
  NotScreenable = 'applications.not_screenable',
}

export const APPLICATIONS_ERROR_STATUS: ErrorStatuses<ApplicationsErrorCode> = {
  [ApplicationsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ApplicationsErrorCode.RoundNotOpen]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.DeadlinePassed]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.AlreadyApplied]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.NotDraft]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.Incomplete]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApplicationsErrorCode.Ineligible]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApplicationsErrorCode.EmailNotVerified]: HttpStatus.FORBIDDEN,
  [ApplicationsErrorCode.NotMember]: HttpStatus.FORBIDDEN,
  [ApplicationsErrorCode.CannotWithdraw]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.FileTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApplicationsErrorCode.FileTypeNotAllowed]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ApplicationsErrorCode.FileAmbiguous]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ApplicationsErrorCode.TooManyAttachments]: HttpStatus.CONFLICT,
  [ApplicationsErrorCode.UploadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApplicationsErrorCode.NotScreenable]: HttpStatus.CONFLICT,
};

export class ApplicationsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: ApplicationsErrorCode;

  private constructor(code: ApplicationsErrorCode, message: string, details?: FieldError[]) {
    super(code, message, APPLICATIONS_ERROR_STATUS[code], details);
  }

  static notFound() {
    return new ApplicationsException(ApplicationsErrorCode.NotFound, 'Application not found');
  }
  static roundNotOpen(status: string) {
    const message = status === 'upcoming' ? 'This round has not opened yet' : 'This round is closed. You can no longer start or submit an application.';
    return new ApplicationsException(ApplicationsErrorCode.RoundNotOpen, message);
  }
  static deadlinePassed(closes: string) {
    return new ApplicationsException(
      ApplicationsErrorCode.DeadlinePassed,
      `The deadline was ${closes}. Applications submitted after the deadline cannot be accepted.`,
    );
  }
  static alreadyApplied(reference: string | null) {
    return new ApplicationsException(
      ApplicationsErrorCode.AlreadyApplied,
      `Your organisation already has an application in this round${reference ? ` (${reference})` : ''}. Each organisation can make one application per round.`,
    );
  }
  static notDraft(status: string) {
    return new ApplicationsException(ApplicationsErrorCode.NotDraft, `This application has been ${status} and can no longer be changed`);
  }
  static incomplete(missing: FieldError[]) {
    return new ApplicationsException(ApplicationsErrorCode.Incomplete, `Answer every required question before you submit (${missing.length} left)`, missing);
  }
  static ineligible(problems: FieldError[]) {
    return new ApplicationsException(ApplicationsErrorCode.Ineligible, problems.map((p) => p.message).join('. '), problems);
  }
  static emailNotVerified() {
    return new ApplicationsException(ApplicationsErrorCode.EmailNotVerified, 'Confirm your email address before you submit an application');
  }
  static notMember() {
    return new ApplicationsException(ApplicationsErrorCode.NotMember, 'You can only apply for an organisation you belong to');
  }
  static cannotWithdraw(status: string) {
    return new ApplicationsException(ApplicationsErrorCode.CannotWithdraw, `An application that is ${status} cannot be withdrawn`);
  }
  static tooLarge() {
    return new ApplicationsException(ApplicationsErrorCode.FileTooLarge, `The selected file must be ${MAX_UPLOAD_TEXT} or smaller`);
  }
  static wrongType() {
    return new ApplicationsException(ApplicationsErrorCode.FileTypeNotAllowed, `The selected file must be a ${ACCEPTED_FILES_TEXT}`);
  }
  static polyglot(detail: string) {
    return new ApplicationsException(
      ApplicationsErrorCode.FileAmbiguous,
      `The file could be read as more than one type (${detail}), so it cannot be accepted. Save it again as a plain ${ACCEPTED_FILES_TEXT} and upload that.`,
    );
  }
  static tooManyAttachments(max: number) {
    return new ApplicationsException(
      ApplicationsErrorCode.TooManyAttachments,
      `An application can hold at most ${max} files. Replace a file by uploading a new one to the same question.`,
    );
  }
  /** A multipart body over one of the limits in multipart-limits.ts; `message` names the limit. */
  static uploadTooLarge(message: string) {
    return new ApplicationsException(ApplicationsErrorCode.UploadTooLarge, message);
  }
  static notScreenable(status: string) {
    return new ApplicationsException(ApplicationsErrorCode.NotScreenable, `Only submitted applications can be screened; this one is ${status}`);
  }
}
