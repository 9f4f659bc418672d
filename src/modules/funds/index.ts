// The funds module's public surface: other modules import from here, never from its files.
export { FundsModule } from './funds.module';
export { FundsService, type NewProgramme, type FundSettings } from './funds.service';
export { RoundsService, type RoundStatus, type RoundInput, type EligibilityQuery } from './rounds.service';
export { FundsException, FundsErrorCode, FUNDS_ERROR_STATUS, RoundsException, RoundsErrorCode, ROUNDS_ERROR_STATUS } from './funds.exceptions';
export { ROUND_STATUS_TAGS } from './round-status';
export {
  AMOUNT_QUESTION,
  CATEGORY_QUESTION,
  allQuestions,
  refusedAnswers,
  type FormDefinition,
  type FormSection,
  type Question,
  type QuestionType,
} from './form-definition';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { FundingRound } from './entities/funding-round.entity';
export { AssessmentCriterion } from './entities/assessment-criterion.entity';
export {
  PAYMENT_TRIGGERS,
  PAID_IN_FULL,
  HALF_ON_SIX_MONTH_REPORT,
  SCHEDULE_PRESETS,
  presetOf,
  splitAward,
  scheduleSummary,
  type PaymentTrigger,
  type ScheduleStep,
  type SchedulePreset,
} from './payment-schedule';
