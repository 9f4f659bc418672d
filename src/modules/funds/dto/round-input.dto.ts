import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  isISO8601,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { PAYMENT_TRIGGERS, type PaymentTrigger } from '../payment-schedule';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { OrganisationType } from '../../identity';
import { QUESTION_TYPES, type QuestionType } from '../form-definition';
import type { RoundInput } from '../rounds.service';

/*
 * The one shape of a round's settings on the API (POST and PUT /api/v1/rounds). Every field the
 * service stores is typed and bounded here, so nothing of the wrong type or absurd size reaches
 * PostgreSQL (where it used to become a 500). Nested lists are validated item by item: with the
 * global ValidationPipe's whitelist + forbidNonWhitelisted, an unknown field anywhere — on the
 * round, a ring-fence, a question — is refused with its dotted path (`ringFences.0.colour`).
 * Rules that compare fields (close after open, ring-fences within the budget …) stay in
 * RoundsService.validate, which the staff pages share.
 * Names, titles, labels and options are @IsSingleLine(): they are quoted in emails, CSV exports
 * and page headings, where a line break or a text-direction control would let them say more than
 * they are.
 */

/** £100bn: far above any grant budget, far below 2^53, so sums of a round's amounts stay exact. */
export const MAX_PENCE = 10_000_000_000_000;
/** Question and category ids are keys into applications' answers. */
export const ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
export const CATEGORY_CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const REFERENCE_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,9}$/;
/** ONS GSS codes, e.g. E08000025 (Birmingham). */
export const ONS_CODE_PATTERN = /^[A-Z]\d{8}$/;
const ORGANISATION_TYPES = Object.values(OrganisationType);

const NAME_MAX = 200;
const TEXT_MAX = 2_000;
const GUIDANCE_MAX = 50_000;

/**
 * An RFC 3339 date and time with its offset (`2027-01-04T09:00:00Z`, `…+01:00`), a real calendar
 * date, between 2000 and 2099. Without an offset, `new Date()` would read it in the server's own
 * time zone; 31 February would roll over into March; a year like 275760 is a typo, not a round.
 */
const DATE_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
export function IsRoundDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const m = DATE_TIME.exec(value);
          if (!m || !isISO8601(value, { strict: true, strictSeparator: true })) return false;
          const year = Number(m[1]);
          return year >= 2000 && year <= 2099 && !Number.isNaN(new Date(value).getTime());
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date and time with its time zone, like 2027-01-04T09:00:00Z, in the years 2000 to 2099`,
      },
    },
    options,
  );
}

/** `refuseIf` is the answer that makes a bid ineligible: a choice's value or a yes/no. */
function IsStringOrBoolean(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringOrBoolean',
      validator: {
        validate: (value: unknown) => typeof value === 'boolean' || (typeof value === 'string' && value.length <= NAME_MAX),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be true, false or an option's value (up to ${NAME_MAX} characters)`,
      },
    },
    options,
  );
}

const pence = (field: string, min: number) => [
  IsInt({ message: `${field} must be a whole number of pence` }),
  Min(min, { message: `${field} must be ${min} pence or more` }),
  Max(MAX_PENCE, { message: `${field} must be at most ${MAX_PENCE} pence (£100bn)` }),
];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

export class CategoryDto {
  @ApiProperty({
    description: 'Stable code applicants choose and ring-fences refer to',
    pattern: CATEGORY_CODE_PATTERN.source,
    maxLength: 40,
    example: 'hate_crime',
  })
  @IsString()
  @Matches(CATEGORY_CODE_PATTERN, { message: 'code must be lower-case letters, digits and underscores, starting with a letter (up to 40)' })
  code!: string;

  @ApiProperty({ maxLength: NAME_MAX, example: 'Victims of hate crime' })
  @IsString()
  @IsNotEmpty({ message: 'Each category needs a name' })
  @IsSingleLine({ label: 'A category name' })
  @MaxLength(NAME_MAX)
  name!: string;
}

export class RingFenceDto {
  @ApiProperty({ maxLength: NAME_MAX, example: 'Victims of hate crime' })
  @IsString()
  @IsNotEmpty({ message: 'Enter a name for the ring-fence' })
  @IsSingleLine({ label: 'A ring-fence name' })
  @MaxLength(NAME_MAX)
  name!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PENCE, description: 'Money kept for this category or area, in pence', example: 50_000_00 })
  @apply(...pence('amountPence', 1))
  amountPence!: number;

  @ApiPropertyOptional({
    description: 'For a ring-fence by category: one of the round’s category codes, each at most once. Give this or areaOnsCode',
    pattern: CATEGORY_CODE_PATTERN.source,
    example: 'hate_crime',
  })
  @IsOptional()
  @IsString()
  @Matches(CATEGORY_CODE_PATTERN, { message: 'category must be one of the round’s category codes' })
  category?: string;

  @ApiPropertyOptional({
    description: 'For a ring-fence by area: a local authority area’s ONS code, each at most once (GET /api/v1/areas). Give this or category',
    pattern: ONS_CODE_PATTERN.source,
    example: 'E08000026',
  })
  @IsOptional()
  @IsString()
  @Matches(ONS_CODE_PATTERN, { message: 'areaOnsCode must be an ONS code like E08000025' })
  areaOnsCode?: string;
}

/** One step of a round's payment schedule: a share of each award and when it falls due. */
export class ScheduleStepDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 50, description: 'Whole percent of the award; the steps add up to 100' })
  @IsInt({ message: 'percent must be a whole number from 1 to 100' })
  @Min(1, { message: 'percent must be a whole number from 1 to 100' })
  @Max(100, { message: 'percent must be a whole number from 1 to 100' })
  percent!: number;

  @ApiProperty({ enum: PAYMENT_TRIGGERS, description: 'acceptance: when the offer is accepted; monitoring_report: when that report is approved' })
  @IsIn(PAYMENT_TRIGGERS, { message: 'trigger must be acceptance or monitoring_report' })
  trigger!: PaymentTrigger;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 24, description: 'For a monitoring report: months after the grant starts it is due' })
  @IsOptional()
  @IsInt({ message: 'reportMonths must be a whole number of months from 1 to 24' })
  @Min(1, { message: 'reportMonths must be a whole number of months from 1 to 24' })
  @Max(24, { message: 'reportMonths must be a whole number of months from 1 to 24' })
  reportMonths?: number;
}

export class CriterionDto {
  @ApiProperty({ maxLength: NAME_MAX, example: 'Need' })
  @IsString()
  @IsNotEmpty({ message: 'Enter a name for the criterion' })
  @IsSingleLine({ label: 'A criterion name' })
  @MaxLength(NAME_MAX)
  name!: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, default: '', example: 'Evidence that victims in the West Midlands need this support' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX)
  guidance?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, description: 'How much the criterion counts in the weighted total', example: 3 })
  @IsInt({ message: 'weight must be a whole number' })
  @Min(1)
  @Max(100)
  weight!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, default: 0, description: 'Lowest score' })
  @IsOptional()
  @IsInt({ message: 'scaleMin must be a whole number' })
  @Min(0)
  @Max(100)
  scaleMin?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Highest score; above scaleMin' })
  @IsOptional()
  @IsInt({ message: 'scaleMax must be a whole number' })
  @Min(1)
  @Max(100)
  scaleMax?: number;
}

export class QuestionOptionDto {
  @ApiProperty({ description: 'What the answer stores', maxLength: NAME_MAX, example: 'E08000025' })
  @IsString()
  @IsSingleLine({ label: 'An option value' })
  @IsNotEmpty()
  @MaxLength(NAME_MAX)
  value!: string;

  @ApiProperty({ description: 'What the applicant reads', maxLength: 500, example: 'Birmingham' })
  @IsString()
  @IsSingleLine({ label: 'An option text' })
  @IsNotEmpty()
  @MaxLength(500)
  text!: string;
}

export class QuestionDto {
  @ApiProperty({ description: 'Stable key of the answer; unique across the form', pattern: ID_PATTERN.source, example: 'projectTitle' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'id must be letters and digits, starting with a letter (up to 40)' })
  id!: string;

  @ApiProperty({ enum: QUESTION_TYPES, enumName: 'QuestionType', example: 'short_text' })
  @IsIn(QUESTION_TYPES, { message: `type must be one of ${QUESTION_TYPES.join(', ')}` })
  type!: QuestionType;

  @ApiProperty({ maxLength: 500, example: 'Project title' })
  @IsString()
  @IsNotEmpty({ message: 'Each question needs a label' })
  @IsSingleLine({ label: 'A question label' })
  @MaxLength(500)
  label!: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX)
  hint?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    example: 'the date the project will start',
    description: 'What error messages call the question mid-sentence ("Enter the date the project will start"); made from the label when absent',
  })
  @IsOptional()
  @IsString()
  @IsSingleLine({ label: 'A question’s name in error messages' })
  @MaxLength(200)
  errorName?: string;

  @ApiProperty()
  @IsBoolean({ message: 'required must be true or false' })
  required!: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, description: 'short_text: the most characters' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxLength?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, description: 'long_text: the most words' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  wordLimit?: number;

  @ApiPropertyOptional({ minimum: -MAX_PENCE, maximum: MAX_PENCE, description: 'number: the smallest answer; money: in pence' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_PENCE)
  @Max(MAX_PENCE)
  min?: number;

  @ApiPropertyOptional({ minimum: -MAX_PENCE, maximum: MAX_PENCE, description: 'number: the largest answer; money: in pence' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_PENCE)
  @Max(MAX_PENCE)
  max?: number;

  @ApiPropertyOptional({
    type: [QuestionOptionDto],
    maxItems: 200,
    description: 'single_choice and multiple_choice (at least two); the category question’s options are always the round’s categories',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => QuestionOptionDto)
  options?: QuestionOptionDto[];

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', maxLength: NAME_MAX }, { type: 'boolean' }],
    description: 'An answer that makes the bid ineligible, e.g. true for “Will the grant pay for police officers?”',
  })
  @IsOptional()
  @IsStringOrBoolean()
  refuseIf?: string | boolean;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'Shown to the applicant who gives the refused answer' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX)
  refuseMessage?: string;
}

export class FormSectionDto {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'project' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'id must be letters and digits, starting with a letter (up to 40)' })
  id!: string;

  @ApiProperty({ maxLength: NAME_MAX, example: 'About your project' })
  @IsString()
  @IsNotEmpty({ message: 'Each section needs a title' })
  @IsSingleLine({ label: 'A section title' })
  @MaxLength(NAME_MAX)
  title!: string;

  @ApiProperty({ type: [QuestionDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1, { message: 'Each section needs at least one question' })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];
}

export class FormDefinitionDto {
  @ApiProperty({ type: [FormSectionDto], minItems: 1, maxItems: 50, description: 'One task-list item and one page each' })
  @IsArray()
  @ArrayMinSize(1, { message: 'The form needs at least one section' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FormSectionDto)
  sections!: FormSectionDto[];
}

/** The body of POST /api/v1/rounds and PUT /api/v1/rounds/{id} (a PUT replaces every setting). */
export class RoundInputDto {
  @ApiProperty({ format: 'uuid', description: 'The fund programme (GET /api/v1/fund-programmes)' })
  @IsUUID('all', { message: 'programmeId must be the id of a fund programme' })
  programmeId!: string;

  @ApiProperty({ maxLength: NAME_MAX, description: 'Unique', example: 'Victims Fund 7' })
  @IsString({ message: 'Enter a name for the round, like Victims Fund 7' })
  @Matches(/\S/, { message: 'Enter a name for the round, like Victims Fund 7' })
  @IsSingleLine({ label: 'The round name' })
  @MaxLength(NAME_MAX, { message: `The name must be ${NAME_MAX} characters or fewer` })
  name!: string;

  @ApiProperty({
    pattern: REFERENCE_PREFIX_PATTERN.source,
    description: 'Unique; application references start with it (VF7-0001). Stored in upper case.',
    example: 'VF7',
  })
  @IsString({ message: 'Enter a reference prefix of up to 10 letters and digits, like VF7' })
  @Matches(REFERENCE_PREFIX_PATTERN, { message: 'Enter a reference prefix of up to 10 letters and digits, like VF7' })
  referencePrefix!: string;

  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString({ message: 'Enter a summary of the round' })
  @Matches(/\S/, { message: 'Enter a summary of the round' })
  @MaxLength(TEXT_MAX, { message: `The summary must be ${TEXT_MAX} characters or fewer` })
  summary!: string;

  @ApiPropertyOptional({ maxLength: GUIDANCE_MAX, default: '', description: 'Plain text; paragraphs separated by blank lines' })
  @IsOptional()
  @IsString()
  @MaxLength(GUIDANCE_MAX, { message: `The guidance must be ${GUIDANCE_MAX} characters or fewer` })
  guidance?: string;

  @ApiProperty({ type: 'string', format: 'date-time', example: '2027-01-04T09:00:00Z' })
  @IsRoundDateTime()
  opensAt!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    description: 'The closing minute, inclusive (23:59 accepts 23:59:59); after opensAt',
    example: '2027-01-17T23:59:00Z',
  })
  @IsRoundDateTime()
  closesAt!: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When assessors’ scores are due; after closesAt. Left out keeps the round’s (none on create); null takes the deadline away',
    example: '2027-02-12T17:00:00Z',
  })
  @IsOptional()
  @IsRoundDateTime()
  scoringClosesAt?: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PENCE, description: 'pence', example: 200_000_00 })
  @apply(...pence('totalBudgetPence', 1))
  totalBudgetPence!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_PENCE, description: 'pence', example: 1_000_00 })
  @apply(...pence('minGrantPence', 0))
  minGrantPence!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_PENCE,
    description: 'pence; at least minGrantPence and at most totalBudgetPence',
    example: 20_000_00,
  })
  @apply(...pence('maxGrantPence', 0))
  maxGrantPence!: number;

  @ApiPropertyOptional({ enum: ORGANISATION_TYPES, enumName: 'OrganisationType', isArray: true, default: [], description: 'Empty means any' })
  @IsOptional()
  @IsArray({ message: 'eligibleOrgTypes must be a list' })
  @ArrayMaxSize(ORGANISATION_TYPES.length)
  @ArrayUnique({ message: 'eligibleOrgTypes lists a type twice' })
  @IsIn(ORGANISATION_TYPES, { each: true, message: `eligibleOrgTypes must contain only ${ORGANISATION_TYPES.join(', ')}` })
  eligibleOrgTypes?: OrganisationType[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, default: [], description: 'ONS codes (GET /api/v1/areas); empty means any', example: ['E08000025'] })
  @IsOptional()
  @IsArray({ message: 'eligibleAreas must be a list' })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'eligibleAreas lists an area twice' })
  @IsString({ each: true })
  @Matches(ONS_CODE_PATTERN, { each: true, message: 'eligibleAreas must contain ONS codes like E08000025' })
  eligibleAreas?: string[];

  @ApiProperty({ type: [CategoryDto], minItems: 1, maxItems: 50 })
  @IsArray({ message: 'categories must be a list' })
  @ArrayMinSize(1, { message: 'The round needs at least one application category' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CategoryDto)
  categories!: CategoryDto[];

  @ApiPropertyOptional({ type: [RingFenceDto], maxItems: 50, default: [] })
  @IsOptional()
  @IsArray({ message: 'ringFences must be a list' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RingFenceDto)
  ringFences?: RingFenceDto[];

  @ApiPropertyOptional({ type: [CriterionDto], maxItems: 30, default: [] })
  @IsOptional()
  @IsArray({ message: 'criteria must be a list' })
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria?: CriterionDto[];

  @ApiProperty({
    type: FormDefinitionDto,
    description: 'Must ask a required money question `amountRequested` and a required single-choice question `category`',
  })
  @IsDefined({ message: 'Enter the application form' })
  @IsObject({ message: 'form must be an object with sections' })
  @ValidateNested()
  @Type(() => FormDefinitionDto)
  form!: FormDefinitionDto;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5, description: 'Default 2 on create; unchanged on update when left out' })
  @IsOptional()
  @IsInt({ message: 'assessorsPerApplication must be a whole number from 1 to 5' })
  @Min(1, { message: 'assessorsPerApplication must be a whole number from 1 to 5' })
  @Max(5, { message: 'assessorsPerApplication must be a whole number from 1 to 5' })
  assessorsPerApplication?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 10_000, description: 'Points on the weighted total; default 10 on create' })
  @IsOptional()
  @IsInt({ message: 'moderationThreshold must be a whole number of points' })
  @Min(0, { message: 'moderationThreshold must be 0 or more' })
  @Max(10_000, { message: 'moderationThreshold must be 10,000 or less' })
  moderationThreshold?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 720, description: 'Hours before the close to remind drafts; default 48 on create' })
  @IsOptional()
  @IsInt({ message: 'reminderHoursBefore must be a whole number of hours from 1 to 720' })
  @Min(1, { message: 'reminderHoursBefore must be a whole number of hours from 1 to 720' })
  @Max(720, { message: 'reminderHoursBefore must be a whole number of hours from 1 to 720' })
  reminderHoursBefore?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 90, description: 'Days an offer of grant stays open before it lapses; default 28 on create' })
  @IsOptional()
  @IsInt({ message: 'offerPeriodDays must be a whole number of days from 1 to 90' })
  @Min(1, { message: 'offerPeriodDays must be a whole number of days from 1 to 90' })
  @Max(90, { message: 'offerPeriodDays must be a whole number of days from 1 to 90' })
  offerPeriodDays?: number;

  @ApiPropertyOptional({
    type: [ScheduleStepDto],
    minItems: 1,
    maxItems: 6,
    description: 'How each grant is paid; default 100% on acceptance on create; unchanged on update when left out',
  })
  @IsOptional()
  @IsArray({ message: 'paymentSchedule must be a list' })
  @ArrayMinSize(1, { message: 'paymentSchedule needs at least one step' })
  @ArrayMaxSize(6, { message: 'paymentSchedule must have 6 or fewer steps' })
  @ValidateNested({ each: true })
  @Type(() => ScheduleStepDto)
  paymentSchedule?: ScheduleStepDto[];

  @ApiPropertyOptional({ maxLength: 20_000, description: 'The conditions of grant each offer in the round carries; unchanged on update when left out' })
  @IsOptional()
  @IsString({ message: 'grantConditions must be text' })
  @MaxLength(20_000, { message: 'grantConditions must be 20,000 characters or fewer' })
  grantConditions?: string;
}

/** The service's input from a validated body: dates become instants. */
export function roundInputFromDto(dto: RoundInputDto): RoundInput {
  return {
    ...dto,
    opensAt: new Date(dto.opensAt),
    closesAt: new Date(dto.closesAt),
    // null (as GET gives a round without a deadline) takes the deadline away; left out keeps it.
    scoringClosesAt: dto.scoringClosesAt == null ? dto.scoringClosesAt : new Date(dto.scoringClosesAt),
  };
}
