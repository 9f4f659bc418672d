// The grants module's public surface: other modules import from here, never from its files.
export { GrantsModule } from './grants.module';
export { GrantsService, type GrantView, type GrantSummary, type AcceptanceEffect } from './grants.service';
export {
  PublishedGrantsService,
  type PublishableGrant,
  type PublishedGrant,
  type PublishedGrantFilters,
  type PublishedGrantFacets,
} from './published-grants.service';
export { GRANT_PERIOD_MONTHS, grantPeriod } from './grant-period';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { Grant } from './entities/grant.entity';
export { GrantsException, GrantsErrorCode, GRANTS_ERROR_STATUS } from './grants.exceptions';
export type { GrantStatus } from './entities/grant.entity';
export type { ReportApprovedEffect } from './monitoring-reports.service';
export type { MonitoringReport, MonitoringReportStatus } from './entities/monitoring-report.entity';
export type { VariationApprovedEffect } from './grant-variations.service';
export type { GrantVariation, VariationStatus } from './entities/grant-variation.entity';
/** The staff insights' sums of awards (GrantsService.awardTotals). */
export type { AwardTotal } from './grants.service';
