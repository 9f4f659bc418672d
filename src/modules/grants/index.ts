// The grants module's public surface: other modules import from here, never from its files.
export { GrantsModule } from './grants.module';
export { GrantsService, type GrantView, GRANT_PERIOD_MONTHS, grantPeriod } from './grants.service';
export { GrantsException, GrantsErrorCode, GRANTS_ERROR_STATUS } from './grants.exceptions';
export type { Grant, GrantStatus } from './entities/grant.entity';
