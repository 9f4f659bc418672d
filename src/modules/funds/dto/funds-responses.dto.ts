import { ApiProperty } from '@nestjs/swagger';
import { PagedResponse } from '../../../platform/http/paging';
import { OrganisationType } from '../../identity';
import { FundingSource } from '../entities/fund-programme.entity';
import { CategoryDto, FormDefinitionDto, RingFenceDto, ScheduleStepDto } from './round-input.dto';

/*
 * What the funds API answers, for the OpenAPI document: every field, its type, whether it can be
 * null, and its format. The controllers build these shapes; the classes only describe them.
 */

const FUNDING_SOURCES = Object.values(FundingSource);

export class FundProgrammeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Short code, e.g. VF', example: 'VF' })
  code!: string;

  @ApiProperty({ example: 'Victims Fund' })
  name!: string;

  @ApiProperty({ enum: FUNDING_SOURCES, enumName: 'FundingSource', description: 'Where the money comes from; decides what it may pay for' })
  fundingSource!: FundingSource;

  @ApiProperty()
  summary!: string;

  @ApiProperty({ type: [String], description: 'What the money may not pay for' })
  exclusions!: string[];

  @ApiProperty({
    description:
      'Its grants are crime and disorder reduction grants, published each month at /transparency/crime-and-disorder-grants (the Specified Information Order 2011)',
  })
  crimeAndDisorderReduction!: boolean;
}

/** A fund as its fund managers see it (the answer to PATCH /api/v1/fund-programmes/{id}): with its cost centre. */
export class FundProgrammeSettingsDto extends FundProgrammeDto {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The finance system’s cost centre its payments are charged to; null when none is set',
    example: 'PCC-POCA-4620',
  })
  costCentre!: string | null;
}

export class AreaDto {
  @ApiProperty({ description: 'ONS code', example: 'E08000025' })
  onsCode!: string;

  @ApiProperty({ example: 'Birmingham' })
  name!: string;

  @ApiProperty({ description: 'Inside the police force area the Commissioner covers' })
  inForceArea!: boolean;
}

/** The programme as shown on a round. */
export class RoundProgrammeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'VF' })
  code!: string;

  @ApiProperty({ example: 'Victims Fund' })
  name!: string;

  @ApiProperty({ enum: FUNDING_SOURCES, enumName: 'FundingSource', description: 'Where the money comes from' })
  fundingSource!: FundingSource;

  @ApiProperty({ type: [String], description: 'What the money may not pay for' })
  exclusions!: string[];
}

export class CriterionResponseDto {
  @ApiProperty({ format: 'uuid', description: 'What a score refers to (PUT /api/v1/assessments/{id}/scores)' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'Empty when none was given' })
  guidance!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  weight!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  scaleMin!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  scaleMax!: number;
}

export const ROUND_STATUSES = ['draft', 'upcoming', 'open', 'closed'] as const;

export class RoundDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Victims Fund 7' })
  name!: string;

  @ApiProperty({ example: 'VF7' })
  referencePrefix!: string;

  @ApiProperty({ type: RoundProgrammeDto })
  programme!: RoundProgrammeDto;

  @ApiProperty()
  summary!: string;

  @ApiProperty({ description: 'Plain text; paragraphs separated by blank lines' })
  guidance!: string;

  @ApiProperty({ enum: ROUND_STATUSES, enumName: 'RoundStatus', description: 'draft until published; then by the clock' })
  status!: (typeof ROUND_STATUSES)[number];

  @ApiProperty({ type: 'string', format: 'date-time' })
  opensAt!: Date;

  @ApiProperty({ type: 'string', format: 'date-time', description: 'The closing minute, inclusive' })
  closesAt!: Date;

  @ApiProperty({ description: 'The close in London time, as GOV.UK writes it', example: '11:59pm on Sunday 17 January 2027' })
  closesAtLondon!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When assessors’ scores are due' })
  scoringClosesAt!: Date | null;

  @ApiProperty({ description: 'True once the first score is saved: the criteria’s names, weights and scales cannot change' })
  criteriaFrozen!: boolean;

  @ApiProperty({ type: 'integer', description: 'pence' })
  totalBudgetPence!: number;

  @ApiProperty({ type: 'integer', description: 'pence' })
  minGrantPence!: number;

  @ApiProperty({ type: 'integer', description: 'pence' })
  maxGrantPence!: number;

  @ApiProperty({ enum: Object.values(OrganisationType), enumName: 'OrganisationType', isArray: true, description: 'Empty means any' })
  eligibleOrgTypes!: string[];

  @ApiProperty({ type: [String], description: 'ONS codes; empty means any' })
  eligibleAreas!: string[];

  @ApiProperty({ type: [CategoryDto] })
  categories!: CategoryDto[];

  @ApiProperty({ type: [RingFenceDto] })
  ringFences!: RingFenceDto[];

  @ApiProperty({ type: [CriterionResponseDto], description: 'In order' })
  criteria!: CriterionResponseDto[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  assessorsPerApplication!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  moderationThreshold!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 720 })
  reminderHoursBefore!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 90 })
  offerPeriodDays!: number;

  @ApiProperty({ description: 'The conditions of grant each offer carries' })
  grantConditions!: string;

  @ApiProperty({ type: [ScheduleStepDto], description: 'How each grant is paid' })
  paymentSchedule!: ScheduleStepDto[];

  @ApiProperty({ type: FormDefinitionDto, description: 'The category question’s options are the round’s categories' })
  form!: FormDefinitionDto;
}

export class RoundPageDto extends PagedResponse(RoundDto) {}
