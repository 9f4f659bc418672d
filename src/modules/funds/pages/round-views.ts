/**
 * What the staff round pages show, from what the services return: plain objects for the Nunjucks
 * templates in ../views (GOV.UK component parameters, with text, never HTML).
 */
import { formatLondonDateTime } from '@pcc/london-time';
import { listHref, type ListState, MAX_SEARCH_LENGTH, paginationFor, sortHeaders } from '../../../platform/http/paging';
import { type FormError, errorView, penceForInput, str, strings } from '../../../platform/web/forms';
import type { LocalAuthorityArea as Area } from '../../areas';
import { ORGANISATION_TYPE_NAMES, OrganisationType } from '../../identity';
import type { FundProgramme } from '../entities/fund-programme.entity';
import type { FundingRound } from '../entities/funding-round.entity';
import { ROUND_STATUSES } from '../dto/funds-responses.dto';
import { DEFAULT_ROUND_SORT, type RoundListQueryDto } from '../dto/rounds-query.dto';
import { QUESTION_TYPES } from '../form-definition';
import { ROUND_STATUS_TAGS, settingsLocked } from '../round-status';
import type { RoundStatus } from '../rounds.service';
import { formForEditing, type RoundFormValues } from './round-form';

export const QUESTION_TYPE_NAMES: Record<(typeof QUESTION_TYPES)[number], string> = {
  short_text: 'Short text',
  long_text: 'Long text',
  number: 'Number',
  money: 'Money',
  date: 'Date',
  yes_no: 'Yes or no',
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  address: 'Address',
  file: 'File upload',
};

export interface RoundWithStatus {
  round: FundingRound;
  status: RoundStatus;
}

const withTags = (rounds: RoundWithStatus[]) => rounds.map(({ round, status }) => ({ round, status: ROUND_STATUS_TAGS[status] }));

const ROUND_COLUMNS = [
  { key: 'name', label: 'Round' },
  { key: 'fund', label: 'Fund' },
  { key: 'status', label: 'Status' },
  { key: 'opens', label: 'Opens', firstDirection: 'desc' as const },
  { key: 'closes', label: 'Closes', firstDirection: 'desc' as const },
];

/** A problem with the address, in words: only a hand-edited link can make one. */
const listProblem = (e: FormError): FormError =>
  e.field === 'q' ? { ...e, message: `Search must be ${MAX_SEARCH_LENGTH} characters or fewer, on one line` } : e;

/**
 * The staff rounds list: a page of rounds with sortable headers, the search and filters as typed,
 * and GOV.UK pagination; every link keeps the search, filters and sort (in the query string).
 */
export function roundListView(
  q: RoundListQueryDto,
  page: { items: RoundWithStatus[]; total: number },
  programmes: FundProgramme[],
  errors: readonly FormError[] = [],
) {
  const state: ListState = {
    path: '/staff/rounds',
    filters: { fund: q.fund, status: q.status },
    q: q.q,
    sort: q.sort,
    defaultSort: DEFAULT_ROUND_SORT,
    page: q.page,
    limit: q.limit,
  };
  const filtered = !!(q.fund || q.status || q.q);
  return {
    rounds: withTags(page.items),
    total: page.total,
    filtered,
    q: q.q ?? '',
    clearHref: '/staff/rounds',
    // A round opened from here links back to this same page, search, filters and sort.
    returnTo: listHref(state) === '/staff/rounds' ? '' : listHref(state),
    headers: sortHeaders(state, ROUND_COLUMNS),
    pager: paginationFor(state, page.total),
    fundItems: [{ value: '', text: 'Any fund' }, ...programmes.map((p) => ({ value: p.id, text: p.name, selected: p.id === q.fund }))],
    statusItems: [{ value: '', text: 'Any status' }, ...ROUND_STATUSES.map((s) => ({ value: s, text: ROUND_STATUS_TAGS[s].text, selected: s === q.status }))],
    ...errorView(errors.map(listProblem)),
  };
}

const orgTypeName = (t: string) => ORGANISATION_TYPE_NAMES[t as OrganisationType] ?? t;

/** One round's page: its settings in words, and the publish form's problem if any. */
export function roundPageView(round: FundingRound, status: RoundStatus, areas: Area[], options: { saved?: string; errors?: FormError[]; listHref?: string }) {
  const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
  return {
    round,
    listHref: options.listHref,
    status: ROUND_STATUS_TAGS[status],
    roundStatus: status,
    saved: options.saved,
    orgTypes: round.eligibleOrgTypes.map(orgTypeName),
    areaNames: round.eligibleAreas.map((a) => areaNames.get(a) ?? a),
    categoryNames: Object.fromEntries(round.categories.map((c) => [c.code, c.name])),
    // What qualifies for each ring-fence, in words: its category, or the organisations in its area.
    ringFenceRows: (round.ringFences ?? []).map((f) => ({
      name: f.name,
      qualifies: f.category
        ? (round.categories.find((c) => c.code === f.category)?.name ?? f.category)
        : `Organisations in ${areaNames.get(f.areaOnsCode ?? '') ?? f.areaOnsCode}`,
      amountPence: f.amountPence,
    })),
    questionTypes: QUESTION_TYPE_NAMES,
    guidance: round.guidance
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    ...errorView(options.errors ?? []),
  };
}

export interface RoundFormPage {
  /** The round being edited; none for a new one. */
  round?: FundingRound;
  status?: RoundStatus;
  values: RoundFormValues;
  errors?: FormError[];
  programmes: FundProgramme[];
  areas: Area[];
}

/** The create and edit form. An open round's locked settings are a read-only list instead of inputs. */
export function roundFormView({ round, status, values, errors = [], programmes, areas }: RoundFormPage) {
  const locked = status !== undefined && settingsLocked(status);
  const ticked = (f: string) => strings(values[f]);
  return {
    round,
    locked,
    roundStatus: status && ROUND_STATUS_TAGS[status],
    action: round ? `/staff/rounds/${round.id}/edit` : '/staff/rounds/new',
    values,
    programmeItems: [
      { value: '', text: 'Select a fund programme' },
      ...programmes.map((p) => ({ value: p.id, text: p.name, selected: p.id === str(values.programmeId) })),
    ],
    orgTypeItems: Object.values(OrganisationType).map((t) => ({ value: t, text: ORGANISATION_TYPE_NAMES[t], checked: ticked('eligibleOrgTypes').includes(t) })),
    areaItems: areas.map((a) => ({ value: a.onsCode, text: a.name, checked: ticked('eligibleAreas').includes(a.onsCode) })),
    lockedView: round && locked ? lockedView(round, programmes.find((p) => p.id === round.programmeId)?.name ?? '', areas) : undefined,
    ...errorView(inPageOrder(errors)),
  };
}

/** The error summary lists problems in the order of the fields on the page. */
const PAGE_ORDER = [
  'locked',
  'programmeId',
  'name',
  'referencePrefix',
  'summary',
  'guidance',
  'opensAt',
  'opensAtTime',
  'closesAt',
  'closesAtTime',
  'totalBudget',
  'minGrant',
  'maxGrant',
  'ringFences',
  'eligibleOrgTypes',
  'eligibleAreas',
  'categories',
  'criteria',
  'assessorsPerApplication',
  'moderationThreshold',
  'reminderHoursBefore',
  'scoringClosesAt',
  'scoringClosesAtTime',
  'offerPeriodDays',
  'grantConditions',
  'paymentSchedule',
  'form',
];

export function inPageOrder(errors: readonly FormError[]): FormError[] {
  const rank = (e: FormError) => (PAGE_ORDER.includes(e.field) ? PAGE_ORDER.indexOf(e.field) : PAGE_ORDER.length);
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

/** An open round's locked settings, read-only, as a summary list and its form as JSON. */
function lockedView(round: FundingRound, programmeName: string, areas: Area[]) {
  const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
  return {
    rows: [
      { key: { text: 'Fund programme' }, value: { text: programmeName } },
      { key: { text: 'Reference prefix' }, value: { text: round.referencePrefix } },
      { key: { text: 'Opens (London time)' }, value: { text: formatLondonDateTime(round.opensAt) } },
      { key: { text: 'Smallest grant' }, value: { text: `£${penceForInput(round.minGrantPence)}` } },
      { key: { text: 'Largest grant' }, value: { text: `£${penceForInput(round.maxGrantPence)}` } },
      {
        key: { text: 'Eligible organisation types' },
        value: { text: round.eligibleOrgTypes.length ? round.eligibleOrgTypes.map(orgTypeName).join(', ') : 'Any' },
      },
      {
        key: { text: 'Eligible areas' },
        value: { text: round.eligibleAreas.length ? round.eligibleAreas.map((a) => areaNames.get(a) ?? a).join(', ') : 'Any of the West Midlands areas' },
      },
      { key: { text: 'Categories' }, value: { text: round.categories.map((c) => `${c.name} (${c.code})`).join(', ') } },
    ],
    formText: formForEditing(round.form),
  };
}
