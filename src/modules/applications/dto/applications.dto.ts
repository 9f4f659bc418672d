import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../entities/application.entity';

export class StartApplicationDto {
  @ApiProperty()
  @IsUUID('all', { message: 'roundId must be the id of a funding round' })
  roundId!: string;

  @ApiProperty()
  @IsUUID('all', { message: 'organisationId must be the id of your organisation' })
  organisationId!: string;
}

export class SaveAnswersDto {
  @ApiProperty({ description: 'Question id → answer. Money in whole pence; dates YYYY-MM-DD; yes/no as true/false; null clears an answer.', example: { projectTitle: 'Safe spaces', amountRequested: 500000 } })
  @IsObject({ message: 'answers must be an object of question ids to answers' })
  answers!: Record<string, unknown>;
}

export class ScreeningDto {
  @ApiProperty({ enum: ['eligible', 'ineligible'] })
  @IsIn(['eligible', 'ineligible'], { message: 'decision must be eligible or ineligible' })
  decision!: 'eligible' | 'ineligible';

  @ApiPropertyOptional({ description: 'Required when ineligible; sent to the applicant' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ExtensionDto {
  @ApiProperty()
  @IsUUID('all', { message: 'organisationId must be an organisation id' })
  organisationId!: string;

  @ApiProperty({ description: 'New closing minute (inclusive), ISO 8601' })
  @IsDateString({}, { message: 'closesAt must be an ISO 8601 date and time' })
  closesAt!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'Give the reason for the extension' })
  @MaxLength(2000)
  reason!: string;
}

export class ApplicationFiltersDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES, { message: `status must be one of ${APPLICATION_STATUSES.join(', ')}` })
  status?: ApplicationStatus;

  @ApiPropertyOptional({ description: 'ONS code of the area, or "outside"' })
  @IsOptional()
  @IsString()
  area?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ description: 'pence' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minAmountPence must be a whole number of pence' })
  @Min(0)
  minAmountPence?: number;

  @ApiPropertyOptional({ description: 'pence' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxAmountPence must be a whole number of pence' })
  @Min(0)
  maxAmountPence?: number;
}

export class RoundsQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'upcoming', 'closed'] })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(['open', 'upcoming', 'closed'], { message: 'status must be open, upcoming or closed' })
  status?: 'open' | 'upcoming' | 'closed';
}
