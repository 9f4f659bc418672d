/**
 * View-models for the staff pages: a round's applications with filters, and one application with
 * its organisation, answers (the same renderer as the applicant's), files, screening and extension.
 * Pure functions: the presenter (staff-application-pages.presenter.ts) loads, these shape.
 */
import { formatLondonDate, formatLondonDateTime } from '@pcc/london-time';
import { formatPounds } from '@pcc/money';
import type { FormDefinition, FundingRound } from '../../funds';
import { allQuestions } from '../../funds';
import type { FieldError } from '../../../platform/errors/app-exception';
import { missingRequired } from '../answers';
import { ORGANISATION_TYPE_NAMES, type Organisation } from '../../identity';
import { OUTSIDE } from '../application-filters';
import { areaLabel } from '../applications-csv';
import { DEFAULT_APPLICATION_SORT } from '../application-filters';
import { type ApplicationRow, type ApplicationRowPage, type ListNeighbours, REQUESTED_STATUSES, type RoundTotals } from '../applications.service';
import { listHref, listQueryString, type ListState, paginationFor, sortHeaders } from '../../../platform/http/paging';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import { APPLICATION_STATUSES, type Answers, type Application, type ApplicationStatus } from '../entities/application.entity';
import { answerSections, fileSize } from './answer-views';
import { type FilterForm, type ListPlace } from './filters-form';
import { APPLICATION_STATUS_TAGS } from './status-tags';

/** "2:05pm, 26 November 2026": short enough for a table cell. */
export function shortLondon(d: Date): string {
  return `${formatLondonDateTime(d).split(' on ')[0]}, ${formatLondonDate(d)}`;
}

/** "3 submitted, 1 draft" for these applications. */
export function statusCounts(all: ApplicationRow[]): string {
  const counts = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, all.filter((r) => r.application.status === s).length]));
  return countsText(counts as Record<ApplicationStatus, number>);
}

/** "3 submitted, 1 draft": how many applications the round has in each status. */
export function countsText(counts: Record<ApplicationStatus, number>): string {
  return APPLICATION_STATUSES.map((s) => ({ text: APPLICATION_STATUS_TAGS[s].text.toLowerCase(), n: counts[s] ?? 0 }))
    .filter((c) => c.n)
    .map((c) => `${c.n} ${c.text}`)
    .join(', ');
}

/**
 * "£63,250 requested against £50,000: over-subscribed by £13,250 (127%)", or how much is left.
 * The percentage is rounded down, so "100%" never hides an over-subscription of a few pounds.
 */
export function againstBudget(requested: number, budget: number): string {
  const percent = budget > 0 ? Math.floor((requested * 100) / budget) : 0;
  if (requested > budget)
    return `${formatPounds(requested)} requested against ${formatPounds(budget)}: over-subscribed by ${formatPounds(requested - budget)} (${percent}%)`;
  return `${formatPounds(requested)} requested against ${formatPounds(budget)}: ${formatPounds(budget - requested)} not yet asked for (${percent}%)`;
}

/** What the totals count, in words: the budget, each ring-fence and the drafts kept apart. */
export function totalsView(round: FundingRound, totals: RoundTotals) {
  return {
    budget: againstBudget(totals.submittedRequestedPence, round.totalBudgetPence),
    overBudget: totals.submittedRequestedPence > round.totalBudgetPence,
    submittedCount: REQUESTED_STATUSES.reduce((n, st) => n + totals.countsByStatus[st], 0),
    ringFences: (round.ringFences ?? []).map((rf) => {
      const c = (rf.category ? totals.byCategory[rf.category] : totals.byArea[rf.areaOnsCode ?? '']) ?? { submittedRequestedPence: 0, count: 0 };
      return {
        name: rf.name,
        count: c.count,
        text: againstBudget(c.submittedRequestedPence, rf.amountPence),
        over: c.submittedRequestedPence > rf.amountPence,
      };
    }),
    drafts: totals.countsByStatus.draft,
    draftRequested: formatPounds(totals.draftRequestedPence),
    screeningOutstanding: totals.screeningOutstanding,
  };
}

const SORT_COLUMNS = [
  { key: 'reference', label: 'Reference' },
  { key: 'organisation', label: 'Organisation' },
  { key: 'amount', label: 'Amount requested', numeric: true, firstDirection: 'desc' as const },
  { key: 'status', label: 'Status' },
  { key: 'submitted', label: 'Submitted', firstDirection: 'desc' as const },
];

export interface StaffListInput {
  round: FundingRound;
  form: FilterForm;
  place: ListPlace;
  /** The page of applications the filters, search and sort chose (none when the filters have a problem). */
  found: ApplicationRowPage;
  totals: RoundTotals;
  /** References of the applications the rows are flagged as duplicates of. */
  references: Map<string, string | null>;
  areas: { onsCode: string; name: string }[];
  canManageRounds: boolean;
}

/** The list's address state: filters as typed, search, sort and page (defaults left out of links). */
export function listStateOf(path: string, typed: Record<string, string>, place: Pick<ListPlace, 'q' | 'sort' | 'page'>): ListState {
  return { path, filters: typed, q: place.q, sort: place.sort, defaultSort: DEFAULT_APPLICATION_SORT, page: place.page };
}

/** A round's applications, a page at a time, with the filter form's choices, the search and the totals. */
export function staffListView({ round, form, place, found, totals, references, areas, canManageRounds }: StaffListInput) {
  const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  const typed = form.typed;
  const path = `/staff/rounds/${round.id}/applications`;
  const state = listStateOf(path, typed, place);
  const here = listHref(state);
  const sel = (value: string, text: string, current: string) => ({ value, text, selected: value === current });
  const all = APPLICATION_STATUSES.reduce((n, st) => n + totals.countsByStatus[st], 0);
  return {
    round,
    raw: typed,
    q: place.q,
    sort: place.sort === DEFAULT_APPLICATION_SORT ? '' : place.sort,
    filtered: Object.values(typed).some(Boolean) || !!place.q,
    // The downloads keep the filters, search and sort; every page of the list.
    csvHref: `/staff/rounds/${round.id}/applications.csv${listQueryString({ ...state, page: undefined })}`,
    xlsxHref: `/staff/rounds/${round.id}/applications.xlsx${listQueryString({ ...state, page: undefined })}`,
    total: all,
    matching: found.total,
    countsText: countsText(totals.countsByStatus),
    totals: totalsView(round, totals),
    canManageRounds,
    headers: sortHeaders(state, SORT_COLUMNS),
    pager: paginationFor({ ...state, limit: found.limit }, found.total),
    rows: found.rows.map(({ application: a, organisation: o }) => ({
      id: a.id,
      href: `/staff/applications/${a.id}?${new URLSearchParams({ returnTo: here }).toString()}`,
      reference: a.reference,
      organisation: o.name,
      organisationVerified: !!o.verifiedAt,
      area: areaLabel(o, areaNames),
      category: a.category ? (categoryNames.get(a.category) ?? a.category) : '',
      amount: a.amountRequestedPence !== null ? formatPounds(a.amountRequestedPence) : '',
      status: APPLICATION_STATUS_TAGS[a.status],
      submittedAt: a.submittedAt ? shortLondon(a.submittedAt) : '',
      duplicates: a.duplicateFlags.map((f) => ({ id: f.applicationId, reference: references.get(f.applicationId) ?? 'a draft', reason: f.reason })),
    })),
    statusItems: [sel('', 'Any status', typed.status), ...APPLICATION_STATUSES.map((s) => sel(s, APPLICATION_STATUS_TAGS[s].text, typed.status))],
    areaItems: [
      sel('', 'Any area', typed.area),
      ...areas.map((a) => sel(a.onsCode, a.name, typed.area)),
      sel(OUTSIDE, 'Outside the West Midlands', typed.area),
    ],
    categoryItems: [sel('', 'Any category', typed.category), ...round.categories.map((c) => sel(c.code, c.name, typed.category))],
  };
}

/**
 * The application page's way back to its list: the list page that holds it (so the person returns
 * to the same page even after stepping through with next), and previous and next in that list.
 */
export function listNavigation(listPath: string, back: string, neighbours: ListNeighbours | null, typed: Record<string, string>, place: ListPlace | null) {
  if (!neighbours || !place) return { back, previous: null, next: null, position: null };
  const returnTo = listHref({ ...listStateOf(listPath, typed, place), page: Math.ceil(neighbours.position / place.limit) });
  const link = (id: string | null) => (id ? `/staff/applications/${id}?${new URLSearchParams({ returnTo }).toString()}` : null);
  return {
    back: returnTo,
    previous: link(neighbours.previousId),
    next: link(neighbours.nextId),
    position: `${neighbours.position} of ${neighbours.total}`,
  };
}

/** The organisation as staff see it; the template lays the rows out (views/staff/application.njk). */
export function organisationView(o: Organisation, areaNames: Map<string, string>) {
  return {
    name: o.name,
    // Screeners should know when nobody has yet checked the organisation is who it says it is.
    verifiedOn: o.verifiedAt ? formatLondonDate(o.verifiedAt) : null,
    type: ORGANISATION_TYPE_NAMES[o.type] ?? o.type,
    orgId: o.orgId,
    charityNumber: o.charityNumber ?? 'None',
    companyNumber: o.companyNumber ?? 'None',
    addressLines: [o.addressLine1, o.addressLine2, o.town, o.postcode].filter((l): l is string => !!l),
    area: areaLabel(o, areaNames),
    contactLines: [o.contactName, o.contactEmail, o.contactPhone].filter((l): l is string => !!l),
  };
}

export interface StaffApplicationInput {
  app: Application;
  round: FundingRound;
  /** The answers and form as submitted, when the application has been. */
  snapshot: { form: unknown; answers: Answers } | null;
  attachments: ApplicationAttachment[];
  areas: { onsCode: string; name: string }[];
  duplicates: { id: string; reference: string; organisation: string; reason: string }[];
  closing: Date;
  canScreen: boolean;
  canExtend: boolean;
  /** The round's eligibility rules applied to this organisation and amount (RoundsService.eligibilityProblems). */
  eligibility?: FieldError[];
}

export interface ChecklistItem {
  check: string;
  met: boolean;
  detail: string;
}

/**
 * What a screener checks, each rule with whether this application meets it: the organisation's
 * type and area and the amount against the round's rules, the required answers and documents, the
 * organisation's verification and possible duplicates. Worked out from the frozen answers, so it
 * says the same whoever opens it.
 */
export function screeningChecklist(input: {
  round: FundingRound;
  org: Organisation;
  form: FormDefinition;
  answers: Answers;
  amountPence: number | null;
  eligibility: FieldError[];
  duplicates: { reference: string; reason: string }[];
}): ChecklistItem[] {
  const { round, org, form, answers, eligibility, duplicates } = input;
  const problem = (field: string) => eligibility.find((e) => e.field === field);
  const typeProblem = problem('organisationType');
  const areaProblem = problem('area');
  const amountProblem = problem('amountRequested');
  const missing = missingRequired(form, answers);
  const missingFiles = allQuestions(form).filter((q) => q.type === 'file' && missing.some((m) => m.field === `answers.${q.id}`));
  return [
    {
      check: 'Organisation type',
      met: !typeProblem,
      detail:
        typeProblem?.message ??
        (round.eligibleOrgTypes.length
          ? `${ORGANISATION_TYPE_NAMES[org.type] ?? org.type}: one of the types this round funds`
          : 'This round is open to every type'),
    },
    {
      check: 'Area',
      met: !areaProblem,
      detail: areaProblem?.message ?? (round.eligibleAreas.length ? 'Based in an area this round funds' : 'Based in the West Midlands'),
    },
    {
      check: 'Amount requested',
      met: input.amountPence !== null && !amountProblem,
      detail:
        amountProblem?.message ??
        (input.amountPence === null
          ? 'Not given'
          : `${formatPounds(input.amountPence)}, within ${formatPounds(round.minGrantPence)} to ${formatPounds(round.maxGrantPence)}`),
    },
    {
      check: 'Required answers',
      met: missing.length - missingFiles.length === 0,
      detail: missing.length - missingFiles.length === 0 ? 'All given' : `${missing.length - missingFiles.length} not given`,
    },
    {
      check: 'Required documents',
      met: missingFiles.length === 0,
      detail: missingFiles.length === 0 ? 'All uploaded' : `Missing: ${missingFiles.map((q) => q.label).join(', ')}`,
    },
    {
      check: 'Organisation checked by an administrator',
      met: !!org.verifiedAt,
      detail: org.verifiedAt ? `Verified ${formatLondonDate(org.verifiedAt)}` : 'Not yet verified',
    },
    {
      check: 'Possible duplicates',
      met: duplicates.length === 0,
      detail: duplicates.length === 0 ? 'None found' : duplicates.map((d) => `${d.reference} (${d.reason})`).join('; '),
    },
  ];
}

/** One application for staff: the answers exactly as submitted (or the working ones for a draft). */
export function staffApplicationView(input: StaffApplicationInput) {
  const { app, round, snapshot, attachments, closing } = input;
  const org = app.organisation!;
  const form = (snapshot?.form as FormDefinition | undefined) ?? round.form;
  const answers = snapshot?.answers ?? app.answers;
  const fileHref = (f: ApplicationAttachment) => `/staff/applications/${app.id}/attachments/${f.id}`;
  const questionLabels = new Map(allQuestions(form).map((q) => [q.id, q.label]));
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  return {
    app,
    org,
    round,
    status: APPLICATION_STATUS_TAGS[app.status],
    fromSnapshot: !!snapshot,
    sections: answerSections(form, answers, { attachments, fileHref, categoryNames }),
    organisation: organisationView(org, new Map(input.areas.map((a) => [a.onsCode, a.name]))),
    attachments: attachments.map((f) => ({
      href: fileHref(f),
      filename: f.filename,
      question: questionLabels.get(f.questionId) ?? f.questionId,
      size: fileSize(f.sizeBytes),
      uploadedAt: formatLondonDateTime(f.createdAt),
      current: answers[f.questionId] === f.id,
    })),
    duplicates: input.duplicates,
    amount: app.amountRequestedPence !== null ? formatPounds(app.amountRequestedPence) : 'Not given',
    category: app.category ? (categoryNames.get(app.category) ?? app.category) : 'Not given',
    canScreen: input.canScreen && app.status === 'submitted',
    checklist:
      input.canScreen && app.status === 'submitted'
        ? screeningChecklist({
            round,
            org,
            form,
            answers,
            amountPence: app.amountRequestedPence,
            eligibility: input.eligibility ?? [],
            duplicates: input.duplicates,
          })
        : [],
    // An extension lets an organisation submit after the close: it can only help a draft.
    canExtend: input.canExtend && round.state === 'published' && app.status === 'draft',
    closesAt: round.closesAt,
    closingMinute: closing,
    extended: closing.getTime() !== round.closesAt.getTime(),
  };
}
