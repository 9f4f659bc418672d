import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { RoundsService } from '../../funds';
import { DecisionsService } from '../decisions.service';
import { DecisionDraftDto, DecisionRecordsQueryDto, RejectionDto } from '../dto/decisions.dto';
import { decisionBody, decisionValues, onForm, postedValues } from './decision-form';
import { recordView, recordsView } from './decision-views';

const LIST = 'decisions/views/staff-decisions.njk';
const RECORD = 'decisions/views/staff-decision.njk';
const FORM = 'decisions/views/staff-decision-form.njk';

/**
 * Decision records for the staff who draft them (fund managers) and decide them (the
 * Commissioner): the list, a record in full with the steps its state allows, and the drafting form.
 */
@ApiExcludeController()
@Controller('staff/decisions')
export class StaffDecisionsPagesController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly rounds: RoundsService,
  ) {}

  @RequireAnyPermission(Permission.DecisionsDraft, Permission.DecisionsApprove)
  @Get()
  async list(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['status', 'page', 'limit']);
    const { value, errors } = await readForm(DecisionRecordsQueryDto, { ...typed, status: typed.status || undefined });
    const q = errors.length ? { page: 1, limit: 50 } : value;
    const result = await this.decisions.listRecords({ statuses: q.status ? [q.status] : undefined, limit: q.limit, page: q.page });
    return res.status(errors.length ? 400 : 200).render(LIST, { ...recordsView(result, q, me), ...errorView(errors) });
  }

  @RequirePermission(Permission.DecisionsDraft)
  @Get('new')
  async newForm(@Res() res: Response) {
    return res.render(FORM, { values: {}, action: '/staff/decisions', roundItems: await this.roundItems('') });
  }

  @RequirePermission(Permission.DecisionsDraft)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post()
  async create(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const { body, errors: formErrors } = decisionBody(fields);
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render(FORM, {
        values: postedValues(fields),
        action: '/staff/decisions',
        roundItems: await this.roundItems(str(fields.delegatedRoundId)),
        ...errorView(onForm(errs, body)),
      });
    const { value, errors } = await readForm(DecisionDraftDto, body, { refuseUnknownFields: true });
    if (errors.length || formErrors.length) return rerender([...formErrors, ...errors]);
    try {
      const d = await this.decisions.draft(me, value);
      return res.redirect(303, `/staff/decisions/${d.id}?drafted=1`);
    } catch (err) {
      if (refusedOnForm(err)) return rerender(err.details ?? [{ field: 'title', message: err.message }], err.status);
      throw err;
    }
  }

  @RequireAnyPermission(Permission.DecisionsDraft, Permission.DecisionsApprove)
  @Get(':id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('drafted') drafted: unknown, @Res() res: Response) {
    return res.render(RECORD, { ...(await this.record(id, me)), drafted: drafted === '1' });
  }

  @RequirePermission(Permission.DecisionsDraft)
  @Get(':id/edit')
  async edit(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const d = await this.decisions.get(id);
    if (d.status !== 'draft') return res.redirect(303, `/staff/decisions/${id}`);
    return res.render(FORM, {
      values: decisionValues(d),
      action: `/staff/decisions/${id}`,
      d,
      number: this.decisions.numberOf(d),
      roundItems: await this.roundItems(d.delegatedRoundId ?? ''),
    });
  }

  @RequirePermission(Permission.DecisionsDraft)
  @HttpCode(HttpStatus.OK)
  @Post(':id')
  async update(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const { body, errors: formErrors } = decisionBody(fields);
    const d = await this.decisions.get(id);
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render(FORM, {
        values: postedValues(fields),
        action: `/staff/decisions/${id}`,
        d,
        number: this.decisions.numberOf(d),
        roundItems: await this.roundItems(str(fields.delegatedRoundId)),
        ...errorView(onForm(errs, body)),
      });
    const { value, errors } = await readForm(DecisionDraftDto, body, { refuseUnknownFields: true });
    if (errors.length || formErrors.length) return rerender([...formErrors, ...errors]);
    try {
      await this.decisions.update(me, id, value);
      return res.redirect(303, `/staff/decisions/${id}`);
    } catch (err) {
      if (refusedOnForm(err)) return rerender(err.details ?? [{ field: 'title', message: err.message }], err.status);
      throw err;
    }
  }

  @RequirePermission(Permission.DecisionsDraft)
  @HttpCode(HttpStatus.OK)
  @Post(':id/submit')
  submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.step(me, id, res, () => this.decisions.submit(me, id));
  }

  @RequirePermission(Permission.DecisionsApprove)
  @HttpCode(HttpStatus.OK)
  @Post(':id/approve')
  approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.step(me, id, res, () => this.decisions.approve(me, id));
  }

  @RequirePermission(Permission.DecisionsPublish)
  @HttpCode(HttpStatus.OK)
  @Post(':id/publish')
  publish(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.step(me, id, res, () => this.decisions.publish(me, id));
  }

  @RequirePermission(Permission.DecisionsApprove)
  @HttpCode(HttpStatus.OK)
  @Post(':id/reject')
  reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.withReason(me, id, req, res, 'rejectReason', (reason) => this.decisions.reject(me, id, reason));
  }

  @RequirePermission(Permission.DecisionsDraft)
  @HttpCode(HttpStatus.OK)
  @Post(':id/withdraw')
  withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.withReason(me, id, req, res, 'withdrawReason', (reason) => this.decisions.withdraw(me, id, reason));
  }

  /** A record's view, with the name of the round a budget decision delegates awards in. */
  private async record(id: string, me: Principal) {
    const d = await this.decisions.get(id);
    const round = d.delegatedRoundId ? await this.rounds.get(d.delegatedRoundId, { includeDrafts: true }) : null;
    return recordView(d, me, round?.name);
  }

  /** The rounds a budget decision can delegate awards in, for the form's select. */
  private async roundItems(selected: string) {
    const rounds = await this.rounds.list({ publishedOnly: false });
    return [
      { value: '', text: 'Not a budget decision', selected: !selected },
      ...rounds.map((r) => ({ value: r.id, text: r.name, selected: r.id === selected })),
    ];
  }

  /** One step of the record's life from its page: back to the record, or the record again with the refusal. */
  private async step(me: Principal, id: string, res: Response, act: () => Promise<unknown>, field = 'actions', values: Record<string, string> = {}) {
    try {
      await act();
      return res.redirect(303, `/staff/decisions/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      const errors = (err.details ?? [{ field, message: err.message }]).map((e) => ({ ...e, field: e.field === 'reason' ? field : e.field }));
      return res.status(err.status).render(RECORD, { ...(await this.record(id, me)), values, ...errorView(errors) });
    }
  }

  private async withReason(me: Principal, id: string, req: Request, res: Response, field: string, act: (reason: string) => Promise<unknown>) {
    const posted = str((req.body as Record<string, unknown> | undefined)?.[field]);
    const { value, errors } = await readForm(RejectionDto, { reason: posted });
    if (errors.length)
      return res.status(400).render(RECORD, {
        ...(await this.record(id, me)),
        values: { [field]: posted },
        ...errorView(errors.map((e) => ({ ...e, field }))),
      });
    return this.step(me, id, res, () => act(value.reason), field, { [field]: posted });
  }
}
