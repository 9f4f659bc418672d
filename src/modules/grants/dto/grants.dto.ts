import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto, PagedResponse } from '../../../platform/http/paging';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { GRANT_STATUSES, type GrantStatus } from '../entities/grant.entity';

/** Accepting an offer: the owner's full name as their signature, and the declaration. */
export class AcceptOfferDto {
  @ApiProperty({ maxLength: 200, example: 'Amina Hussain' })
  @IsString({ message: 'fullName must be text' })
  @IsNotEmpty({ message: 'Enter your full name' })
  @IsSingleLine({ label: 'Your full name' })
  @MaxLength(200, { message: 'fullName must be 200 characters or fewer' })
  fullName!: string;

  @ApiProperty({ enum: [true], description: 'The organisation accepts the grant on its conditions and will use it only for the project applied for' })
  @IsDefined({ message: 'Confirm that you accept the grant on its conditions' })
  @Equals(true, { message: 'Confirm that you accept the grant on its conditions' })
  declaration!: true;
}

export class DeclineOfferDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why the organisation declines (optional)' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason?: string;
}

export class ReserveOfferDto {
  @ApiProperty({ format: 'uuid', description: 'An application on the reserve list of the round’s approved decision' })
  @IsUUID('all', { message: 'applicationId must be an application’s id' })
  applicationId!: string;
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'VF7-0001' })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ format: 'uuid' })
  roundId!: string;
  @ApiProperty()
  roundName!: string;
  @ApiProperty({ format: 'uuid' })
  decisionId!: string;
  @ApiProperty({ example: '016-2020', description: 'the Commissioner’s decision that authorised it' })
  decisionNumber!: string;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  requestedPence!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'the ring-fence it is paid from; null for the general pot' })
  ringFence!: string | null;
  @ApiProperty({ description: 'the conditions of grant' })
  conditions!: string;
  @ApiProperty({ enum: GRANT_STATUSES, enumName: 'GrantStatus' })
  status!: GrantStatus;
  @ApiProperty({ type: 'string', format: 'date-time' })
  offeredAt!: Date;
  @ApiProperty({ type: 'string', format: 'date-time', description: 'an offer not accepted by then lapses' })
  offerExpiresAt!: Date;
  @ApiProperty({ type: 'string', format: 'date', example: '2027-05-01' })
  startsOn!: string;
  @ApiProperty({ type: 'string', format: 'date', example: '2028-04-30', description: 'the last day of the grant period, as any approved variation moved it' })
  endsOn!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'what the grant is for, as an approved variation set it; null: the project applied for' })
  purpose!: string | null;
  @ApiProperty({ description: 'how the grant is paid' })
  paymentSchedule!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  respondedAt!: Date | null;
  @ApiProperty({ type: 'string', nullable: true })
  acceptedName!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  declineReason!: string | null;
  @ApiProperty({ description: 'offered from the reserve list after the decision' })
  fromReserve!: boolean;
  @ApiProperty({ description: 'whether the person asking may accept or decline it now' })
  canRespond!: boolean;
}

/** A small award under a budget decision's delegation. */
export class DelegatedAwardDto {
  @ApiProperty({ format: 'uuid', description: 'An eligible application in the decision’s round, without a grant' })
  @IsUUID('all', { message: 'applicationId must be an application’s id' })
  applicationId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'pence: no more than the decision’s limit, the request or what the decision has left' })
  @IsInt({ message: 'amountPence must be a whole number of pence' })
  @Min(1, { message: 'amountPence must be more than 0' })
  @Max(100_000_000_000, { message: 'amountPence is too large' })
  amountPence!: number;
}

export class DelegatedAwardsPageDto extends PagedResponse(GrantDto) {
  @ApiProperty({ type: 'integer', description: 'pence: the decision’s delegated budget' })
  budgetPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: held by offered and accepted grants under it' })
  usedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  availablePence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: the largest award under it' })
  awardLimitPence!: number;
}

export class GrantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only this round’s grants' })
  @IsOptional()
  @IsUUID('all', { message: 'roundId must be a round id' })
  roundId?: string;

  @ApiPropertyOptional({ enum: GRANT_STATUSES })
  @IsOptional()
  @IsIn(GRANT_STATUSES, { message: `status must be one of ${GRANT_STATUSES.join(', ')}` })
  status?: GrantStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this organisation’s grants' })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be an organisation id' })
  organisationId?: string;
}

export class GrantPageDto extends PagedResponse(GrantDto) {}
