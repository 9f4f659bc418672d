// The applications module's public surface: other modules import from here, never from its files.
export { ApplicationsModule } from './applications.module';
export {
  ApplicationsService,
  type ApplicationFilters,
  type ApplicationPage,
  type ApplicationRow,
  type RoundTotals,
  REQUESTED_STATUSES,
} from './applications.service';
export { ApplicationsException, ApplicationsErrorCode, APPLICATIONS_ERROR_STATUS } from './applications.exceptions';
