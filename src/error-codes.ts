import { ALLOCATION_ERROR_STATUS } from './modules/allocation';
import { DECISIONS_ERROR_STATUS } from './modules/decisions';
import { GRANTS_ERROR_STATUS } from './modules/grants';
import { PAYMENTS_ERROR_STATUS } from './modules/payments';
import { APPLICATIONS_ERROR_STATUS } from './modules/applications';
import { ASSESSMENT_ERROR_STATUS } from './modules/assessment';
import { FUNDS_ERROR_STATUS, ROUNDS_ERROR_STATUS } from './modules/funds';
import { IDENTITY_ERROR_STATUS } from './modules/identity';
import { NOTIFICATIONS_ERROR_STATUS } from './modules/notifications';
import { PUBLISHING_ERROR_STATUS } from './modules/publishing';
import { ACCESS_ERROR_STATUS } from './platform/access';
import { errorCodeEntries, type ErrorCodeEntry } from './platform/errors/app-exception';

/**
 * Every module's published error codes with their statuses, listed once, for the OpenAPI document
 * (the platform builds the document but knows no module, so the composition root hands it this).
 * Each table is typed `Record<Code, HttpStatus>` over its module's enum and is where the module's
 * exception takes its status from, so neither a code nor a status can be missing or differ here.
 * A new module with its own exceptions adds its table below (test/unit/error-codes.spec.ts fails
 * on an exception class whose codes are not listed).
 */
export const ERROR_CODES: readonly ErrorCodeEntry[] = [
  ...errorCodeEntries('access', ACCESS_ERROR_STATUS),
  ...errorCodeEntries('identity', IDENTITY_ERROR_STATUS),
  ...errorCodeEntries('funds', FUNDS_ERROR_STATUS),
  ...errorCodeEntries('funds', ROUNDS_ERROR_STATUS),
  ...errorCodeEntries('applications', APPLICATIONS_ERROR_STATUS),
  ...errorCodeEntries('assessment', ASSESSMENT_ERROR_STATUS),
  ...errorCodeEntries('allocation', ALLOCATION_ERROR_STATUS),
  ...errorCodeEntries('decisions', DECISIONS_ERROR_STATUS),
  ...errorCodeEntries('grants', GRANTS_ERROR_STATUS),
  ...errorCodeEntries('payments', PAYMENTS_ERROR_STATUS),
  ...errorCodeEntries('notifications', NOTIFICATIONS_ERROR_STATUS),
  ...errorCodeEntries('publishing', PUBLISHING_ERROR_STATUS),
];
