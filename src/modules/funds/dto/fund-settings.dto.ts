import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** The finance system's cost centre: letters, digits and - / . (never a formula), like PCC-POCA-4620. */
export const COST_CENTRE = /^[A-Za-z0-9][A-Za-z0-9./-]*$/;
export const COST_CENTRE_MAX = 30;

/**
 * The settings of an existing fund that a fund manager may change (PATCH
 * /api/v1/fund-programmes/{id} and the fund's page): a field left out keeps the fund's value.
 * The same rules on both, so the page refuses what the API refuses.
 */
export class FundSettingsDto {
  @ApiPropertyOptional({
    description:
      'Whether its grants are crime and disorder reduction grants, published each month at /transparency/crime-and-disorder-grants as the Elected Local Policing Bodies (Specified Information) Order 2011 asks',
  })
  // Left out keeps the setting; null is not "left out" (IsOptional would let it through, and the
  // column cannot hold it): it is refused as not yes or no.
  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean({ message: 'Select yes if its grants are crime and disorder reduction grants' })
  crimeAndDisorderReduction?: boolean;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: COST_CENTRE_MAX,
    pattern: COST_CENTRE.source,
    description: 'The finance system’s cost centre its payments are charged to (on every line of a payment run’s export); null or "" takes it away',
    example: 'PCC-POCA-4620',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @ValidateIf((_o, v) => v !== null && v !== '')
  // The rules run bottom-up, and the first broken one is shown: not text, then too long, then the wrong characters.
  @Matches(COST_CENTRE, { message: 'Cost centre must be letters, numbers, hyphens, full stops or slashes, like PCC-POCA-4620' })
  @MaxLength(COST_CENTRE_MAX, { message: `Cost centre must be ${COST_CENTRE_MAX} characters or fewer` })
  @IsString({ message: 'Cost centre must be text, like PCC-POCA-4620' })
  costCentre?: string | null;
}
