import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
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
  @ApiProperty({ format: 'uuid' })
  createdBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
}

export class AllocationRunPageDto {
  @ApiProperty({ type: [AllocationRunDto] })
  items!: AllocationRunDto[];
  @ApiProperty({ type: 'integer' })
  total!: number;
  @ApiProperty({ type: 'integer' })
  limit!: number;
  @ApiProperty({ type: 'integer' })
  page!: number;
}

export class RingFenceBudgetDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ description: 'the application category that qualifies for it' })
  category!: string;
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
