import { IsOptional, IsUUID, Matches } from 'class-validator';

/** A UK financial year as the ledger names it, "2026-27": 1 April 2026 to 31 March 2027. */
export const FINANCIAL_YEAR = /^(20\d\d)-(\d\d)$/;

/**
 * The staff insights' filters, as text from the address (pages/insights-form.ts reads them: one
 * value each, empty ones left out, then checked against the real rounds and funds). Each message
 * is worded for the filter form's box.
 */
export class InsightsQueryDto {
  @IsOptional()
  @IsUUID('all', { message: 'Select a fund from the list' })
  fundId?: string;

  @IsOptional()
  @Matches(FINANCIAL_YEAR, { message: 'Select a financial year from the list' })
  year?: string;

  @IsOptional()
  @IsUUID('all', { message: 'Select a funding round from the list' })
  roundId?: string;
}
