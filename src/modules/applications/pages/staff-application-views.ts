/**
 * View-models for the staff pages: a round's applications with filters, and one application with
 * its organisation, answers (the same renderer as the applicant's), files, screening and extension.
 * Pure functions: the presenter (staff-application-pages.presenter.ts) loads, these shape.
 */
import { formatLondonDate, formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, sumPence } from '@pcc/money';
import type { FormDefinition, FundingRound } from '../../funds';
import { allQuestions } from '../../funds';
import { ORGANISATION_TYPE_NAMES, type Organisation } from '../../identity';
import { OUTSIDE } from '../application-filters';
import { areaLabel } from '../applications-csv';
import type { ApplicationRow } from '../applications.service';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import { APPLICATION_STATUSES, type Answers, type Application } from '../entities/application.entity';
import { answerSections, fileSize } from './answer-views';
import { filterQueryString, type FilterForm } from './filters-form';
import { APPLICATION_STATUS_TAGS } from './status-tags';

/** "2:05pm, 26 November 2026": short enough for a table cell. */
export function shortLondon(d: Date): string {
  return `${formatLondonDateTime(d).split(' on ')[0]}, ${formatLondonDate(d)}`;
}

/** "3 submitted, 1 draft": how many applications the round has in each status. */
export function statusCounts(all: ApplicationRow[]): string {
  return APPLICATION_STATUSES.map((s) => ({ text: APPLICATION_STATUS_TAGS[s].text.toLowerCase(), n: all.filter((r) => r.application.status === s).length }))
    .filter((c) => c.n)
    .map((c) => `${c.n} ${c.text}`)
    .join(', ');
}

export interface StaffListInput {
  round: FundingRound;
  form: FilterForm;
  /** Every application in the round (for the counts and the references of duplicates). */
  all: ApplicationRow[];
  /** The ones the filters chose (none when the filters have a problem). */
  rows: ApplicationRow[];
  areas: { onsCode: string; name: string }[];
  canManageRounds: boolean;
}

/** A round's applications, filtered, with the filter form's choices. */
export function staffListView({ round, form, all, rows, areas, canManageRounds }: StaffListInput) {
  const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
  const references = new Map(all.map((r) => [r.application.id, r.application.reference]));
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  const typed = form.typed;
  const sel = (value: string, text: string, current: string) => ({ value, text, selected: value === current });
  return {
    round,
    raw: typed,
    filtered: Object.values(typed).some(Boolean),
    csvHref: `/staff/rounds/${round.id}/applications.csv${filterQueryString(typed)}`,
    total: all.length,
    countsText: statusCounts(all),
    canManageRounds,
    totalRequested: formatPounds(sumPence(rows.map((r) => r.application.amountRequestedPence ?? 0))),
    rows: rows.map(({ application: a, organisation: o }) => ({
      id: a.id,
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
    canExtend: input.canExtend && round.state === 'published',
    closesAt: round.closesAt,
    closingMinute: closing,
    extended: closing.getTime() !== round.closesAt.getTime(),
  };
}
