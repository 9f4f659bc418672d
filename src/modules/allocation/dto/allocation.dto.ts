import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PagedResponse } from '../../../platform/http/paging';
import { IsSingleLine } from '../../../platform/validation/single-line';
import type { Outcome } from '../allocation-plan';

export const UNSPENT_POLICIES = ['release', 'hold'] as const;
export const OUTCOMES: readonly Outcome[] = ['funded', 'partly_funded', 'reserve', 'not_funded'];

/** The settings of an allocation run. */
export class AllocationRunInputDto {
  @ApiProperty({
    example: '60.00',
    description: 'The lowest final score funded: a percentage from 0 to 100 with up to two decimal places (as text, so it stays exact)',
  })
  @IsString({ message: 'thresholdPercent must be a percentage written as text, like "60.00"' })
  @Matches(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, { message: 'thresholdPercent must be from 0 to 100 with up to two decimal places, like "60.00"' })
  thresholdPercent!: string;

  @ApiPropertyOptional({
    enum: UNSPENT_POLICIES,
    default: 'release',
    description: 'Ring-fenced money no qualifying application uses: released to the general pot, or held',
  })
  @IsOptional()
  @IsIn(UNSPENT_POLICIES, { message: 'unspentRingFences must be release or hold' })
  unspentRingFences?: (typeof UNSPENT_POLICIES)[number];
}

/** A partial award the fund manager sets on a run: less than the request, with the reason. */
export class AdjustmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'applicationId must be an application’s id' })
  applicationId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'pence: more than 0 and less than the amount requested' })
  @IsInt({ message: 'amountPence must be a whole number of pence' })
  @Min(1, { message: 'amountPence must be more than 0' })
  amountPence!: number;

  @ApiProperty({ maxLength: 500, example: 'The volunteer expenses are already funded by the council' })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Enter why the award is less than requested' })
  @IsSingleLine({ label: 'The reason' })
  @MaxLength(500, { message: 'reason must be 500 characters or fewer' })
  reason!: string;
}

/** Partial awards on a run: a new run is made with them, the same settings and the ranking as it stands; the old run is kept. */
export class AdjustRunDto {
  @ApiProperty({
    type: [AdjustmentDto],
    minItems: 0,
    maxItems: 2000,
    description: 'the complete set of partial awards for the new run (an empty list clears them)',
  })
  @IsArray({ message: 'adjustments must be a list' })
  @ArrayMinSize(0)
  @ArrayMaxSize(2000, { message: 'adjustments must have 2,000 or fewer entries' })
  @ValidateNested({ each: true })
  @Type(() => AdjustmentDto)
  adjustments!: AdjustmentDto[];
}

/** Submitting a run drafts the Commissioner's decision on it; the title and summary can be given now or edited on the draft. */
export class SubmitRunDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Default: "<round>: grant awards"' })
  @IsOptional()
  @IsString({ message: 'title must be text' })
  @IsSingleLine({ label: 'The title' })
  @MaxLength(200, { message: 'title must be 200 characters or fewer' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 20_000, description: 'Default: generated from the run' })
  @IsOptional()
  @IsString({ message: 'summary must be text' })
  @MaxLength(20_000, { message: 'summary must be 20,000 characters or fewer' })
  summary?: string;
}

export class AdjustmentViewDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty()
  reference!: string;
  @ApiProperty({ type: 'integer' })
  amountPence!: number;
  @ApiProperty()
  reason!: string;
}

export class AwardDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty()
  reference!: string;
  @ApiProperty({ enum: OUTCOMES, enumName: 'AwardOutcome' })
  outcome!: Outcome;
  @ApiProperty({ type: 'integer', description: 'pence; 0 unless funded or partly funded' })
  amountPence!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'the ring-fence’s id, "general", or null when nothing is awarded' })
  source!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'place on the reserve list, from 1' })
  reservePosition!: number | null;
  @ApiProperty({ example: 'Funded from the hate crime ring-fence' })
  reason!: string;
}

export class PotDto {
  @ApiProperty({ description: 'the ring-fence’s id, or "general"' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  committedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: ring-fenced money released to the general pot (or, for the general pot, received)' })
  releasedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  remainingPence!: number;
}

export class AllocationRunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  roundId!: string;
  @ApiProperty({ type: 'integer', description: 'pence: the round’s whole budget, ring-fences included' })
  budgetPence!: number;
  @ApiProperty({ example: '60.00' })
  thresholdPercent!: string;
  @ApiProperty({ enum: UNSPENT_POLICIES })
  unspentRingFences!: 'release' | 'hold';
  @ApiProperty({ type: 'integer', description: 'pence' })
  committedPence!: number;
  @ApiProperty({ type: PotDto })
  general!: PotDto;
  @ApiProperty({ type: [PotDto] })
  ringFences!: PotDto[];
  @ApiProperty({ type: [AwardDto], description: 'every eligible application, in rank order' })
  awards!: AwardDto[];
  @ApiProperty({ type: [AdjustmentViewDto], description: 'the partial awards the fund manager set' })
  adjustments!: AdjustmentViewDto[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'the run this one adjusted' })
  basedOnRunId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'the decision record it was submitted into' })
  decisionId!: string | null;
  @ApiProperty({ format: 'uuid' })
  createdBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
}

export class AllocationRunPageDto extends PagedResponse(AllocationRunDto) {}

export class RingFenceBudgetDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'the application category that qualifies for it (a ring-fence by category)' })
  category!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'the area whose organisations qualify for it (a ring-fence by area)' })
  areaOnsCode!: string | null;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  committedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  availablePence!: number;
}

export class RoundBudgetDto {
  @ApiProperty({ type: 'integer', description: 'pence: the whole budget, ring-fences included' })
  budgetPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence: live commitments, from every pot' })
  committedPence!: number;
  @ApiProperty({ type: 'integer', description: 'pence' })
  availablePence!: number;
  @ApiProperty({ type: [RingFenceBudgetDto] })
  ringFences!: RingFenceBudgetDto[];
}
