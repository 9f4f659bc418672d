import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsSingleLine } from '../../../platform/validation/single-line';

/** An area's population figure as an administrator sets it: the number, the year it describes and its source. */
export class PopulationInputDto {
  // Ten times the largest English local authority: a figure above it is a typing mistake. (The
  // rules run bottom-up; the whole-number rule is last here so its message is the one shown for text.)
  @Max(20_000_000, { message: 'Population must be 20,000,000 or fewer' })
  @Min(1, { message: 'Population must be a positive whole number' })
  @IsInt({ message: 'Population must be a positive whole number' })
  population!: number;

  @IsInt({ message: 'Year must be four digits, like 2022' })
  @Min(1000, { message: 'Year must be four digits, like 2022' })
  @Max(9999, { message: 'Year must be four digits, like 2022' })
  year!: number;

  // Trimmed first, so a source of spaces is no source.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'Enter the source of the figure' })
  @IsNotEmpty({ message: 'Enter the source of the figure' })
  @MaxLength(300, { message: 'Source must be 300 characters or fewer' })
  @IsSingleLine({ label: 'Source' })
  source!: string;
}
