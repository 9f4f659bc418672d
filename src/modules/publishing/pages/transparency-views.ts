/**
 * View-models for the public transparency pages: the Specified Information list of crime and
 * disorder reduction grants, the funded projects list and a funded project's page. Plain data for
 * the Nunjucks templates (publishing/views), which build every element with GOV.UK macros.
 */
import { formatPounds } from '@pcc/money';
import { formatLondonDate } from '@pcc/london-time';
import { type ListState, listHref, type Pagination, paginationFor, safeReturnTo } from '../../../platform/http/paging';
import type { PublishedGrant, PublishedGrantFacets } from '../../grants';
import { type CrimeAndDisorderGrant, monthStart } from '../specified-information';
import { beneficiaryAreaCodes } from '../three-sixty-giving';
import type { CrimeAndDisorderFilter, FundedProjectsFilter } from './transparency-form';

interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
}

/** Text split into its paragraphs (blank lines between), for <p>s. */
export const paragraphs = (text: string | null): string[] =>
  (text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The years to choose from: those with grants, newest first, and a valid year asked for that has none (so the form shows what is shown). */
function yearItems(years: number[], typed: string, shown: number | null, anyText: string | null): SelectItem[] {
  const all = [...new Set([...years, ...(shown !== null ? [shown] : [])])].sort((a, b) => b - a);
  const items: SelectItem[] = all.map((y) => ({ value: String(y), text: String(y), selected: shown === y }));
  // A year that is not a year at all is shown as typed, selected, so the error is next to it.
  if (typed && !all.some((y) => String(y) === typed)) items.unshift({ value: typed, text: typed, selected: true });
  return anyText === null ? items : [{ value: '', text: anyText, selected: !typed }, ...items];
}

export const SPECIFIED_INFORMATION_PATH = '/transparency/crime-and-disorder-grants';

export function specifiedInformationView(input: {
  filter: CrimeAndDisorderFilter;
  facets: PublishedGrantFacets;
  funds: string[];
  grants: CrimeAndDisorderGrant[];
}) {
  const { filter, facets, grants } = input;
  const failed = filter.errors.length > 0;
  const badYear = filter.errors.some((e) => e.field === 'year');
  const query = new URLSearchParams({ year: String(filter.year), ...(filter.month ? { month: String(filter.month) } : {}) }).toString();
  const months: { id: string; start: string; grants: ReturnType<typeof grantItem>[] }[] = [];
  for (const g of grants) {
    let group = months[months.length - 1];
    if (!group || group.id !== `month-${g.month}`) months.push((group = { id: `month-${g.month}`, start: monthStart(g.month), grants: [] }));
    group.grants.push(grantItem(g));
  }
  return {
    funds: input.funds,
    year: filter.year,
    monthName: filter.month ? MONTHS[filter.month - 1] : null,
    yearItems: badYear
      ? yearItems(facets.crimeAndDisorderYears, filter.typed.year, null, null)
      : yearItems(facets.crimeAndDisorderYears, '', filter.year, null),
    monthItems: [
      { value: '', text: 'Every month', selected: filter.month === null },
      ...MONTHS.map((name, i) => ({ value: String(i + 1), text: name, selected: filter.month === i + 1 })),
    ],
    filtered: Boolean(filter.typed.year || filter.typed.month),
    failed,
    total: grants.length,
    months: failed ? [] : months,
    csvHref: `${SPECIFIED_INFORMATION_PATH}.csv?${query}`,
    jsonHref: `${SPECIFIED_INFORMATION_PATH}.json?${query}`,
    // Every year at once, whatever the filter: offered beside the year's files, and on a page with errors too.
    allYearsCsvHref: `${SPECIFIED_INFORMATION_PATH}/all-years.csv`,
    allYearsJsonHref: `${SPECIFIED_INFORMATION_PATH}/all-years.json`,
    hasAny: facets.crimeAndDisorderYears.length > 0,
  };
}

function grantItem(g: CrimeAndDisorderGrant) {
  return {
    reference: g.reference,
    recipient: g.recipient.name,
    purpose: paragraphs(g.purpose),
    amount: formatPounds(Math.round(g.amountAwarded * 100)),
    awardDate: formatLondonDate(new Date(`${g.awardDate}T12:00:00Z`)),
    fund: g.fund,
    round: g.round,
    conditions: paragraphs(g.conditions),
    reasons: paragraphs(g.reasons),
    decisionNumber: g.decision.number,
    decisionHref: `/decisions/${g.decision.number}`,
    href: new URL(g.url).pathname,
  };
}

export const FUNDED_PROJECTS_PATH = '/funded-projects';

/** What a project is called: its title, else who it was for. */
const projectTitle = (g: PublishedGrant) => g.title?.trim() || `Grant to ${g.organisation.name}`;

const areaList = (g: PublishedGrant, areaNames: ReadonlyMap<string, string>) =>
  beneficiaryAreaCodes(g, areaNames)
    .map((c) => areaNames.get(c)!)
    .join(', ');

export function fundedProjectsView(input: {
  filter: FundedProjectsFilter;
  facets: PublishedGrantFacets;
  funds: { code: string; name: string }[];
  areaNames: ReadonlyMap<string, string>;
  items: PublishedGrant[];
  total: number;
}) {
  const { filter, facets, areaNames, total } = input;
  const failed = filter.errors.length > 0;
  const state: ListState = {
    path: FUNDED_PROJECTS_PATH,
    filters: { ...filter.typed, q: undefined },
    q: filter.typed.q,
    page: filter.page,
    limit: filter.limit,
  };
  const here = listHref(state);
  const pick = (typed: string, options: { value: string; text: string }[], anyText: string): SelectItem[] => [
    { value: '', text: anyText, selected: !typed },
    ...options.map((o) => ({ ...o, selected: o.value === typed })),
    // A value that is not on the list stays selected, so the error is next to what was asked for.
    ...(typed && !options.some((o) => o.value === typed) ? [{ value: typed, text: typed, selected: true }] : []),
  ];
  const pagination: Pagination = paginationFor(state, total);
  return {
    typed: filter.typed,
    fundItems: pick(
      filter.typed.fund,
      input.funds.map((f) => ({ value: f.code, text: f.name })),
      'Any fund',
    ),
    yearItems: yearItems(facets.years, filter.typed.year, filter.filters.year ?? null, 'Any year'),
    areaItems: pick(
      filter.typed.area,
      [...areaNames].map(([value, text]) => ({ value, text })).sort((x, y) => x.text.localeCompare(y.text, 'en-GB')),
      'Any area',
    ),
    categoryItems: pick(
      filter.typed.category,
      facets.categories.map((c) => ({ value: c.code, text: c.name })),
      'Any category',
    ),
    filtered: Object.values(filter.typed).some(Boolean),
    failed,
    total,
    items: failed
      ? []
      : input.items.map((g) => ({
          href: `${FUNDED_PROJECTS_PATH}/${g.grantId}?${new URLSearchParams({ returnTo: here }).toString()}`,
          title: projectTitle(g),
          recipient: g.organisation.name,
          amount: formatPounds(g.amountPence),
          fund: g.round.programmeName,
          awardedOn: formatLondonDate(new Date(`${g.awardedOn}T12:00:00Z`)),
          areas: areaList(g, areaNames),
          category: g.category?.name ?? null,
        })),
    pagination,
    // A page past the last one: an empty list that says so, with the way back.
    beyondEnd: !failed && total > 0 && input.items.length === 0,
    firstPageHref: listHref({ ...state, page: 1 }),
  };
}

export function fundedProjectView(input: { grant: PublishedGrant; areaNames: ReadonlyMap<string, string>; paidPence: number; returnTo: unknown }) {
  const { grant: g, areaNames } = input;
  const back = safeReturnTo(input.returnTo, FUNDED_PROJECTS_PATH, FUNDED_PROJECTS_PATH);
  return {
    title: projectTitle(g),
    reference: g.reference,
    backHref: back,
    recipient: g.organisation.name,
    // Registered bodies' numbers are on public registers; a group without one shows only its name.
    charityNumber: g.organisation.charityNumber,
    companyNumber: g.organisation.companyNumber,
    purpose: paragraphs(g.purpose),
    amount: formatPounds(g.amountPence),
    paid: formatPounds(input.paidPence),
    areas: areaList(g, areaNames),
    fund: g.round.programmeName,
    round: g.round.name,
    category: g.category?.name ?? null,
    awardedOn: formatLondonDate(new Date(`${g.awardedOn}T12:00:00Z`)),
    startsOn: formatLondonDate(new Date(`${g.startsOn}T12:00:00Z`)),
    endsOn: formatLondonDate(new Date(`${g.endsOn}T12:00:00Z`)),
    decisionNumber: g.decisionNumber,
    decisionHref: `/decisions/${g.decisionNumber}`,
    crimeAndDisorderReduction: g.crimeAndDisorderReduction,
  };
}
