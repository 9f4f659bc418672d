import { HttpStatus } from '@nestjs/common';
import { AppException, type FieldError } from '../../platform/errors/app-exception';

export class ApplicationsException extends AppException {
  static notFound() {
    return new ApplicationsException('applications.not_found', 'Application not found', HttpStatus.NOT_FOUND);
  }
  static roundNotOpen(status: string) {
    const message = status === 'upcoming' ? 'This round has not opened yet' : 'This round is closed. You can no longer start or submit an application.';
    return new ApplicationsException('applications.round_not_open', message, HttpStatus.CONFLICT);
  }
  static deadlinePassed(closes: string) {
    return new ApplicationsException(
      'applications.deadline_passed',
      `The deadline was ${closes}. Applications submitted after the deadline cannot be accepted.`,
      HttpStatus.CONFLICT,
    );
  }
  static alreadyApplied(reference: string | null) {
    return new ApplicationsException(
      'applications.already_applied',
      `Your organisation already has an application in this round${reference ? ` (${reference})` : ''}. Each organisation can make one application per round.`,
      HttpStatus.CONFLICT,
    );
  }
  static notDraft(status: string) {
    return new ApplicationsException('applications.not_draft', `This application has been ${status} and can no longer be changed`, HttpStatus.CONFLICT);
  }
  static incomplete(missing: FieldError[]) {
    return new ApplicationsException(
      'applications.incomplete',
      `Answer every required question before you submit (${missing.length} left)`,
      HttpStatus.UNPROCESSABLE_ENTITY,
      missing,
    );
  }
  static ineligible(problems: FieldError[]) {
    return new ApplicationsException('applications.ineligible', problems.map((p) => p.message).join('. '), HttpStatus.UNPROCESSABLE_ENTITY, problems);
  }
  static emailNotVerified() {
    return new ApplicationsException('applications.email_not_verified', 'Confirm your email address before you submit an application', HttpStatus.FORBIDDEN);
  }
  static notMember() {
    return new ApplicationsException('applications.not_member', 'You can only apply for an organisation you belong to', HttpStatus.FORBIDDEN);
  }
  static cannotWithdraw(status: string) {
    return new ApplicationsException('applications.cannot_withdraw', `An application that is ${status} cannot be withdrawn`, HttpStatus.CONFLICT);
  }
  static tooLarge() {
    return new ApplicationsException('applications.file_too_large', 'The file must be 10 MB or smaller', HttpStatus.PAYLOAD_TOO_LARGE);
  }
  static wrongType() {
    return new ApplicationsException(
      'applications.file_type_not_allowed',
      'The file must be a PDF, Word document (DOCX), Excel spreadsheet (XLSX), PNG or JPEG',
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  static polyglot(detail: string) {
    return new ApplicationsException(
      'applications.file_ambiguous',
      `The file could be read as more than one type (${detail}), so it cannot be accepted. Save it again as a plain PDF, Word document, Excel spreadsheet, PNG or JPEG and upload that.`,
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  static tooManyAttachments(max: number) {
    return new ApplicationsException(
      'applications.too_many_attachments',
      `An application can hold at most ${max} files. Replace a file by uploading a new one to the same question.`,
      HttpStatus.CONFLICT,
    );
  }
  /** A multipart body over one of the limits in multipart-limits.ts; `message` names the limit. */
  static uploadTooLarge(message: string) {
    return new ApplicationsException('applications.upload_too_large', message, HttpStatus.PAYLOAD_TOO_LARGE);
  }
  static notScreenable(status: string) {
    return new ApplicationsException('applications.not_screenable', `Only submitted applications can be screened; this one is ${status}`, HttpStatus.CONFLICT);
  }
}
