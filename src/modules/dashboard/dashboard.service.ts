import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock';
import { type FundingRound, RoundsService, type RoundStatus } from '../funds';
import { ApplicationsService, type RoundTotals } from '../applications';

/** A round the fund managers are working on, with its applications' numbers. */
export interface RoundSummary {
  round: FundingRound;
  status: RoundStatus;
  totals: RoundTotals;
}

const NO_APPLICATIONS: RoundTotals = {
  countsByStatus: { draft: 0, submitted: 0, withdrawn: 0, eligible: 0, ineligible: 0 },
  submittedRequestedPence: 0,
  draftRequestedPence: 0,
  byCategory: {},
  byArea: {},
  screeningOutstanding: 0,
};

/** The staff dashboard's numbers, from the services that own them (never their tables). */
@Injectable()
export class DashboardService {
  constructor(
    private readonly rounds: RoundsService,
    private readonly applications: ApplicationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Every open or closed round, soonest closing first. A closed round stays until it is finished;
   * nothing finishes a round yet (decisions come later), so every closed round is shown.
   */
  async activeRounds(now: Date = this.clock.now()): Promise<RoundSummary[]> {
    const rounds = (await this.rounds.list({ publishedOnly: true }))
      .map((round) => ({ round, status: this.rounds.statusOf(round, now) }))
      .filter(({ status }) => status === 'open' || status === 'closed');
    if (!rounds.length) return [];
    const totals = await this.applications.roundTotals(rounds.map(({ round }) => round.id));
    return rounds.map((r) => ({ ...r, totals: totals.get(r.round.id) ?? NO_APPLICATIONS }));
  }

  /** Every published round, for staff who read applications but do not run rounds. */
  async publishedRounds(now: Date = this.clock.now()): Promise<{ round: FundingRound; status: RoundStatus }[]> {
    return (await this.rounds.list({ publishedOnly: true })).map((round) => ({ round, status: this.rounds.statusOf(round, now) }));
  }
}
