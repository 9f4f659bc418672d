import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { digitsToNumber, MAX_SEARCH_LENGTH, PageQueryDto } from '../../../platform/http/paging';
import { IsSingleLine } from '../../../platform/validation/single-line';

/*
 * The public transparency pages' queries. Values arrive as text from the address; a page reads
 * them with firstQueryValues (a parameter given twice counts once) and drops empty ones (a form's
 * "Any year" sends year=), so only what was chosen is checked here. What must name something real
 * (a fund, an area, a category) is checked against the choices afterwards (transparency-form.ts).
 */

/** Years the public pages take: the register's range. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The Specified Information list: a year, and a month within it. */
export class CrimeAndDisorderQueryDto {
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'year must be a year, like 2026' })
  @Min(FIRST_YEAR, { message: `year must be from ${FIRST_YEAR} to ${LAST_YEAR}` })
  @Max(LAST_YEAR, { message: `year must be from ${FIRST_YEAR} to ${LAST_YEAR}` })
  year?: number;

  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'month must be a month from 1 to 12' })
  @Min(1, { message: 'month must be a month from 1 to 12' })
  @Max(12, { message: 'month must be a month from 1 to 12' })
  month?: number;
}

/** The funded projects list: its page, and the fund, year, area, category and text it is filtered by. */
export class FundedProjectsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString({ message: 'fund must be a fund’s code' })
  @Matches(/^[A-Za-z0-9]{1,20}$/, { message: 'fund must be a fund’s code, like ACF' })
  fund?: string;

  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'year must be a year, like 2026' })
  @Min(FIRST_YEAR, { message: `year must be from ${FIRST_YEAR} to ${LAST_YEAR}` })
  @Max(LAST_YEAR, { message: `year must be from ${FIRST_YEAR} to ${LAST_YEAR}` })
  year?: number;

  @IsOptional()
  @IsString({ message: 'area must be an area’s ONS code' })
  @Matches(/^[A-Z]\d{8}$/, { message: 'area must be an area’s ONS code, like E08000025' })
  area?: string;

  @IsOptional()
  @IsString({ message: 'category must be a category’s code' })
  @Matches(/^[a-z0-9_-]{1,50}$/, { message: 'category must be a category’s code, like youth_sport' })
  category?: string;

  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'q must be text' })
  @MaxLength(MAX_SEARCH_LENGTH, { message: `q must be ${MAX_SEARCH_LENGTH} characters or fewer` })
  @IsSingleLine()
  q?: string;
}
