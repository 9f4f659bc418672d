import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { DECISION_STATUSES, type DecisionStatus } from '../entities/pcc-decision.entity';

const TITLE_MAX = 200;
const TEXT_MAX = 20_000;

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
  @ApiProperty({ format: 'uuid' })
  draftedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
}
