import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { AreasService, OUTSIDE_AREA } from '../../areas';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, parsePounds } from '@pcc/money';
import type { Request, Response } from 'express';
import type { FieldError } from '../../../platform/errors/app-exception';
import { errorView } from '../../../platform/web/forms';
import { Permission, Public } from '../../../platform/access';
import { ORGANISATION_TYPE_NAMES, type OrganisationType } from '../../identity';
import { FundsService } from '../funds.service';
import type { FundingRound } from '../entities/funding-round.entity';
import { RoundsService, type RoundStatus } from '../rounds.service';
import { IdPipe } from '../../../platform/http/id.pipe';

/** The value the area list uses for "Outside the West Midlands" (as on the organisation form). */

/** The public pages about funds and rounds: they work before anyone signs in. */
@Public()
@Controller()
export class FundsPagesController {
  constructor(
    private readonly funds: FundsService,
    private readonly areasService: AreasService,
    private readonly rounds: RoundsService,
  ) {}

  /** The service's start page: what the funds are for, and where to begin. */
  @ApiExcludeEndpoint()
  @Get()
  async start(@Res() res: Response) {
    const [programmes, rounds] = await Promise.all([this.funds.listProgrammes(), this.rounds.list({ publishedOnly: true })]);
    const now = new Map(rounds.map((r) => [r.id, this.rounds.statusOf(r)]));
    // Each fund's name leads to its round open now (or opening next); a fund with neither, to the list of funds.
    const current = (programmeId: string) =>
      rounds.find((r) => r.programmeId === programmeId && now.get(r.id) === 'open') ??
      rounds.find((r) => r.programmeId === programmeId && now.get(r.id) === 'upcoming');
    return res.render('funds/views/start.njk', {
      programmes: programmes.map((p) => {
        const round = current(p.id);
        return { name: p.name, summary: p.summary, href: round ? `/funds/${round.id}` : '/funds' };
      }),
    });
  }
  /** Open and upcoming rounds, soonest deadline first, each with its deadline in London time. */
  @ApiExcludeEndpoint()
  @Get('funds')
  async fundsPage(@Res() res: Response) {
    const rounds = (await this.rounds.list({ publishedOnly: true }))
      .map((r) => ({ round: r, status: this.rounds.statusOf(r) }))
      .filter((r) => r.status === 'open' || r.status === 'upcoming');
    return res.render('funds/views/funds.njk', {
      open: rounds.filter((r) => r.status === 'open').map((r) => roundSummary(r.round, r.status)),
      upcoming: rounds.filter((r) => r.status === 'upcoming').map((r) => roundSummary(r.round, r.status)),
    });
  }
  /**
   * A round: its guidance, money, dates and exclusions, and a quick eligibility checker (a GET
   * form, so it works before sign-in and without JavaScript). Starting an application is a POST
   * to the applications pages.
   */
  @ApiExcludeEndpoint()
  @Get('funds/:roundId')
  async roundPage(@Param('roundId', IdPipe) roundId: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(roundId);
    const status = this.rounds.statusOf(round);
    const areas = await this.areasService.list();
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));

    // The checker: only when the form was sent (any of its fields present).
    const sent = ['organisationType', 'area', 'amount'].some((k) => k in query);
    const values = {
      organisationType: typeof query.organisationType === 'string' ? query.organisationType : '',
      area: typeof query.area === 'string' ? query.area : '',
      amount: typeof query.amount === 'string' ? query.amount.trim().slice(0, 30) : '',
    };
    let result: { eligible: boolean; problems: string[]; amountText?: string } | null = null;
    const errors: FieldError[] = [];
    if (sent) {
      // Own keys only: `in` would also accept "constructor" or "toString".
      if (!Object.hasOwn(ORGANISATION_TYPE_NAMES, values.organisationType))
        errors.push({ field: 'organisationType', rule: 'isIn', message: 'Select your type of organisation' });
      if (values.area !== OUTSIDE_AREA && !areaNames.has(values.area))
        errors.push({ field: 'area', rule: 'isIn', message: 'Select where your organisation is based' });
      const amountPence = values.amount ? parsePounds(values.amount) : null;
      if (values.amount && amountPence === null) errors.push({ field: 'amount', rule: 'isPounds', message: 'Enter the amount in pounds, like 5000 or 5,000' });
      if (!errors.length) {
        const problems = this.rounds.eligibilityProblems(round, {
          organisationType: values.organisationType,
          areaOnsCode: values.area === OUTSIDE_AREA ? null : values.area,
          outsideForceArea: values.area === OUTSIDE_AREA,
          amountPence,
        });
        result = {
          eligible: problems.length === 0,
          problems: problems.map((p) => p.message),
          amountText: amountPence !== null ? formatPounds(amountPence) : undefined,
        };
      }
    }

    const me = req.principal;
    return res.render('funds/views/round.njk', {
      pageTitle: round.name,
      round,
      status,
      summary: roundSummary(round, status),
      guidance: paragraphs(round.guidance),
      exclusions: round.programme?.exclusions ?? [],
      ringFences: (round.ringFences ?? []).map((f) => ({ name: f.name, amount: formatPounds(f.amountPence) })),
      orgTypes: round.eligibleOrgTypes.length ? round.eligibleOrgTypes.map((t) => ORGANISATION_TYPE_NAMES[t as OrganisationType] ?? t) : null,
      areaList: round.eligibleAreas.length ? round.eligibleAreas.map((c) => areaNames.get(c) ?? c) : areas.map((a) => a.name),
      checker: {
        values,
        typeItems: Object.entries(ORGANISATION_TYPE_NAMES).map(([value, text]) => ({ value, text, checked: values.organisationType === value })),
        areaItems: [
          { value: '', text: 'Select an area' },
          ...areas.map((a) => ({ value: a.onsCode, text: a.name, selected: values.area === a.onsCode })),
          { value: OUTSIDE_AREA, text: 'Outside the West Midlands', selected: values.area === OUTSIDE_AREA },
        ],
        result,
      },
      // Who is looking decides the call to action: applicants start (the applications pages ask
      // which organisation, or to add one), people signed out are asked to sign in first, staff
      // cannot apply.
      viewer: !me ? 'anonymous' : me.permissions.has(Permission.ApplicationsApply) ? 'applicant' : 'staff',
      ...(errors.length ? { errors, ...errorView(errors) } : {}),
    });
  }
}

function roundSummary(r: FundingRound, status: RoundStatus) {
  return {
    id: r.id,
    name: r.name,
    programme: r.programme?.name,
    summary: r.summary,
    status,
    opens: formatLondonDateTime(r.opensAt),
    closes: formatLondonDateTime(r.closesAt),
    budget: formatPounds(r.totalBudgetPence),
    minGrant: formatPounds(r.minGrantPence),
    maxGrant: formatPounds(r.maxGrantPence),
  };
}

/** Guidance is plain text with blank lines between paragraphs. */
function paragraphs(text: string): string[] {
  return (text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
