import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDay } from '../../../platform/validation/calendar-day';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { VERIFICATION_METHODS, type VerificationMethod } from '../entities/bank-details.entity';
import { PAYMENT_STATUSES, type PaymentStatus } from '../entities/payment.entity';
import { REPAYMENT_STATUSES, type RepaymentStatus } from '../entities/repayment.entity';
import { PAYMENT_TRIGGERS, type PaymentTrigger } from '../../funds';
import { PageQueryDto, PagedResponse } from '../../../platform/http/paging';
import { INSTALMENT_STATUSES, type InstalmentStatus } from '../entities/instalment.entity';
import { PAYMENT_REQUEST_STATUSES, type PaymentRequestStatus } from '../entities/payment-request.entity';

export class PaymentApprovalDto {
  @ApiProperty({ format: 'uuid' })
  approverId!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  approvedAt!: Date;
}

export class PaymentRequestDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  instalmentId!: string;
  @ApiProperty({ enum: PAYMENT_REQUEST_STATUSES, enumName: 'PaymentRequestStatus' })
  status!: PaymentRequestStatus;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ type: 'integer', enum: [1, 2], description: 'two above the dual-approval threshold' })
  approvalsNeeded!: number;
  @ApiProperty({ format: 'uuid' })
  requestedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  requestedAt!: Date;
  @ApiProperty({ type: [PaymentApprovalDto] })
  approvals!: PaymentApprovalDto[];
  @ApiProperty({ type: 'string', nullable: true })
  rejectionReason!: string | null;
}

export class InstalmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: 'integer', description: '1, 2, …: its place in the schedule' })
  seq!: number;
  @ApiProperty({ enum: INSTALMENT_STATUSES, enumName: 'InstalmentStatus' })
  status!: InstalmentStatus;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ enum: ['acceptance', 'monitoring_report'], description: 'what makes it fall due' })
  trigger!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'for a monitoring report: months after the grant starts' })
  reportMonths!: number | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'the London day it fell due; null until its trigger' })
  dueOn!: string | null;
  @ApiProperty({ type: [PaymentRequestDto] })
  paymentRequests!: PaymentRequestDto[];
}

export class GrantPaymentsDto {
  @ApiProperty({ type: [InstalmentDto] })
  instalments!: InstalmentDto[];
}

export class PaymentRejectionDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Say why the payment request is rejected' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason!: string;
}

export class PaymentRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PAYMENT_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_REQUEST_STATUSES, { message: `status must be one of ${PAYMENT_REQUEST_STATUSES.join(', ')}` })
  status?: PaymentRequestStatus;
}

export class PaymentRequestPageDto extends PagedResponse(PaymentRequestDto) {}

export class ScheduleInstalmentDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'pence' })
  @IsInt({ message: 'amountPence must be a whole number of pence' })
  @Min(1, { message: 'amountPence must be more than 0' })
  @Max(100_000_000_000, { message: 'amountPence is too large' })
  amountPence!: number;

  @ApiProperty({ enum: PAYMENT_TRIGGERS })
  @IsIn(PAYMENT_TRIGGERS, { message: 'trigger must be acceptance or monitoring_report' })
  trigger!: PaymentTrigger;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 24 })
  @IsOptional()
  @IsInt({ message: 'reportMonths must be a whole number of months from 1 to 24' })
  @Min(1, { message: 'reportMonths must be a whole number of months from 1 to 24' })
  @Max(24, { message: 'reportMonths must be a whole number of months from 1 to 24' })
  reportMonths?: number;
}

/** A grant's new schedule: instalments adding up to the award, and why it changes. */
export class ScheduleChangeDto {
  @ApiProperty({ type: [ScheduleInstalmentDto], minItems: 1, maxItems: 12 })
  @IsArray({ message: 'instalments must be a list' })
  @ArrayMinSize(1, { message: 'instalments needs at least one instalment' })
  @ArrayMaxSize(12, { message: 'instalments must have 12 or fewer' })
  @ValidateNested({ each: true })
  @Type(() => ScheduleInstalmentDto)
  instalments!: ScheduleInstalmentDto[];

  @ApiProperty({ maxLength: 2000 })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Say why the schedule is changed' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason!: string;
}

// ── Payment runs ──────────────────────────────────────────────────────────────────────────────

export class PaymentRunCreateDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 500,
    description: 'only these approved requests; all that are ready when absent',
  })
  @IsOptional()
  @IsArray({ message: 'requestIds must be a list' })
  @ArrayMinSize(1, { message: 'requestIds needs at least one request' })
  @ArrayMaxSize(500, { message: 'requestIds must have 500 or fewer' })
  @IsUUID('all', { each: true, message: 'each of requestIds must be a payment request id' })
  requestIds?: string[];
}

export class PaymentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  requestId!: string;
  @ApiProperty({ format: 'uuid' })
  instalmentId!: string;
  @ApiProperty({ format: 'uuid' })
  grantId!: string;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ description: 'on the organisation’s statement, e.g. VF7-0012-1' })
  reference!: string;
  @ApiProperty({ enum: PAYMENT_STATUSES, enumName: 'PaymentStatus' })
  status!: PaymentStatus;
  @ApiProperty({ type: 'string', format: 'date', nullable: true })
  paidOn!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  bankReference!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  failureReason!: string | null;
}

export class PaymentRunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'PR-0001, …' })
  number!: string;
  @ApiProperty({ format: 'uuid' })
  createdBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
  @ApiProperty({ type: 'integer' })
  paymentCount!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  totalPence!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  exportedAt!: Date | null;
  @ApiPropertyOptional({ type: [PaymentDto] })
  payments?: PaymentDto[];
}

export class PaymentRunPageDto extends PagedResponse(PaymentRunDto) {}

export class PaymentResultDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'paymentId must be a payment id' })
  paymentId!: string;

  @ApiProperty({ enum: ['paid', 'failed'] })
  @IsIn(['paid', 'failed'], { message: 'outcome must be paid or failed' })
  outcome!: 'paid' | 'failed';

  // Which of these an outcome needs is a business rule the service checks (the schema says each is
  // optional), so a line that leaves one out is refused as "required", naming it.
  @ApiPropertyOptional({ type: 'string', format: 'date', description: 'required when paid' })
  @IsOptional()
  @IsCalendarDay({ message: 'Enter the day it was paid, as YYYY-MM-DD' })
  paidOn?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'the bank’s reference, required when paid' })
  @IsOptional()
  @IsString({ message: 'bankReference must be text' })
  @MaxLength(100, { message: 'bankReference must be 100 characters or fewer' })
  @IsSingleLine({ label: 'Bank reference' })
  bankReference?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'why it failed, required when failed' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason?: string;
}

export class PaymentResultsDto {
  @ApiProperty({ type: [PaymentResultDto], minItems: 1, maxItems: 500 })
  @IsArray({ message: 'results must be a list' })
  @ArrayMinSize(1, { message: 'results needs at least one payment' })
  @ArrayMaxSize(500, { message: 'results must have 500 or fewer' })
  @ValidateNested({ each: true })
  @Type(() => PaymentResultDto)
  results!: PaymentResultDto[];
}

// ── Bank details ──────────────────────────────────────────────────────────────────────────────

export class BankDetailsInputDto {
  @ApiProperty({ maxLength: 140, description: 'the name on the account' })
  @IsString({ message: 'accountName must be text' })
  @MaxLength(140, { message: 'Name on the account must be 140 characters or fewer' })
  @IsSingleLine({ label: 'Name on the account' })
  accountName!: string;

  @ApiProperty({ maxLength: 20, description: '6 digits; spaces and hyphens are ignored', example: '30-94-30' })
  @IsString({ message: 'sortCode must be text' })
  @MaxLength(20, { message: 'Enter a valid sort code like 309430' })
  sortCode!: string;

  @ApiProperty({ maxLength: 20, description: '6 to 8 digits; spaces are ignored', example: '00733445' })
  @IsString({ message: 'accountNumber must be text' })
  @MaxLength(20, { message: 'Enter a valid account number like 00733445' })
  accountNumber!: string;
}

export class SameAccountDto {
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;
  @ApiProperty()
  organisationName!: string;
}

export class BankDetailsDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;
  @ApiProperty()
  accountName!: string;
  @ApiProperty({ description: 'the account number’s last four digits' })
  accountEnding!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'in full only to finance asking with reveal=true (audited)' })
  sortCode!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'in full only to finance asking with reveal=true (audited)' })
  accountNumber!: string | null;
  @ApiProperty({ enum: ['verified', 'awaiting_verification'] })
  status!: 'verified' | 'awaiting_verification';
  @ApiProperty({ format: 'uuid' })
  changedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  changedAt!: Date;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  verifiedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  verifiedAt!: Date | null;
  @ApiProperty({ enum: VERIFICATION_METHODS, nullable: true })
  verificationMethod!: VerificationMethod | null;
  @ApiProperty({ type: 'string', nullable: true })
  verifiedWith!: string | null;
  @ApiProperty({ type: [SameAccountDto], description: 'other organisations whose current details are the same account (finance only)' })
  sameAccountAs!: SameAccountDto[];
}

export class BankDetailsRevealQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'finance only: the sort code and account number in full (audited)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'reveal must be true or false' })
  reveal?: 'true' | 'false';
}

export class BankVerificationDto {
  @ApiProperty({ enum: VERIFICATION_METHODS })
  @IsIn(VERIFICATION_METHODS, { message: `method must be one of ${VERIFICATION_METHODS.join(', ')}` })
  method!: VerificationMethod;

  @ApiProperty({ maxLength: 300, description: 'who at the organisation confirmed the details, and how they were reached' })
  @IsString({ message: 'verifiedWith must be text' })
  @IsNotEmpty({ message: 'Say who confirmed the details and how you reached them' })
  @MaxLength(300, { message: 'verifiedWith must be 300 characters or fewer' })
  verifiedWith!: string;

  @ApiProperty({ type: 'string', format: 'date-time', description: 'when the confirmation took place' })
  @IsDateString({ strict: true }, { message: 'verifiedAt must be an ISO 8601 date and time' })
  verifiedAt!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString({ message: 'notes must be text' })
  @MaxLength(2000, { message: 'notes must be 2,000 characters or fewer' })
  notes?: string;
}

export class BankHoldDto extends BankDetailsDto {
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ type: 'integer' })
  heldCount!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  heldPence!: number;
}

export class BankHoldPageDto extends PagedResponse(BankHoldDto) {}

// ── Ledger and clawback ───────────────────────────────────────────────────────────────────────

export class LedgerLineDto {
  @ApiProperty({ type: 'integer', description: 'pence' })
  budgetPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: live commitments' })
  committedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: payments marked paid' })
  paidPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: clawback received' })
  repaidPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: committed less paid' })
  outstandingPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: budget less committed, plus repaid' })
  availablePence!: number;
}

export class LedgerFenceDto extends LedgerLineDto {
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: 'string', nullable: true })
  category!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  areaOnsCode!: string | null;
}

export class LedgerYearDto {
  @ApiProperty({ description: 'April to March, e.g. 2026-27' })
  year!: string;
  @ApiProperty({ type: 'integer' })
  committedPence!: number;
  @ApiProperty({ type: 'integer' })
  paidPence!: number;
  @ApiProperty({ type: 'integer' })
  repaidPence!: number;
}

export class RoundLedgerDto {
  @ApiProperty({ format: 'uuid' })
  roundId!: string;
  @ApiProperty({ type: LedgerLineDto })
  round!: LedgerLineDto;
  @ApiProperty({ type: LedgerLineDto })
  generalPot!: LedgerLineDto;
  @ApiProperty({ type: [LedgerFenceDto] })
  ringFences!: LedgerFenceDto[];
  @ApiProperty({ type: [LedgerYearDto] })
  financialYears!: LedgerYearDto[];
}

export class RepaymentInputDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'pence' })
  @IsInt({ message: 'amountPence must be a whole number of pence' })
  @Min(1, { message: 'amountPence must be more than 0' })
  @Max(100_000_000_000, { message: 'amountPence is too large' })
  amountPence!: number;

  @ApiProperty({ maxLength: 2000 })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Say why the money must be paid back' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason!: string;
}

export class RepaymentReceivedDto {
  @ApiProperty({ type: 'string', format: 'date' })
  @IsCalendarDay({ message: 'Enter the day the money arrived, as YYYY-MM-DD' })
  receivedOn!: string;
}

export class RepaymentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  grantId!: string;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty()
  reason!: string;
  @ApiProperty({ enum: REPAYMENT_STATUSES })
  status!: RepaymentStatus;
  @ApiProperty({ type: 'string', format: 'date-time' })
  raisedAt!: Date;
  @ApiProperty({ type: 'string', format: 'date', nullable: true })
  receivedOn!: string | null;
}

export class RepaymentListDto {
  @ApiProperty({ type: [RepaymentDto] })
  items!: RepaymentDto[];
}
