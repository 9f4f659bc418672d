import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Transform, Type } from 'class-transformer';
import { PageQueryDto, digitsToNumber, PagedResponse } from '../../../platform/http/paging';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { DECISION_STATUSES, type DecisionStatus } from '../entities/pcc-decision.entity';

const TITLE_MAX = 200;
/** £1 billion: more than any grant budget, well inside a safe integer. */
const MAX_PENCE = 100_000_000_000;
const TEXT_MAX = 20_000;

const text = (field: string) => [
  IsOptional(),
  IsString({ message: `${field} must be text` }),
  MaxLength(TEXT_MAX, { message: `${field} must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer` }),
];
const applyAll =
  (...ds: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    ds.forEach((d) => d(target, key));

/** Legal, equality, human rights, sustainability and risk implications: each optional text. */
export class ImplicationsDto {
  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('implications.legal'))
  legal?: string;
  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('implications.equality'))
  equality?: string;
  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('implications.humanRights'))
  humanRights?: string;
  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('implications.sustainability'))
  sustainability?: string;
  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('implications.risk'))
  risk?: string;
}

/** A paper the decision relied on: public ones are listed on the register, restricted ones only for staff. */
export class BackgroundPaperDto {
  @ApiProperty({ maxLength: TITLE_MAX, example: 'Victims Fund 7 assessment report' })
  @IsString({ message: 'backgroundPapers.title must be text' })
  @IsNotEmpty({ message: 'Enter the background paper’s title' })
  @IsSingleLine({ label: 'A background paper’s title' })
  @MaxLength(TITLE_MAX, { message: `backgroundPapers.title must be ${TITLE_MAX} characters or fewer` })
  title!: string;

  @ApiProperty({ description: 'false: restricted, listed for staff only' })
  @IsDefined({ message: 'Say whether the background paper is public' })
  @IsBoolean({ message: 'backgroundPapers.public must be true or false' })
  public!: boolean;
}

/** A new decision record: its number is given when it is drafted. */
export class DecisionDraftDto {
  @ApiProperty({ maxLength: TITLE_MAX, example: 'Victims Services: Victims Fund 7 awards' })
  @IsString({ message: 'title must be text' })
  @IsNotEmpty({ message: 'Enter the decision’s title' })
  @IsSingleLine({ label: 'The title' })
  @MaxLength(TITLE_MAX, { message: `title must be ${TITLE_MAX} characters or fewer` })
  title!: string;

  @ApiProperty({ maxLength: TEXT_MAX, description: 'What the Commissioner is asked to decide' })
  @IsString({ message: 'summary must be text' })
  @IsNotEmpty({ message: 'Enter a summary of the decision' })
  @MaxLength(TEXT_MAX, { message: `summary must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer` })
  summary!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'A wholly confidential decision: the register shows only its number, date, title and what it relates to',
  })
  @IsOptional()
  @IsBoolean({ message: 'confidential must be true or false' })
  confidential?: boolean;

  @ApiPropertyOptional({
    maxLength: TITLE_MAX,
    example: 'the emergency purchase of vehicles',
    description: 'Required for a confidential decision: what it relates to',
  })
  @IsOptional()
  @IsString({ message: 'confidentialSubject must be text' })
  @IsSingleLine({ label: 'What it relates to' })
  @MaxLength(TITLE_MAX, { message: `confidentialSubject must be ${TITLE_MAX} characters or fewer` })
  confidentialSubject?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('background'))
  background?: string;

  @ApiPropertyOptional({ type: ImplicationsDto })
  @IsOptional()
  @IsObject({ message: 'implications must be an object' })
  @ValidateNested()
  @Type(() => ImplicationsDto)
  implications?: ImplicationsDto;

  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('optionsConsidered'))
  optionsConsidered?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @applyAll(...text('consultation'))
  consultation?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'Why the Commissioner is asked to decide as recommended' })
  @applyAll(...text('reasons'))
  reasons?: string;

  @ApiPropertyOptional({ type: [BackgroundPaperDto], maxItems: 50 })
  @IsOptional()
  @IsArray({ message: 'backgroundPapers must be a list' })
  @ArrayMaxSize(50, { message: 'backgroundPapers must have 50 or fewer papers' })
  @ValidateNested({ each: true })
  @Type(() => BackgroundPaperDto)
  backgroundPapers?: BackgroundPaperDto[];

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'Withheld from publication; needs annexExemption and annexPublicInterest' })
  @applyAll(...text('confidentialAnnex'))
  confidentialAnnex?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, example: 'Section 43 of the Freedom of Information Act 2000 (commercial interests)' })
  @applyAll(...text('annexExemption'))
  annexExemption?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'The public interest test: why withholding outweighs publishing' })
  @applyAll(...text('annexPublicInterest'))
  annexPublicInterest?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A budget decision: the round whose small awards fund managers may then make under it' })
  @IsOptional()
  @IsUUID('all', { message: 'delegatedRoundId must be a round’s id' })
  delegatedRoundId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'A budget decision: the most the delegated awards may add up to, in pence' })
  @IsOptional()
  @IsInt({ message: 'delegatedBudgetPence must be a whole number of pence' })
  @Min(1, { message: 'delegatedBudgetPence must be more than 0' })
  @Max(MAX_PENCE, { message: 'delegatedBudgetPence is too large' })
  delegatedBudgetPence?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'A budget decision: the largest award a fund manager may make under it, in pence' })
  @IsOptional()
  @IsInt({ message: 'delegatedAwardLimitPence must be a whole number of pence' })
  @Min(1, { message: 'delegatedAwardLimitPence must be more than 0' })
  @Max(MAX_PENCE, { message: 'delegatedAwardLimitPence is too large' })
  delegatedAwardLimitPence?: number;

  @ApiPropertyOptional({ example: '2027-03', description: 'The month the decision is expected: puts it on the public forward plan' })
  @IsOptional()
  @IsString({ message: 'expectedMonth must be text' })
  @Matches(/^20\d\d-(0[1-9]|1[0-2])$/, { message: 'expectedMonth must be a month like 2027-03' })
  expectedMonth?: string;
}

export class FinancialPotDto {
  @ApiProperty({ example: 'Victims of hate crime' })
  name!: string;
  @ApiProperty({ type: 'integer' })
  amountPence!: number;
  @ApiProperty({ type: 'integer' })
  awardedPence!: number;
}

export class FinancialImplicationsDto {
  @ApiProperty({ type: 'integer' })
  budgetPence!: number;
  @ApiProperty({ type: 'integer', description: 'the total the decision awards' })
  totalPence!: number;
  @ApiProperty({ type: [FinancialPotDto], description: 'the general pot and each ring-fence' })
  pots!: FinancialPotDto[];
}

export class DecisionAwardDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ example: 'VF7-0001' })
  reference!: string;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ enum: ['funded', 'partly_funded', 'reserve', 'not_funded'] })
  outcome!: string;
  @ApiProperty({ type: 'integer' })
  amountPence!: number;
  @ApiProperty({ type: 'integer' })
  requestedPence!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'the pot it is paid from' })
  pot!: string | null;
  @ApiProperty()
  reason!: string;
}

export class DecisionDeclarationDto {
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty()
  assessorName!: string;
  @ApiProperty()
  conflict!: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  reason!: string | null;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: '016-2020', description: 'NNN-YYYY: in order and without gaps within a calendar year' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty()
  summary!: string;
  @ApiProperty({ enum: DECISION_STATUSES, enumName: 'DecisionStatus' })
  status!: DecisionStatus;
  @ApiProperty()
  confidential!: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  confidentialSubject!: string | null;
  @ApiProperty()
  background!: string;
  @ApiProperty({ type: ImplicationsDto })
  implications!: ImplicationsDto;
  @ApiProperty()
  optionsConsidered!: string;
  @ApiProperty()
  consultation!: string;
  @ApiProperty()
  reasons!: string;
  @ApiProperty({ type: [BackgroundPaperDto] })
  backgroundPapers!: BackgroundPaperDto[];
  @ApiProperty({ type: 'string', nullable: true })
  confidentialAnnex!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  annexExemption!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  annexPublicInterest!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'the round whose grants it awards' })
  roundId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'a budget decision: the round of its delegated awards' })
  delegatedRoundId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  delegatedBudgetPence!: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  delegatedAwardLimitPence!: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: '2027-03' })
  expectedMonth!: string | null;
  @ApiProperty({ type: FinancialImplicationsDto, nullable: true, description: 'generated from the allocation run' })
  financialImplications!: FinancialImplicationsDto | null;
  @ApiProperty({ type: [DecisionAwardDto], nullable: true })
  awards!: DecisionAwardDto[] | null;
  @ApiProperty({ type: [DecisionDeclarationDto], nullable: true, description: 'assessors’ declarations of interest from the round’s assessment' })
  declarations!: DecisionDeclarationDto[] | null;
  @ApiProperty({ format: 'uuid' })
  draftedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  submittedAt!: Date | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  decidedAt!: Date | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  decidedBy!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  rejectionReason!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  publishedAt!: Date | null;
  @ApiProperty({ type: 'string', nullable: true })
  withdrawnReason!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
}

/** Staff's list of decision records: newest first, optionally in one state. */
export class DecisionRecordsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DECISION_STATUSES })
  @IsOptional()
  @IsIn(DECISION_STATUSES, { message: `status must be one of ${DECISION_STATUSES.join(', ')}` })
  status?: DecisionStatus;
}

export class DecisionRecordsPageDto extends PagedResponse(DecisionDto) {}

/** Why a decision is rejected, or withdrawn. */
export class RejectionDto {
  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Give the reason' })
  @MaxLength(TEXT_MAX, { message: `reason must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer` })
  reason!: string;
}

/** The public register: newest first, a page at a time, optionally one calendar year. */
export class RegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 2000, maximum: 2099, example: 2020 })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'year must be a year, like 2020' })
  @Min(2000, { message: 'year must be from 2000 to 2099' })
  @Max(2099, { message: 'year must be from 2000 to 2099' })
  year?: number;
}

/** A decision as the public register shows it: for a confidential one, only its number, date, title and what it relates to. */
export class RegisterItemDto {
  @ApiProperty({ example: '016-2020' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'the day it was approved or rejected (London)' })
  date!: string | null;
  @ApiProperty({ enum: ['published', 'rejected', 'withdrawn'] })
  status!: string;
  @ApiProperty()
  confidential!: boolean;
  @ApiProperty({ type: 'string', nullable: true, description: 'null for a confidential decision' })
  summary!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'what a confidential decision relates to' })
  relatesTo!: string | null;
}

/** One decision on the register in full, as far as it is public: never the confidential annex, restricted papers or assessors' names. */
export class RegisterRecordDto extends RegisterItemDto {
  @ApiProperty({ type: 'string', nullable: true })
  background!: string | null;
  @ApiProperty({ type: ImplicationsDto, nullable: true })
  implications!: ImplicationsDto | null;
  @ApiProperty({ type: 'string', nullable: true })
  optionsConsidered!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  consultation!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  reasons!: string | null;
  @ApiProperty({ type: FinancialImplicationsDto, nullable: true })
  financialImplications!: FinancialImplicationsDto | null;
  @ApiProperty({
    type: 'array',
    nullable: true,
    items: {
      type: 'object',
      properties: {
        reference: { type: 'string' },
        organisationName: { type: 'string' },
        amountPence: { type: 'integer' },
        pot: { type: 'string', nullable: true },
      },
    },
    description: 'the grants awarded',
  })
  awards!: { reference: string; organisationName: string; amountPence: number; pot: string | null }[] | null;
  @ApiProperty({ type: 'array', items: { type: 'string' }, nullable: true, description: 'the public background papers' })
  backgroundPapers!: string[] | null;
  @ApiProperty({ description: 'whether part of the decision is in a confidential annex, withheld from publication' })
  hasConfidentialAnnex!: boolean;
}

export class RegisterPageDto extends PagedResponse(RegisterItemDto) {}

/** A decision on the forward plan: only what the public may know before it is made. */
export class ForwardPlanItemDto {
  @ApiProperty({ example: '016-2027' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty({ example: '2027-03', description: 'the month it is expected' })
  expectedMonth!: string;
  @ApiProperty({ enum: ['being prepared', 'with the Commissioner'] })
  stage!: string;
}

export class ForwardPlanPageDto extends PagedResponse(ForwardPlanItemDto) {}
