import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PAYMENT_TRIGGERS, type PaymentTrigger } from '../../funds';
import { PageQueryDto } from '../../../platform/http/paging';
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

export class PaymentRequestPageDto {
  @ApiProperty({ type: [PaymentRequestDto] })
  items!: PaymentRequestDto[];
  @ApiProperty({ type: 'integer' })
  total!: number;
  @ApiProperty({ type: 'integer' })
  limit!: number;
  @ApiProperty({ type: 'integer' })
  page!: number;
}

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
