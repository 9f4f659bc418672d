import type { CsvValue } from '../../platform/web/csv';
import { GRANT_PERIOD_MONTHS, type PublishableGrant } from '../grants';

/**
 * The 360Giving Data Standard (v1.4.3) as this service publishes it: one grant's JSON object, the
 * package around the grants, and the flat CSV row with the standard's column titles. Pure, so the
 * mapping is tested apart from the database; the vendored schema in test/fixtures/360giving is
 * what the tests hold it to.
 */

/** Who publishes, and where: from configuration (OPEN_DATA_ID_PREFIX, FUNDING_ORGANISATION_*, PUBLIC_BASE_URL). */
export interface PublisherContext {
  idPrefix: string;
  funderId: string;
  funderName: string;
  baseUrl: string;
  /** ONS code → name of the areas the Commissioner covers. */
  areaNames: ReadonlyMap<string, string>;
}

/** The standard's licence recommendation is an open one; public bodies publish under the Open Government Licence. */
export const OPEN_DATA_LICENCE = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/';

/**
 * This publisher's extension to the standard (documented on /open-data and in the README): the
 * number of the Commissioner's decision that authorised the grant, and its page on the public
 * register. 360Giving allows extra fields; tools that do not know it ignore it.
 */
export interface PccDecisionExtension {
  number: string;
  url: string;
}

export interface ThreeSixtyGivingGrant {
  id: string;
  title: string;
  description: string;
  currency: 'GBP';
  amountAwarded: number;
  amountAppliedFor?: number;
  amountDisbursed: number;
  awardDate: string;
  plannedDates: { startDate: string; endDate: string; duration: number }[];
  recipientOrganization: { id: string; name: string; charityNumber?: string; companyNumber?: string; postalCode?: string }[];
  beneficiaryLocation: { name: string; geoCode: string; geoCodeType: string | null; countryCode: 'GB' }[];
  fundingOrganization: { id: string; name: string }[];
  grantProgramme: { code: string; title: string; url: string }[];
  fromOpenCall: 'Yes' | 'No';
  classifications?: { vocabulary: string; code: string; title: string | null }[];
  dateModified: string;
  pccDecision: PccDecisionExtension;
}

/** Pence as the standard's pounds: a number, two places at most (integer pence divide exactly to the nearest double). */
export const pounds = (p: number) => p / 100;

/**
 * The geoCodeType codelist entry for a GSS code's entity (its first three characters): the
 * Commissioner's areas are metropolitan districts (E08); others are mapped so an area added
 * elsewhere is still typed. Unknown: null, which the schema allows.
 */
const GEO_CODE_TYPES: Record<string, string> = { E06: 'UA', E07: 'NMD', E08: 'MD', E09: 'LONB', W06: 'UA', S12: 'CA' };
export const geoCodeTypeOf = (code: string): string | null => GEO_CODE_TYPES[code.slice(0, 3)] ?? null;

/** The standard asks for titles under 140 characters. */
const shortTitle = (t: string) => (t.length > 140 ? `${t.slice(0, 139)}…` : t);

/** Registered bodies are on public registers; their identifier says so (see recipientOf). */
const REGISTERED = /^GB-(CHC|COH|SC|NIC)-/;

/**
 * The recipient as open data shows it: identifier and name always; registration numbers and the
 * postcode only for a body on a public register (charity or company). A group without one is
 * often run from a volunteer's home, so its postcode could be an individual's address, which open
 * data never carries; its identifier is this system's own 360G- one.
 */
function recipientOf(o: PublishableGrant['organisation']): ThreeSixtyGivingGrant['recipientOrganization'][number] {
  const registered = REGISTERED.test(o.orgId);
  return {
    id: o.orgId,
    name: o.name,
    ...(o.charityNumber ? { charityNumber: o.charityNumber } : {}),
    ...(o.companyNumber ? { companyNumber: o.companyNumber } : {}),
    ...(registered && o.postcode ? { postalCode: o.postcode } : {}),
  };
}

/**
 * Where the beneficiaries are: the areas the application said the project works in, or the
 * organisation's own area when it named none. Only areas the Commissioner covers are named (an
 * answer naming anything else is left out rather than published unchecked). The funded-projects
 * pages show and filter by the same areas.
 */
export function beneficiaryAreaCodes(g: PublishableGrant, areaNames: ReadonlyMap<string, string>): string[] {
  const served = [...new Set(g.areasServed)].filter((c) => areaNames.has(c));
  return served.length ? served : g.organisation.areaOnsCode && areaNames.has(g.organisation.areaOnsCode) ? [g.organisation.areaOnsCode] : [];
}

function locationsOf(g: PublishableGrant, areaNames: ReadonlyMap<string, string>): ThreeSixtyGivingGrant['beneficiaryLocation'] {
  return beneficiaryAreaCodes(g, areaNames).map((geoCode) => ({
    name: areaNames.get(geoCode)!,
    geoCode,
    geoCodeType: geoCodeTypeOf(geoCode),
    countryCode: 'GB',
  }));
}

export function toThreeSixtyGiving(
  g: PublishableGrant,
  paid: { paidPence: number; lastRecordedAt: Date | null } | undefined,
  ctx: PublisherContext,
): ThreeSixtyGivingGrant {
  const title = g.title?.trim() || `Grant to ${g.organisation.name}`;
  const modified = paid?.lastRecordedAt && paid.lastRecordedAt > g.modifiedAt ? paid.lastRecordedAt : g.modifiedAt;
  return {
    id: `${ctx.idPrefix}-${g.reference}`,
    title: shortTitle(title),
    description: g.summary?.trim() || title,
    currency: 'GBP',
    amountAwarded: pounds(g.amountPence),
    ...(g.requestedPence !== null ? { amountAppliedFor: pounds(g.requestedPence) } : {}),
    amountDisbursed: pounds(paid?.paidPence ?? 0),
    awardDate: g.awardedOn,
    plannedDates: [{ startDate: g.startsOn, endDate: g.endsOn, duration: GRANT_PERIOD_MONTHS }],
    recipientOrganization: [recipientOf(g.organisation)],
    beneficiaryLocation: locationsOf(g, ctx.areaNames),
    fundingOrganization: [{ id: ctx.funderId, name: ctx.funderName }],
    grantProgramme: [{ code: g.round.referencePrefix, title: `${g.round.programmeName}: ${g.round.name}`, url: `${ctx.baseUrl}/funds/${g.round.id}` }],
    // Every round is a published call that any eligible group may apply to.
    fromOpenCall: 'Yes',
    ...(g.category ? { classifications: [{ vocabulary: `${ctx.idPrefix}-round-category`, code: g.category.code, title: g.category.name }] } : {}),
    dateModified: modified.toISOString(),
    pccDecision: { number: g.decisionNumber, url: `${ctx.baseUrl}/decisions/${g.decisionNumber}` },
  };
}

/** The package's metadata, written before its grants (the package schema's fields; `grants` comes last so it can stream). */
export function packageHeader(ctx: PublisherContext, issuedAt: Date) {
  return {
    title: `Grants awarded by the ${ctx.funderName}`,
    description:
      'Every grant accepted under a published decision of the Commissioner, in the 360Giving Data Standard. ' +
      'The pccDecision field (an extension) gives the number of the decision that authorised each grant and its page on the public register.',
    identifier: `${ctx.idPrefix}-grants`,
    version: '1.4',
    issued: issuedAt.toISOString(),
    modified: issuedAt.toISOString(),
    license: OPEN_DATA_LICENCE,
    publisher: { identifier: ctx.funderId, name: ctx.funderName, website: ctx.baseUrl },
    accessURL: `${ctx.baseUrl}/open-data`,
    downloadURL: `${ctx.baseUrl}/open-data/360giving.json`,
  };
}

/**
 * The flat CSV: one row per grant under the standard's column titles (as in its spreadsheet
 * template's grants sheet: a field's title, or the list's title and the field's, "Recipient
 * Org:Identifier"), then this publisher's extension columns. A grant serving several areas has
 * their names, codes and types in the location columns in the same order, separated by "; " (the
 * JSON has one location each).
 */
export const CSV_COLUMNS: readonly { title: string; value: (g: ThreeSixtyGivingGrant) => CsvValue }[] = [
  { title: 'Identifier', value: (g) => g.id },
  { title: 'Title', value: (g) => g.title },
  { title: 'Description', value: (g) => g.description },
  { title: 'Currency', value: (g) => g.currency },
  { title: 'Amount Applied For', value: (g) => g.amountAppliedFor },
  { title: 'Amount Awarded', value: (g) => g.amountAwarded },
  { title: 'Amount Disbursed', value: (g) => g.amountDisbursed },
  { title: 'Award Date', value: (g) => g.awardDate },
  { title: 'Planned Dates:Start Date', value: (g) => g.plannedDates[0]?.startDate },
  { title: 'Planned Dates:End Date', value: (g) => g.plannedDates[0]?.endDate },
  { title: 'Planned Dates:Duration (months)', value: (g) => g.plannedDates[0]?.duration },
  { title: 'Recipient Org:Identifier', value: (g) => g.recipientOrganization[0].id },
  { title: 'Recipient Org:Name', value: (g) => g.recipientOrganization[0].name },
  { title: 'Recipient Org:Charity Number', value: (g) => g.recipientOrganization[0].charityNumber },
  { title: 'Recipient Org:Company Number', value: (g) => g.recipientOrganization[0].companyNumber },
  { title: 'Recipient Org:Postal Code', value: (g) => g.recipientOrganization[0].postalCode },
  { title: 'Beneficiary Location:Name', value: (g) => g.beneficiaryLocation.map((l) => l.name).join('; ') },
  { title: 'Beneficiary Location:Country Code', value: (g) => g.beneficiaryLocation.map((l) => l.countryCode).join('; ') },
  { title: 'Beneficiary Location:Geographic Code', value: (g) => g.beneficiaryLocation.map((l) => l.geoCode).join('; ') },
  { title: 'Beneficiary Location:Geographic Code Type', value: (g) => g.beneficiaryLocation.map((l) => l.geoCodeType ?? '').join('; ') },
  { title: 'Funding Org:Identifier', value: (g) => g.fundingOrganization[0].id },
  { title: 'Funding Org:Name', value: (g) => g.fundingOrganization[0].name },
  { title: 'Grant Programme:Code', value: (g) => g.grantProgramme[0]?.code },
  { title: 'Grant Programme:Title', value: (g) => g.grantProgramme[0]?.title },
  { title: 'Grant Programme:URL', value: (g) => g.grantProgramme[0]?.url },
  { title: 'From An Open Call?', value: (g) => g.fromOpenCall },
  { title: 'Classifications:Vocabulary', value: (g) => g.classifications?.[0]?.vocabulary },
  { title: 'Classifications:Code', value: (g) => g.classifications?.[0]?.code },
  { title: 'Classifications:Title', value: (g) => g.classifications?.[0]?.title },
  { title: 'Last Modified', value: (g) => g.dateModified },
  { title: 'PCC Decision:Number', value: (g) => g.pccDecision.number },
  { title: 'PCC Decision:URL', value: (g) => g.pccDecision.url },
];

/** The extension columns, which are not the standard's titles. */
export const CSV_EXTENSION_TITLES = ['PCC Decision:Number', 'PCC Decision:URL'] as const;
