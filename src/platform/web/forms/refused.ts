import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../errors/app-exception';

/**
 * Whether a service refused what a page posted (a rule the person can put right, shown on the
 * form), rather than a missing record (404) or a fault (5xx), which go to the error pages.
 */
export const refusedOnForm = (err: unknown): err is AppException =>
  err instanceof AppException && err.status < HttpStatus.INTERNAL_SERVER_ERROR && err.status !== HttpStatus.NOT_FOUND;
