import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../platform/access';
import { type ListState, paginationFor } from '../../../platform/http/paging';
import { errorView, firstQueryValues, readForm } from '../../../platform/web/forms';
import { registerItem } from '../api/decisions-api.controller';
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

  @Get(':number')
  async show(@Param('number', DecisionNumberPipe) number: string, @Res() res: Response) {
    return res.render('decisions/views/decision.njk', { d: registerItem(await this.decisions.onRegister(number)) });
  }
}
