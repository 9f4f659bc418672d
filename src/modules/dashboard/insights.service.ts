import { Injectable } from '@nestjs/common';
import { londonIsoDate } from '@pcc/london-time';
import { ApplicationsService } from '../applications';
import { AreasService } from '../areas';
import { DecisionsService } from '../decisions';
import { FundsService, type FundingRound, RoundsService } from '../funds';
import { type AwardTotal, GrantsService } from '../grants';
import { financialYear, PaymentsService } from '../payments';

/**
 * What the figures are narrowed to, each optional: a fund (its id), a financial year ("2026-27")
 * and a published round (its id). Already checked against the choices (pages/insights-form.ts).
 */
export interface InsightsFilter {
  fundId?: string;
  year?: string;
  roundId?: string;
}

/** What the filters offer: the published rounds, every fund, and the financial years the rounds close in, newest first. */
export interface InsightsChoices {
  rounds: FundingRound[];
  funds: { id: string; code: string; name: string }[];
  years: string[];
}

/** The rounds a set of figures covers: every published round, or those the filter picks (perhaps none). */
export interface InsightsScope {
  rounds: FundingRound[];
  filter: InsightsFilter;
}

/**
 * The financial year (April to March, as the ledger counts them) a round belongs to: the one its
 * closing day falls in, London time. A round's applications, awards and payments all count in its
 * year, so a year's figures are those of whole rounds, as grants officers report a round.
 */
export const roundFinancialYear = (r: FundingRound): string => financialYear(londonIsoDate(r.closesAt));

export interface RoundMoney {
  roundId: string;
  roundName: string;
  /** Applications submitted and not withdrawn. */
  received: number;
  requestedPence: number;
  /** Awards that stand (offered or accepted). */
  awarded: number;
  awardedPence: number;
}

export interface AreaMoney {
  /** Null for organisations based outside the force area or that have not said where. */
  onsCode: string | null;
  name: string;
  awarded: number;
  awardedPence: number;
  population: number | null;
  populationYear: number | null;
  populationSource: string | null;
  /** Pence awarded per 1,000 residents, rounded to the penny; null without a population. */
  perThousandPence: number | null;
}

export interface GroupMoney {
  name: string;
  awarded: number;
  awardedPence: number;
}

export interface RoundDecision {
  roundId: string;
  roundName: string;
  /** When the Commissioner decided the round, or null while it is undecided. */
  decidedAt: Date | null;
  /** Applications in the round when it was decided (submitted, not withdrawn). */
  decided: number;
  /** Of those, how many were offered a grant (whatever became of the offer). */
  offered: number;
  /** Offered as a percentage of decided, to one decimal place; null while undecided or with none decided. */
  successPercent: number | null;
  medianDays: number | null;
}

export interface RoundPayments {
  roundId: string;
  roundName: string;
  committedPence: number;
  paidPence: number;
  /** Committed and not yet paid, from the round's ledger. */
  outstandingPence: number;
  /** Monitoring reports overdue on the round's grants. */
  overdueReports: number;
}

const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);

/**
 * The staff insights' figures (issue 13), one method per figure, each read through the owning
 * module's service: applications for what was asked, grants for what was awarded, decisions for
 * when, payments for the ledger, areas for populations. No table of another module is read here.
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly applications: ApplicationsService,
    private readonly grants: GrantsService,
    private readonly decisions: DecisionsService,
    private readonly payments: PaymentsService,
    private readonly areas: AreasService,
  ) {}

  /** The filters' choices: published rounds (soonest close first), every fund by name, and the rounds' financial years. */
  async choices(): Promise<InsightsChoices> {
    const [rounds, funds] = await Promise.all([this.rounds.list({ publishedOnly: true }), this.funds.listProgrammes()]);
    return {
      rounds,
      funds: funds.map((f) => ({ id: f.id, code: f.code, name: f.name })),
      years: [...new Set(rounds.map(roundFinancialYear))].sort().reverse(),
    };
  }

  /** The published rounds the filter picks: of the fund, closing in the financial year, the one round; every one without a filter. */
  scope(filter: InsightsFilter, choices: InsightsChoices): InsightsScope {
    const rounds = choices.rounds.filter(
      (r) =>
        (!filter.fundId || r.programmeId === filter.fundId) &&
        (!filter.year || roundFinancialYear(r) === filter.year) &&
        (!filter.roundId || r.id === filter.roundId),
    );
    return { rounds, filter };
  }

  private awards(scope: InsightsScope): Promise<AwardTotal[]> {
    return this.grants.awardTotals(scope.rounds.map((r) => r.id));
  }

  /** Applications received, requested and awarded, per round. */
  async byRound(scope: InsightsScope): Promise<RoundMoney[]> {
    const totals = await this.applications.roundTotals(scope.rounds.map((r) => r.id));
    const awards = await this.awards(scope);
    return scope.rounds.map((r) => {
      const t = totals.get(r.id);
      const mine = awards.filter((a) => a.roundId === r.id);
      return {
        roundId: r.id,
        roundName: r.name,
        received: t ? t.countsByStatus.submitted + t.countsByStatus.eligible + t.countsByStatus.ineligible : 0,
        requestedPence: t?.submittedRequestedPence ?? 0,
        awarded: sum(mine, (a) => a.awarded),
        awardedPence: sum(mine, (a) => a.awardedPence),
      };
    });
  }

  /**
   * Awarded per 1,000 residents in each area (the "postcode lottery" view), by where the funded
   * organisation is based. Every area in the force area is listed, those with nothing too; awards to
   * organisations outside it (or that have not said) come last, without a rate.
   */
  async perThousandResidents(scope: InsightsScope): Promise<AreaMoney[]> {
    const awards = await this.awards(scope);
    const areas = await this.areas.populations();
    const rows: AreaMoney[] = areas.map((a) => {
      const mine = awards.filter((w) => w.areaOnsCode === a.onsCode);
      const awardedPence = sum(mine, (w) => w.awardedPence);
      return {
        onsCode: a.onsCode,
        name: a.name,
        awarded: sum(mine, (w) => w.awarded),
        awardedPence,
        population: a.population,
        populationYear: a.year,
        populationSource: a.source,
        perThousandPence: a.population ? Math.round((awardedPence * 1000) / a.population) : null,
      };
    });
    const known = new Set(areas.map((a) => a.onsCode));
    const elsewhere = awards.filter((w) => w.areaOnsCode === null || !known.has(w.areaOnsCode));
    if (elsewhere.some((w) => w.awarded > 0))
      rows.push({
        onsCode: null,
        name: 'Outside the force area or not recorded',
        awarded: sum(elsewhere, (w) => w.awarded),
        awardedPence: sum(elsewhere, (w) => w.awardedPence),
        population: null,
        populationYear: null,
        populationSource: null,
        perThousandPence: null,
      });
    return rows;
  }

  /** Awarded by the application's category, by its name as the rounds give it, largest first. */
  async byCategory(scope: InsightsScope): Promise<GroupMoney[]> {
    return this.grouped(await this.awards(scope), (a) => a.categoryName ?? a.category ?? 'No category');
  }

  /** Awarded by the ring-fence it is paid from, the general pot apart, largest first. */
  async byRingFence(scope: InsightsScope): Promise<GroupMoney[]> {
    return this.grouped(await this.awards(scope), (a) => a.ringFence ?? 'General pot (no ring-fence)');
  }

  private grouped(awards: AwardTotal[], key: (a: AwardTotal) => string): GroupMoney[] {
    const groups = new Map<string, GroupMoney>();
    for (const a of awards) {
      if (!a.awarded) continue;
      const g = groups.get(key(a)) ?? { name: key(a), awarded: 0, awardedPence: 0 };
      g.awarded += a.awarded;
      g.awardedPence += a.awardedPence;
      groups.set(g.name, g);
    }
    return [...groups.values()].sort((x, y) => y.awardedPence - x.awardedPence || x.name.localeCompare(y.name));
  }

  /**
   * Per round: when the Commissioner decided it, how many applications were decided and how many
   * of them were offered a grant (the success rate), and the median days from submission to that
   * decision. A round without an approved awarding decision is shown as not decided yet.
   */
  async decisionsByRound(scope: InsightsScope): Promise<RoundDecision[]> {
    const awards = await this.awards(scope);
    const out: RoundDecision[] = [];
    for (const r of scope.rounds) {
      const decision = await this.decisions.awardingDecision(r.id);
      const decidedAt = decision?.decidedAt ?? null;
      const times = decidedAt ? await this.applications.decisionTimes(r.id, decidedAt) : { decided: 0, medianDays: null };
      const offered = sum(
        awards.filter((a) => a.roundId === r.id),
        (a) => a.offered,
      );
      out.push({
        roundId: r.id,
        roundName: r.name,
        decidedAt,
        decided: times.decided,
        offered: decidedAt ? offered : 0,
        successPercent: decidedAt && times.decided ? Math.round((offered * 1000) / times.decided) / 10 : null,
        medianDays: times.medianDays,
      });
    }
    return out;
  }

  /** Per round: committed, paid and outstanding from its ledger, and its grants' overdue monitoring reports. */
  async paymentsByRound(scope: InsightsScope): Promise<RoundPayments[]> {
    const overdue = await this.grants.overdueReportsByRound();
    const out: RoundPayments[] = [];
    for (const r of scope.rounds) {
      const ledger = await this.payments.ledger(r.id);
      out.push({
        roundId: r.id,
        roundName: r.name,
        committedPence: ledger.round.committedPence,
        paidPence: ledger.round.paidPence,
        outstandingPence: ledger.round.outstandingPence,
        overdueReports: overdue.get(r.id) ?? 0,
      });
    }
    return out;
  }
}
