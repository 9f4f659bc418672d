/**
 * View-models for the applicant's pages: what each template shows, from what the service gives.
 * Pure functions: the presenter (application-pages.presenter.ts) loads, these shape.
 */
import { exclusiveCloseInstant, formatLondonDate, formatLondonDateTime, toLondonLocal } from '@pcc/london-time';
import { ApplicationsErrorCode, ApplicationsException } from '../applications.exceptions';
import type { AppException } from '../../../platform/errors/app-exception';
import { errorView, type FormError } from '../../../platform/web/forms';
import type { FormSection, FundingRound, Question } from '../../funds';
import { checkAnswers, missingRequired, sectionStatus } from '../answers';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import type { Application } from '../entities/application.entity';
import { answerSections } from './answer-views';
import { anchorFor, type FormValues } from './section-form';
import { fieldViews } from './section-views';
import { APPLICATION_STATUS_TAGS } from './status-tags';

/** An error summary entry; `href` is an anchor on the page or, rarely, another page. */
export interface SummaryError {
  text: string;
  href?: string;
}

const SECTION_STATUS = {
  not_started: { tag: { text: 'Not started' } },
  in_progress: { tag: { text: 'In progress', classes: 'govuk-tag--yellow' } },
  completed: { text: 'Completed' },
} as const;

/** Whole London calendar days from one instant to another: 0 on the same day, 1 for tomorrow. */
function londonDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => {
    const l = toLondonLocal(d);
    return Date.UTC(l.year, l.month - 1, l.day) / 86_400_000;
  };
  return day(to) - day(from);
}

/** "closes today at 11:59pm", "closes tomorrow", "closes in 5 days": how near the deadline is. */
export function closesIn(closing: Date, now: Date): string {
  const days = londonDaysBetween(now, closing);
  return days <= 0 ? `closes today at ${formatLondonDateTime(closing).replace(/ on .*$/, '')}` : days === 1 ? 'closes tomorrow' : `closes in ${days} days`;
}

export interface ListedApplication {
  app: Application;
  round: FundingRound;
  /** This organisation's closing minute: the round's, or its extension's. */
  closing: Date;
}

/**
 * "Your applications": one row per application of the person's organisations, each saying what
 * needs doing next — a draft's progress, deadline and a link to carry on; a submitted one's date
 * and that the outcome will follow; a withdrawn one's date.
 */
export function applicationListRows(listed: ListedApplication[], now: Date) {
  return listed.map(({ app, round, closing }) => {
    const href = `/applications/${app.id}`;
    const base = {
      id: app.id,
      round: round.name,
      organisation: app.organisation?.name ?? '',
      reference: app.reference,
      tag: APPLICATION_STATUS_TAGS[app.status],
    };
    if (app.status === 'draft') {
      const sections = round.form.sections;
      const completed = sections.filter((s) => sectionStatus(s, app.answers) === 'completed').length;
      const passed = now >= exclusiveCloseInstant(closing);
      const allDone = completed === sections.length;
      return {
        ...base,
        next: passed
          ? [`${completed} of ${sections.length} sections completed`, `The deadline was ${formatLondonDateTime(closing)}; this application was not submitted`]
          : [`${completed} of ${sections.length} sections completed`, `${upperFirst(closesIn(closing, now))} (${formatLondonDateTime(closing)})`],
        action: passed ? { text: 'View', href } : allDone ? { text: 'Check answers and submit', href: `${href}/check-answers` } : { text: 'Continue', href },
      };
    }
    const when = (d: Date | null) => (d ? formatLondonDate(d) : '');
    const next =
      app.status === 'submitted'
        ? [`Submitted ${when(app.submittedAt)}`, 'We will tell you the outcome']
        : app.status === 'eligible'
          ? [`Submitted ${when(app.submittedAt)}`, 'It passed our eligibility checks and is being assessed. We will tell you the outcome']
          : app.status === 'ineligible'
            ? [`Submitted ${when(app.submittedAt)}`, 'It was not eligible. See the reason on the application']
            : [`Withdrawn ${when(app.withdrawnAt)}`, 'You can start a new application while the round is open'];
    return { ...base, next, action: { text: 'View', href } };
  });
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface Membership {
  organisation: { id: string; name: string };
}

/** The start page: the organisations the person may apply for, and any application they already have. */
export function startView(round: FundingRound, status: string, existing: Application[], memberships: Membership[], chosen: string) {
  return {
    pageTitle: `Start your application to ${round.name}`,
    round,
    status,
    closes: formatLondonDateTime(round.closesAt),
    opens: formatLondonDateTime(round.opensAt),
    existing: existing
      .filter((a) => a.roundId === round.id && a.status !== 'withdrawn')
      .map((a) => ({ id: a.id, organisation: a.organisation?.name, reference: a.reference, tag: APPLICATION_STATUS_TAGS[a.status] })),
    single: memberships.length === 1 ? memberships[0].organisation : null,
    orgItems: memberships.map((m) => ({ value: m.organisation.id, text: m.organisation.name, checked: m.organisation.id === chosen })),
  };
}

/** The organisation chosen on the start page: the only one, or the one ticked if it is theirs. */
export function chosenOrganisation(body: Record<string, unknown>, memberships: Membership[]): { organisationId: string; errors: FormError[] } {
  const posted = typeof body.organisationId === 'string' ? body.organisationId : '';
  const organisationId = posted || (memberships.length === 1 ? memberships[0].organisation.id : '');
  if (memberships.some((m) => m.organisation.id === organisationId)) return { organisationId, errors: [] };
  // Several organisations and none chosen yet (the round page's button) is not a mistake.
  const chose = body.choosing === 'organisation' || 'organisationId' in body;
  return { organisationId, errors: chose ? [{ field: 'organisationId', message: 'Select the organisation you are applying for' }] : [] };
}

/** Where a file answer downloads from for the applicant. */
const applicantFileHref = (app: Application) => (f: ApplicationAttachment) => `/applications/${app.id}/attachments/${f.id}`;

/** A question on its page, coming back to check answers afterwards. */
export function changeHref(app: Application, section: FormSection, q: Question): string {
  return `/applications/${app.id}/sections/${section.id}?returnTo=check-answers#${anchorFor(q, '')}`;
}

export interface Deadline {
  /** This organisation's closing minute: the round's, or its extension's. */
  closing: Date;
  now: Date;
}

/** The task list: sections and their status for a draft, the answers as sent once submitted. */
export function taskListView(
  app: Application,
  round: FundingRound,
  { closing, now }: Deadline,
  attachments: ApplicationAttachment[],
  query: { saved?: string; withdrawn?: string },
) {
  const deadlinePassed = now >= exclusiveCloseInstant(closing);
  const sections = round.form.sections.map((s) => ({ section: s, status: sectionStatus(s, app.answers) }));
  const completed = sections.filter((s) => s.status === 'completed').length;
  const allDone = completed === sections.length;
  const draft = app.status === 'draft';
  const items = [
    ...sections.map(({ section, status }) => ({
      title: { text: section.title },
      href: draft ? `/applications/${app.id}/sections/${section.id}` : undefined,
      status: SECTION_STATUS[status],
    })),
    {
      title: { text: 'Check answers and submit' },
      href: draft && allDone ? `/applications/${app.id}/check-answers` : undefined,
      hint: allDone ? undefined : { text: 'You can do this once every section is completed' },
      status: allDone ? SECTION_STATUS.not_started : { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' },
    },
  ];
  return {
    pageTitle: `${round.name}: your application`,
    app,
    round,
    tag: APPLICATION_STATUS_TAGS[app.status],
    closes: formatLondonDateTime(closing),
    extended: closing.getTime() !== round.closesAt.getTime(),
    deadlinePassed,
    canWithdraw: (draft || app.status === 'submitted') && !deadlinePassed,
    completed,
    total: sections.length,
    items,
    savedSection: round.form.sections.find((s) => s.id === query.saved)?.title,
    withdrawn: query.withdrawn === '1' && app.status === 'withdrawn',
    submittedAt: app.submittedAt ? formatLondonDateTime(app.submittedAt) : null,
    answers: draft ? [] : answerSections(round.form, app.answers, { attachments, fileHref: applicantFileHref(app) }),
  };
}

/** One section's question page, with what the person typed and any problems. */
export function sectionView(
  app: Application,
  round: FundingRound,
  section: FormSection,
  page: { values: FormValues; errors: FormError[]; toCheckAnswers: boolean; closing: Date; attachments: ApplicationAttachment[] },
) {
  const { errorList, errorFor } = errorView(page.errors);
  const index = round.form.sections.indexOf(section);
  return {
    pageTitle: `${section.title} – ${round.name}`,
    app,
    round,
    section,
    position: { index: index + 1, total: round.form.sections.length },
    multipart: section.questions.some((q) => q.type === 'file'),
    returnTo: page.toCheckAnswers ? 'check-answers' : '',
    backHref: page.toCheckAnswers ? `/applications/${app.id}/check-answers` : `/applications/${app.id}`,
    closes: formatLondonDateTime(page.closing),
    fields: fieldViews(section, page.values, errorFor, { applicationId: app.id, attachments: page.attachments, answers: app.answers }),
    errorList,
    errors: errorList,
  };
}

/** The declaration not ticked. */
export const DECLARATION_MISSING: SummaryError = {
  text: 'Confirm that the information in your application is correct and complete',
  href: '#declaration',
};

/** Check answers: every answer with a "Change" link, the deadline, and the declaration. */
export function checkAnswersView(
  app: Application,
  round: FundingRound,
  { closing, now }: Deadline,
  attachments: ApplicationAttachment[],
  emailVerified: boolean,
  errorList: SummaryError[] = [],
) {
  return {
    pageTitle: 'Check your answers before you submit your application',
    app,
    round,
    closes: formatLondonDateTime(closing),
    deadlinePassed: now >= exclusiveCloseInstant(closing),
    emailVerified,
    cards: answerSections(round.form, app.answers, {
      attachments,
      fileHref: applicantFileHref(app),
      changeHref: (s, q) => changeHref(app, s, q),
    }),
    // What stops submission: each unanswered required question, and any answer against the
    // round's rules, linked to its question.
    missing: [...missingRequired(round.form, app.answers), ...checkAnswers(round.form, app.answers, round)].map((e) => ({
      text: e.message,
      href: questionHref(app, round, e.field.split('.').slice(0, 2).join('.')),
    })),
    errorList,
    errors: errorList,
    errorFor: errorList.includes(DECLARATION_MISSING) ? { declaration: { text: DECLARATION_MISSING.text } } : {},
  };
}

/** The question page for an `answers.<id>` field, at the question. */
export function questionHref(app: Application, round: FundingRound, field: string): string | undefined {
  const qid = field.startsWith('answers.') ? field.slice('answers.'.length) : field;
  const section = round.form.sections.find((s) => s.questions.some((q) => q.id === qid));
  const q = section?.questions.find((x) => x.id === qid);
  return section && q ? changeHref(app, section, q) : undefined;
}

/** Why submitting was refused, each unanswered or wrong answer linked to its question's page. */
export function submitErrors(err: AppException, app: Application, round: FundingRound, email: string): SummaryError[] {
  if (err.details?.length) {
    const each = err.details.map((d) => ({ text: d.message, href: questionHref(app, round, d.field) }));
    return err instanceof ApplicationsException && err.code === ApplicationsErrorCode.Incomplete ? [{ text: err.message }, ...each] : each;
  }
  if (err instanceof ApplicationsException && err.code === ApplicationsErrorCode.EmailNotVerified) {
    return [{ text: `${err.message}. We sent a link to ${email}; you can ask for a new one on your account page.`, href: '/account' }];
  }
  return [{ text: err.message }];
}

/** Why starting was refused: each eligibility problem, or the one reason. */
export function startErrors(err: AppException): SummaryError[] {
  return err instanceof ApplicationsException && err.code === ApplicationsErrorCode.Ineligible && err.details?.length
    ? err.details.map((d) => ({ text: d.message }))
    : [{ text: err.message }];
}
