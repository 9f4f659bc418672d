import type { CsvValue } from '../../platform/web/csv';
import type { PublishedGrant } from '../grants';
import { pounds } from './three-sixty-giving';

/**
 * The Specified Information list of crime and disorder reduction grants: The Elected Local
 * Policing Bodies (Specified Information) Order 2011, Schedule, paragraph 3(f) asks a
 * Commissioner to publish "information as to each crime and disorder reduction grant made by the
 * elected local policing body, including the conditions (if any) attached to the grant, the
 * recipient of the grant, the purpose of the grant and the reasons why the body considered that
 * the grant would secure, or contribute to securing, crime and disorder reduction in the body's
 * area", month by month. One row per grant, the same on the page, in the CSV and in the JSON.
 * Pure, so the mapping is tested apart from the database.
 *
 * - Which grants: accepted grants under a published, non-confidential decision (as every public
 *   page), from funds set as giving crime and disorder reduction grants.
 * - The month: the London month of the offer, which is when the grant was made — the decision's
 *   approval makes the offers of a grant decision at once, and a delegated award is made on its
 *   own day, long after the budget decision's approval. A grant appears once it is accepted and
 *   its decision published, under the month it was made.
 * - The conditions: those the offer carried (the round's conditions of grant when offered).
 * - The reasons: the authorising decision's reasons, as published on the register.
 */
export const SPECIFIED_INFORMATION_TITLE = 'Crime and disorder reduction grants';
export const SPECIFIED_INFORMATION_LEGISLATION = 'The Elected Local Policing Bodies (Specified Information) Order 2011, Schedule, paragraph 3(f)';

export interface CrimeAndDisorderGrant {
  /** The calendar month the grant was made, "2026-11". */
  month: string;
  /** The London day of the award (the offer), "2026-11-20". */
  awardDate: string;
  /** The application's reference, the grant's identifier on our pages and in the 360Giving data. */
  reference: string;
  recipient: { name: string; identifier: string };
  purpose: string | null;
  /** In pounds. */
  amountAwarded: number;
  currency: 'GBP';
  fund: string;
  round: string;
  /** The conditions attached to the grant; "" when none. */
  conditions: string;
  /** Why the Commissioner considered it would reduce crime and disorder: the decision's reasons ("" when it gave none). */
  reasons: string;
  decision: { number: string; url: string };
  /** The grant's page among the funded projects. */
  url: string;
}

export function toCrimeAndDisorderGrant(g: PublishedGrant, baseUrl: string): CrimeAndDisorderGrant {
  return {
    month: g.awardedOn.slice(0, 7),
    awardDate: g.awardedOn,
    reference: g.reference,
    recipient: { name: g.organisation.name, identifier: g.organisation.orgId },
    purpose: g.purpose,
    amountAwarded: pounds(g.amountPence),
    currency: 'GBP',
    fund: g.round.programmeName,
    round: g.round.name,
    conditions: g.conditions.trim(),
    reasons: g.reasons.trim(),
    decision: { number: g.decisionNumber, url: `${baseUrl}/decisions/${g.decisionNumber}` },
    url: `${baseUrl}/funded-projects/${g.grantId}`,
  };
}

/** The CSV's columns, one row per grant, in the page's order. Conditions and reasons keep their paragraphs (quoted line breaks). */
export const CRIME_AND_DISORDER_CSV_COLUMNS: readonly { title: string; value: (g: CrimeAndDisorderGrant) => CsvValue }[] = [
  { title: 'Month', value: (g) => g.month },
  { title: 'Award date', value: (g) => g.awardDate },
  { title: 'Grant reference', value: (g) => g.reference },
  { title: 'Recipient', value: (g) => g.recipient.name },
  { title: 'Recipient identifier', value: (g) => g.recipient.identifier },
  { title: 'Purpose', value: (g) => g.purpose },
  { title: 'Amount awarded (£)', value: (g) => g.amountAwarded.toFixed(2) },
  { title: 'Fund', value: (g) => g.fund },
  { title: 'Round', value: (g) => g.round },
  { title: 'Conditions', value: (g) => g.conditions },
  { title: 'Reasons', value: (g) => g.reasons },
  { title: 'Decision number', value: (g) => g.decision.number },
  { title: 'Decision URL', value: (g) => g.decision.url },
  { title: 'Grant URL', value: (g) => g.url },
];

/** The JSON file: what it is, the filter it was made with (year and month null for every year), and the grants. */
export function crimeAndDisorderDocument(publisher: string, filter: { year: number | null; month: number | null }, grants: CrimeAndDisorderGrant[]) {
  return {
    title: SPECIFIED_INFORMATION_TITLE,
    legislation: SPECIFIED_INFORMATION_LEGISLATION,
    publisher,
    year: filter.year,
    month: filter.month,
    grants,
  };
}

/**
 * The all-years JSON file's opening, written before its grants stream in: the same document as a
 * year's, with year and month null, up to the grants array's opening bracket.
 */
export function allYearsDocumentStart(publisher: string): string {
  const whole = JSON.stringify(crimeAndDisorderDocument(publisher, { year: null, month: null }, []));
  // `…,"grants":[]}` without its closing `]}`.
  return whole.slice(0, -2);
}

/** "2026-11" → the month's first day, for the londonMonth filter and for grouping. */
export const monthStart = (month: string) => `${month}-01`;
