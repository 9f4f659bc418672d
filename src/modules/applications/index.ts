// The applications module's public surface: other modules import from here, never from its files.
export { ApplicationsModule } from './applications.module';
export {
  ApplicationsService,
  type ApplicationFilters,
  type ApplicationPage,
  type ApplicationRow,
  type AssessableApplication,
  type RoundTotals,
  REQUESTED_STATUSES,
} from './applications.service';
export { ApplicationsException, ApplicationsErrorCode, APPLICATIONS_ERROR_STATUS } from './applications.exceptions';
export { sendAttachment } from './attachment-download';
export type { ApplicationAttachment } from './entities/application-attachment.entity';
export type { Answers } from './entities/application.entity';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { Application } from './entities/application.entity';
/** The one renderer of an application's answers (with the `applicationAnswerCards` macro in views/_answers.njk), for assessors' pages too. */
export { answerSections, aboutFile, type AnswerSection } from './pages/answer-views';
export { APPLICATION_STATUS_TAGS } from './pages/status-tags';
