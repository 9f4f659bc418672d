import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../../platform/errors/app-exception';

/** The service refused what was posted (a rule, not a missing record or a fault): shown on the form rather than as an error page. */
export const refused = (err: unknown): err is AppException =>
  err instanceof AppException && err.status < HttpStatus.INTERNAL_SERVER_ERROR && err.status !== HttpStatus.NOT_FOUND;
