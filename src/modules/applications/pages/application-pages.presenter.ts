import { Injectable } from '@nestjs/common';
import { formatLondonDateTime } from '@pcc/london-time';
import { Clock } from '../../../platform/clock';
import type { Principal } from '../../../platform/access';
import type { FormError } from '../../../platform/web/forms';
import { type FormSection, type FundingRound, RoundsService } from '../../funds';
import { OrganisationsService } from '../../identity';
import { ApplicationsException } from '../applications.exceptions';
import { ApplicationsService } from '../applications.service';
import type { Application } from '../entities/application.entity';
import {
  applicationListRows,
  checkAnswersView,
  type Deadline,
  type Membership,
  sectionView,
  startView,
  type SummaryError,
  taskListView,
} from './application-views';
import type { FormValues } from './section-form';

/**
 * Loads what the applicant's pages show and shapes it with application-views.ts, so that each
 * page handler only reads the form, calls the service and chooses what comes next.
 */
@Injectable()
export class ApplicationPagesPresenter {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly clock: Clock,
  ) {}

  /** The person's own application (or any, for staff who may view all) and its round. */
  async load(me: Principal, id: string): Promise<{ app: Application; round: FundingRound }> {
    const app = await this.applications.getFor(me, id);
    return { app, round: await this.rounds.get(app.roundId, { includeDrafts: true }) };
  }

  async loadSection(me: Principal, id: string, sectionId: string): Promise<{ app: Application; round: FundingRound; section: FormSection }> {
    const { app, round } = await this.load(me, id);
    const section = round.form.sections.find((s) => s.id === sectionId);
    if (!section) throw ApplicationsException.notFound();
    return { app, round, section };
  }

  memberships(me: Principal): Promise<Membership[]> {
    return this.organisations.forUser(me.id);
  }

  async list(me: Principal) {
    const [apps, memberships] = await Promise.all([this.applications.forOrganisationsOf(me), this.memberships(me)]);
    // A draft's deadline may be its organisation's extension; the form (with its sections) is the round's.
    const rounds = new Map<string, Promise<FundingRound>>();
    const roundOf = (id: string) => rounds.get(id) ?? rounds.set(id, this.rounds.get(id, { includeDrafts: true })).get(id)!;
    const listed = await Promise.all(
      apps.map(async (app) => {
        const round = await roundOf(app.roundId);
        const closing = app.status === 'draft' ? await this.applications.closingMinuteFor(round, app.organisationId) : round.closesAt;
        return { app, round, closing };
      }),
    );
    return { pageTitle: 'Your applications', hasOrganisations: memberships.length > 0, rows: applicationListRows(listed, this.clock.now()) };
  }

  async start(me: Principal, round: FundingRound, memberships: Membership[], chosen: string, errors: FormError[] = []) {
    const view = startView(round, this.rounds.statusOf(round), await this.applications.forOrganisationsOf(me), memberships, chosen);
    const first = errors[0];
    return {
      ...view,
      errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      errorFor: first ? { [first.field]: { text: first.message } } : {},
    };
  }

  async taskList(me: Principal, id: string, query: { saved?: string; withdrawn?: string }) {
    const { app, round } = await this.load(me, id);
    const attachments = app.status === 'draft' ? [] : await this.applications.attachments(app.id);
    return taskListView(app, round, await this.deadline(app, round), attachments, query);
  }

  async section(app: Application, round: FundingRound, section: FormSection, page: { values: FormValues; errors: FormError[]; toCheckAnswers: boolean }) {
    const attachments = section.questions.some((q) => q.type === 'file') ? await this.applications.attachments(app.id) : [];
    const { closing } = await this.deadline(app, round);
    return sectionView(app, round, section, { ...page, closing, attachments });
  }

  async checkAnswers(me: Principal, app: Application, round: FundingRound, errorList: SummaryError[] = []) {
    const [attachments, deadline] = await Promise.all([this.applications.attachments(app.id), this.deadline(app, round)]);
    return checkAnswersView(app, round, deadline, attachments, me.emailVerified, errorList);
  }

  submitted(me: Principal, app: Application, round: FundingRound) {
    const recipients = [...new Set([me.email, app.organisation?.contactEmail].filter((e): e is string => !!e))];
    return { pageTitle: 'Application submitted', app, round, recipients, submittedAt: formatLondonDateTime(app.submittedAt!) };
  }

  async withdraw(app: Application, round: FundingRound) {
    const { closing } = await this.deadline(app, round);
    return { pageTitle: 'Withdraw your application', app, round, closes: formatLondonDateTime(closing) };
  }

  private async deadline(app: Application, round: FundingRound): Promise<Deadline> {
    return { closing: await this.applications.closingMinuteFor(round, app.organisationId), now: this.clock.now() };
  }
}
