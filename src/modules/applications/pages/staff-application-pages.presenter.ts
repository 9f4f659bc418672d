import { Injectable } from '@nestjs/common';
import { Permission, type Principal } from '../../../platform/access';
import { errorView, type FormError } from '../../../platform/web/forms';
import { AreasService } from '../../areas';
import { type FundingRound, RoundsService } from '../../funds';
import { ApplicationsService } from '../applications.service';
import { type FilterForm, type FilterQuery, readFilterForm } from './filters-form';
import { staffApplicationView, staffListView } from './staff-application-views';

/** What was typed into the screening or extension form, shown again with its problems. */
export interface StaffApplicationForms {
  done?: string;
  screening?: { decision: string; reason: string };
  extension?: Record<string, string>;
  errors?: FormError[];
}

/**
 * Loads what the staff application pages show and shapes it with staff-application-views.ts, so
 * that each page handler only reads the form, calls the service and chooses what comes next.
 */
@Injectable()
export class StaffApplicationPagesPresenter {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly areas: AreasService,
  ) {}

  /** The round (drafts included) and its filters read from the address. */
  async filters(roundId: string, query: FilterQuery): Promise<{ round: FundingRound; form: FilterForm; areaNames: Map<string, string> }> {
    const [round, areas] = await Promise.all([this.rounds.get(roundId, { includeDrafts: true }), this.areas.list()]);
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
    return { round, form: await readFilterForm(query, round, new Set(areaNames.keys())), areaNames };
  }

  async list(me: Principal, round: FundingRound, form: FilterForm) {
    const [all, areas] = await Promise.all([this.applications.listForRound(round.id), this.areas.list()]);
    const rows = form.errors.length ? [] : await this.applications.listForRound(round.id, form.filters);
    const canManageRounds = me.permissions.has(Permission.RoundsManage);
    return { ...staffListView({ round, form, all, rows, areas, canManageRounds }), ...errorView(form.errors) };
  }

  async application(me: Principal, id: string, forms: StaffApplicationForms = {}) {
    const app = await this.applications.getFor(me, id);
    const round = await this.rounds.get(app.roundId, { includeDrafts: true });
    const [snapshot, attachments, areas, closing] = await Promise.all([
      this.applications.snapshot(app.id),
      this.applications.attachments(app.id),
      this.areas.list(),
      this.applications.closingMinuteFor(round, app.organisationId),
    ]);
    const duplicates = await Promise.all(
      app.duplicateFlags.map(async (f) => {
        const other = await this.applications.getFor(me, f.applicationId).catch(() => null);
        return { id: f.applicationId, reference: other?.reference ?? 'Draft', organisation: other?.organisation?.name ?? '', reason: f.reason };
      }),
    );
    const canScreen = me.permissions.has(Permission.ApplicationsScreen);
    const canExtend = me.permissions.has(Permission.RoundsManage);
    return {
      ...staffApplicationView({ app, round, snapshot, attachments, areas, duplicates, closing, canScreen, canExtend }),
      done: forms.done,
      screening: forms.screening ?? { decision: '', reason: '' },
      extensionValues: forms.extension ?? {},
      ...errorView(forms.errors ?? []),
    };
  }
}
