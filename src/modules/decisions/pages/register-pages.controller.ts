import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../platform/access';
import { type ListState, PageQueryDto, paginationFor } from '../../../platform/http/paging';
import { errorView, firstQueryValues, readForm } from '../../../platform/web/forms';
import { forwardPlanItem, registerItem, registerRecord } from '../api/decisions-api.controller';
import { formatPounds } from '@pcc/money';
import { DecisionNumberPipe } from '../api/decision-number.pipe';
import { DecisionsService } from '../decisions.service';
import { RegisterQueryDto } from '../dto/decisions.dto';

/**
 * The public register of the Commissioner's decisions, as the Specified Information Order asks:
 * published decisions (and rejected or withdrawn ones, which keep their numbers), newest first,
 * by year. A confidential decision shows only its number, date, title and what it relates to.
 */
@ApiExcludeController()
@Public()
@Controller('decisions')
export class RegisterPagesController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['year', 'page', 'limit']);
    const { value, errors } = await readForm(RegisterQueryDto, typed);
    const q = errors.length ? { limit: 50, page: 1 } : value;
    const { items, total } = await this.decisions.register(q);
    const state: ListState = { path: '/decisions', filters: { year: q.year ? String(q.year) : undefined }, page: q.page, limit: q.limit };
    return res.status(errors.length ? 400 : 200).render('decisions/views/register.njk', {
      year: typed.year ?? '',
      total,
      rows: items.map((d) => ({ ...registerItem(d), href: `/decisions/${registerItem(d).number}` })),
      pagination: paginationFor(state, total),
      ...errorView(errors.map((e) => ({ ...e, field: e.field === 'year' ? 'year' : e.field }))),
    });
  }

  /** The forward plan: declared before ':number', which would otherwise take "forward-plan" for a number. */
  @Get('forward-plan')
  async forwardPlan(@Req() req: Request, @Res() res: Response) {
    const { value, errors } = await readForm(PageQueryDto, firstQueryValues(req.query, ['page', 'limit']));
    const q = errors.length ? { limit: 50, page: 1 } : value;
    const { items, total } = await this.decisions.forwardPlan(q);
    const state: ListState = { path: '/decisions/forward-plan', page: q.page, limit: q.limit };
    return res.status(errors.length ? 400 : 200).render('decisions/views/forward-plan.njk', {
      total,
      rows: items.map(forwardPlanItem),
      pagination: paginationFor(state, total),
      ...errorView(errors),
    });
  }

  @Get(':number')
  async show(@Param('number', DecisionNumberPipe) number: string, @Res() res: Response) {
    const d = registerRecord(await this.decisions.onRegister(number));
    const paragraphs = (text: string | null) =>
      (text ?? '')
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean);
    const implications = d.implications ?? {};
    return res.render('decisions/views/decision.njk', {
      d,
      sections: [
        ['Background', d.background],
        ['Legal implications', implications.legal],
        ['Equality implications', implications.equality],
        ['Human rights implications', implications.humanRights],
        ['Sustainability implications', implications.sustainability],
        ['Risk', implications.risk],
        ['Options considered', d.optionsConsidered],
        ['Consultation', d.consultation],
        ['Reasons', d.reasons],
      ]
        .map(([heading, text]) => ({ heading, paragraphs: paragraphs(text ?? null) }))
        .filter((x) => x.paragraphs.length),
      financial: d.financialImplications && {
        total: formatPounds(d.financialImplications.totalPence),
        budget: formatPounds(d.financialImplications.budgetPence),
        pots: d.financialImplications.pots.map((p) => ({ name: p.name, amount: formatPounds(p.amountPence), awarded: formatPounds(p.awardedPence) })),
      },
      awards: (d.awards ?? []).map((a) => ({ ...a, amount: formatPounds(a.amountPence) })),
    });
  }
}
