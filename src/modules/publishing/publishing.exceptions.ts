import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses } from '../../platform/errors/app-exception';

/** The publishing module's error codes. Published: never change a string. */
export enum PublishingErrorCode {
  NothingPublished = 'publishing.nothing_published',
}

export const PUBLISHING_ERROR_STATUS: ErrorStatuses<PublishingErrorCode> = {
  [PublishingErrorCode.NothingPublished]: HttpStatus.NOT_FOUND,
};

export class PublishingException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: PublishingErrorCode;

  private constructor(code: PublishingErrorCode, message: string) {
    super(code, message, PUBLISHING_ERROR_STATUS[code]);
  }

  /**
   * The 360Giving package schema asks for at least one grant, so with none published there is no
   * valid package to give: a clear "not yet" rather than a file every validator would refuse.
   */
  static nothingPublished() {
    return new PublishingException(
      PublishingErrorCode.NothingPublished,
      'No grants have been published yet. The 360Giving data package will be here once the first grant under a published decision is accepted.',
    );
  }
}
