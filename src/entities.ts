import { ApplicationAttachment } from './modules/applications/entities/application-attachment.entity';
import { ApplicationSnapshot } from './modules/applications/entities/application-snapshot.entity';
import { Application } from './modules/applications/entities/application.entity';
import { DeadlineExtension } from './modules/applications/entities/deadline-extension.entity';
import { ApplicationReferenceCounter } from './modules/applications/entities/reference-counter.entity';
import { AllocationRun } from './modules/allocation/entities/allocation-run.entity';
import { Grant } from './modules/grants/entities/grant.entity';
import { GrantVariation } from './modules/grants/entities/grant-variation.entity';
import { MonitoringReportReminder } from './modules/grants/entities/monitoring-report-reminder.entity';
import { MonitoringReport } from './modules/grants/entities/monitoring-report.entity';
import { Instalment } from './modules/payments/entities/instalment.entity';
import { PaymentApproval } from './modules/payments/entities/payment-approval.entity';
import { PaymentRequest } from './modules/payments/entities/payment-request.entity';
import { BankDetails } from './modules/payments/entities/bank-details.entity';
import { PaymentRun } from './modules/payments/entities/payment-run.entity';
import { Payment } from './modules/payments/entities/payment.entity';
import { Repayment } from './modules/payments/entities/repayment.entity';
import { DecisionNumberCounter } from './modules/decisions/entities/decision-number-counter.entity';
import { PccDecision } from './modules/decisions/entities/pcc-decision.entity';
import { BudgetCommitment } from './modules/allocation/entities/budget-commitment.entity';
import { AssessmentScore } from './modules/assessment/entities/assessment-score.entity';
import { Assessment } from './modules/assessment/entities/assessment.entity';
import { DeclaredInterest } from './modules/assessment/entities/declared-interest.entity';
import { Moderation } from './modules/assessment/entities/moderation.entity';
import { AuditEvent } from './modules/audit/entities/audit-event.entity';
import { AssessmentCriterion } from './modules/funds/entities/assessment-criterion.entity';
import { FundingRound } from './modules/funds/entities/funding-round.entity';
import { RingFence } from './modules/funds/entities/ring-fence.entity';
import { FundProgramme } from './modules/funds/entities/fund-programme.entity';
import { LocalAuthorityArea } from './modules/areas/entities/local-authority-area.entity';
import { LocalAuthorityPopulation } from './modules/areas/entities/local-authority-population.entity';
import { ApiToken } from './modules/identity/entities/api-token.entity';
import { AuthThrottle } from './modules/identity/entities/auth-throttle.entity';
import { MfaRecoveryCode } from './modules/identity/entities/mfa-recovery-code.entity';
import { OrganisationMembership } from './modules/identity/entities/organisation-membership.entity';
import { Organisation } from './modules/identity/entities/organisation.entity';
import { SecurityToken } from './modules/identity/entities/security-token.entity';
import { UserAccount } from './modules/identity/entities/user-account.entity';
import { OutboxMessage } from './modules/notifications/entities/outbox-message.entity';

/**
 * Every entity, listed once. The application, the migration CLI and the schema-drift test all read
 * this list, so an entity missing here fails the drift test rather than going unnoticed.
 * (Globs are avoided: they load .js in production and .ts in tests, and silently match nothing when
 * the layout changes.)
 */
export const ENTITIES = [
  AuditEvent,
  OutboxMessage,
  FundProgramme,
  LocalAuthorityArea,
  LocalAuthorityPopulation,
  UserAccount,
  Organisation,
  OrganisationMembership,
  SecurityToken,
  ApiToken,
  MfaRecoveryCode,
  AuthThrottle,
  FundingRound,
  RingFence,
  AssessmentCriterion,
  Application,
  ApplicationSnapshot,
  ApplicationAttachment,
  DeadlineExtension,
  ApplicationReferenceCounter,
  Assessment,
  AssessmentScore,
  DeclaredInterest,
  Moderation,
  AllocationRun,
  Grant,
  GrantVariation,
  MonitoringReport,
  MonitoringReportReminder,
  Instalment,
  PaymentRequest,
  PaymentApproval,
  BankDetails,
  PaymentRun,
  Payment,
  Repayment,
  BudgetCommitment,
  PccDecision,
  DecisionNumberCounter,
];
