import { Injectable } from '@nestjs/common';
import { Permission, type Principal } from '../../../platform/access';
import { errorView, type FormError } from '../../../platform/web/forms';
import { AreasService } from '../../areas';
import { type FundingRound, RoundsService } from '../../funds';
import { ApplicationsService } from '../applications.service';
import { type FilterForm, type FilterQuery, type ListPlace, readFilterForm, readListPlace } from './filters-form';
import { listNavigation, staffApplicationView, staffListView } from './staff-application-views';
import { safeReturnTo } from '../../../platform/http/paging';

/** What was typed into the screening or extension form, shown again with its problems. */
export interface StaffApplicationForms {
  done?: string;
  /** The list page the person came from, to go back to and to page through. */
  returnTo?: unknown;
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

  /** The round (drafts included), its filters and the place in the list (search, sort, page) read from the address. */
  async filters(
    roundId: string,
    query: FilterQuery & Record<string, unknown>,
  ): Promise<{ round: FundingRound; form: FilterForm; place: ListPlace; areaNames: Map<string, string> }> {
    const [round, areas] = await Promise.all([this.rounds.get(roundId, { includeDrafts: true }), this.areas.list()]);
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
    const form = await readFilterForm(query, round, new Set(areaNames.keys()));
    const place = await readListPlace(query, form.errors);
    return { round, form, place, areaNames };
  }

  /** One page of the round's list, with the round's honest totals (one grouped query). */
  async list(me: Principal, round: FundingRound, form: FilterForm, place: ListPlace) {
    const [found, totals, areas] = await Promise.all([
      form.errors.length
        ? Promise.resolve({ rows: [], total: 0, limit: place.limit, page: place.page })
        : this.applications.pageForRound(round.id, { filters: form.filters, q: place.q, sort: place.sort, page: place.page, limit: place.limit }),
      this.applications.roundTotals([round.id]),
      this.areas.list(),
    ]);
    const references = await this.applications.duplicateReferences(found.rows);
    const canManageRounds = me.permissions.has(Permission.RoundsManage);
    return {
      ...staffListView({ round, form, place, found, totals: totals.get(round.id)!, references, areas, canManageRounds }),
      ...errorView(form.errors),
    };
  }

  /**
   * Where the application sits in the list the person came from (`returnTo`, one of this round's
   * list pages): the back link to the page that holds it, and its previous and next.
   */
  private async navigation(roundId: string, id: string, returnTo: unknown) {
    const listPath = `/staff/rounds/${roundId}/applications`;
    const back = safeReturnTo(returnTo, listPath, listPath);
    const at = new URL(back, 'http://list.invalid');
    if (at.pathname !== listPath) return listNavigation(listPath, listPath, null, {}, null);
    const query = Object.fromEntries(at.searchParams.entries());
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    const areas = await this.areas.list();
    const form = await readFilterForm(query, round, new Set(areas.map((a) => a.onsCode)));
    const place = await readListPlace(query, form.errors);
    if (form.errors.length) return listNavigation(listPath, back, null, form.typed, place);
    const neighbours = await this.applications.neighboursInList(roundId, id, { filters: form.filters, q: place.q, sort: place.sort });
    return listNavigation(listPath, back, neighbours, form.typed, place);
  }

  async application(me: Principal, id: string, forms: StaffApplicationForms = {}) {
    const app = await this.applications.getFor(me, id);
    const round = await this.rounds.get(app.roundId, { includeDrafts: true });
    const list = await this.navigation(app.roundId, app.id, forms.returnTo);
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
    const org = app.organisation!;
    const eligibility = this.rounds.eligibilityProblems(round, {
      organisationType: org.type,
      areaOnsCode: org.areaOnsCode,
      outsideForceArea: org.outsideForceArea,
      amountPence: app.amountRequestedPence,
    });
    return {
      ...staffApplicationView({ app, round, snapshot, attachments, areas, duplicates, closing, canScreen, canExtend, eligibility }),
      list,
      // Assessment's page for this application, for those who moderate, once it has been screened eligible.
      assessmentsHref: me.permissions.has(Permission.ModerationManage) && app.status === 'eligible' ? `/staff/applications/${app.id}/assessments` : null,
      done: forms.done,
      screening: forms.screening ?? { decision: '', reason: '' },
      extensionValues: forms.extension ?? {},
      ...errorView(forms.errors ?? []),
    };
  }
}
