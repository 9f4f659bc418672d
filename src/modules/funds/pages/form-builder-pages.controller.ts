import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission, RequirePermission } from '../../../platform/access';
import { AppException, type FieldError } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, str } from '../../../platform/web/forms';
import type { FundingRound } from '../entities/funding-round.entity';
import type { FormDefinition, Question } from '../form-definition';
import { settingsLocked } from '../round-status';
import { AreasService } from '../../areas';
import { RoundsService } from '../rounds.service';
import {
  copyOf,
  CORE_QUESTIONS,
  definitionErrorsOnPage,
  exportOf,
  findSection,
  idFrom,
  isListKind,
  listRowsOf,
  type ListKind,
  type ListRow,
  postedRows,
  readList,
  move,
  postedQuestionValues,
  questionFormValues,
  questionIds,
  readImport,
  readQuestionForm,
  readSectionForm,
  roundInputProblems,
  roundInputWith,
} from './form-builder-form';
import {
  importPageView,
  listPageView,
  outlineHref,
  outlineView,
  previewView,
  questionPageView,
  removePageView,
  sectionHref,
  sectionPageView,
} from './form-builder-views';

const V = 'funds/views';
/** An exported form is a few tens of kilobytes; a megabyte is plenty. */
const IMPORT_MAX_BYTES = 1_000_000;
const NEW_QUESTION_VALUES = { type: '', label: '', hint: '', required: 'yes' };

/**
 * The form builder: fund managers build a round's application form section by section and
 * question by question with ordinary GOV.UK forms, preview each section as applicants will see
 * it, and copy a form between rounds as JSON. Every change reads the round, changes its form and
 * saves the whole round through RoundsService.update, so the service's rules decide; once the
 * round is open the form is locked and the outline is read-only.
 */
@ApiExcludeController()
@Controller('staff/rounds/:id/form')
export class FormBuilderPagesController {
  constructor(
    private readonly rounds: RoundsService,
    private readonly areas: AreasService,
  ) {}

  // ---- the outline ----------------------------------------------------------------------------

  @RequirePermission(Permission.RoundsManage)
  @Get()
  async outline(@Param('id', IdPipe) id: string, @Query('saved') saved: unknown, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return this.renderOutline(res, round, { saved: typeof saved === 'string' ? saved : undefined });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/move')
  async moveSection(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Body('direction') direction: unknown, @Res() res: Response) {
    return this.change(res, id, (round, form) => {
      const found = this.section(form, sectionId);
      return move(form.sections, found.index, str(direction)) ? { form, saved: 'moved' } : { saved: '' };
    });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/questions/:questionId/move')
  async moveQuestion(
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Param('questionId') questionId: string,
    @Body('direction') direction: unknown,
    @Res() res: Response,
  ) {
    return this.change(res, id, (round, form) => {
      const { section } = this.section(form, sectionId);
      const qi = section.questions.findIndex((q) => q.id === questionId);
      if (qi < 0) throw new NotFoundException();
      return move(section.questions, qi, str(direction)) ? { form, saved: 'moved' } : { saved: '' };
    });
  }

  // ---- sections -------------------------------------------------------------------------------

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/new')
  async newSectionPage(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    return this.renderSection(res, round, { title: '' });
  }

  /** A section needs a question, so a new section's title is carried to the page for its first question. */
  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/new')
  async newSection(@Param('id', IdPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const { title, errors } = readSectionForm(body);
    if (errors.length) return this.renderSection(res, round, { title, errors }, 400);
    return this.renderQuestion(res, round, { newSectionTitle: title, values: NEW_QUESTION_VALUES });
  }

  /** The first question of a new section: both are saved together. */
  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/new/questions/new')
  async newSectionWithQuestion(@Param('id', IdPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const section = readSectionForm({ title: (body as Record<string, unknown> | null)?.sectionTitle });
    if (section.errors.length) return this.renderSection(res, round, { title: section.title, errors: section.errors }, 400);
    const form = copyOf(round.form);
    const { question, errors } = await readQuestionForm(body, undefined, questionIds(form));
    const page = { newSectionTitle: section.title, values: postedQuestionValues(body) };
    if (errors.length) return this.renderQuestion(res, round, { ...page, errors }, 400);
    form.sections.push({ id: idFrom(section.title, new Set(form.sections.map((s) => s.id)), 's'), title: section.title, questions: [question] });
    const at = { sectionIndex: form.sections.length - 1, questionIndex: 0, type: question.type };
    return this.save(res, round, form, 'question', (problems) =>
      this.renderQuestion(res, round, { ...page, errors: definitionErrorsOnPage(problems, at, 'label') }, 400),
    );
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId')
  async sectionPage(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const { section } = this.section(round.form, sectionId);
    return this.renderSection(res, round, { sectionId, title: section.title });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId')
  async updateSection(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Body() body: unknown, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const form = copyOf(round.form);
    const { section } = this.section(form, sectionId);
    const { title, errors } = readSectionForm(body);
    if (errors.length) return this.renderSection(res, round, { sectionId, title, errors }, 400);
    section.title = title;
    return this.save(res, round, form, 'section', (problems) =>
      this.renderSection(res, round, { sectionId, title, errors: definitionErrorsOnPage(problems, {}, 'title') }, 400),
    );
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId/remove')
  async removeSectionPage(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    return this.renderRemove(res, round, this.removeSectionPage_(round, sectionId));
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/remove')
  async removeSection(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const page = this.removeSectionPage_(round, sectionId);
    const form = copyOf(round.form);
    form.sections.splice(this.section(form, sectionId).index, 1);
    return this.save(res, round, form, 'removed', (problems) =>
      this.renderRemove(res, round, { ...page, errors: definitionErrorsOnPage(problems, {}, 'confirm') }, 400),
    );
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId/preview')
  async preview(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const { section, index } = this.section(round.form, sectionId);
    return res.render(`${V}/form-builder-preview.njk`, previewView(round, section, index));
  }

  // ---- questions ------------------------------------------------------------------------------

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId/questions/new')
  async newQuestionPage(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    this.section(round.form, sectionId);
    return this.renderQuestion(res, round, { sectionId, values: NEW_QUESTION_VALUES });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/questions/new')
  async addQuestion(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Body() body: unknown, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const form = copyOf(round.form);
    const { section, index } = this.section(form, sectionId);
    const { question, errors } = await readQuestionForm(body, undefined, questionIds(form));
    const page = { sectionId, values: postedQuestionValues(body) };
    if (errors.length) return this.renderQuestion(res, round, { ...page, errors }, 400);
    section.questions.push(question);
    const at = { sectionIndex: index, questionIndex: section.questions.length - 1, type: question.type };
    return this.save(res, round, form, 'question', (problems) =>
      this.renderQuestion(res, round, { ...page, errors: definitionErrorsOnPage(problems, at, 'label') }, 400),
    );
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId/questions/:questionId')
  async questionPage(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Param('questionId') questionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const { question } = this.question(round.form, sectionId, questionId);
    return this.renderQuestion(res, round, { sectionId, question, values: questionFormValues(question) });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/questions/:questionId')
  async updateQuestion(
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Param('questionId') questionId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const round = await this.editable(id, res);
    if (!round) return;
    const form = copyOf(round.form);
    const { section, index, qi, question: previous } = this.question(form, sectionId, questionId);
    const { question, errors } = await readQuestionForm(body, previous, questionIds(form));
    const page = { sectionId, question: previous, values: postedQuestionValues(body) };
    if (errors.length) return this.renderQuestion(res, round, { ...page, errors }, 400);
    section.questions[qi] = question;
    const at = { sectionIndex: index, questionIndex: qi, type: question.type };
    return this.save(res, round, form, 'question', (problems) =>
      this.renderQuestion(res, round, { ...page, errors: definitionErrorsOnPage(problems, at, 'label') }, 400),
    );
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('sections/:sectionId/questions/:questionId/remove')
  async removeQuestionPage(
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Param('questionId') questionId: string,
    @Res() res: Response,
  ) {
    const round = await this.editable(id, res);
    if (!round) return;
    return this.renderRemove(res, round, this.removeQuestionPage_(round, sectionId, questionId));
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('sections/:sectionId/questions/:questionId/remove')
  async removeQuestion(@Param('id', IdPipe) id: string, @Param('sectionId') sectionId: string, @Param('questionId') questionId: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    const page = this.removeQuestionPage_(round, sectionId, questionId);
    const form = copyOf(round.form);
    const { section, qi } = this.question(form, sectionId, questionId);
    section.questions.splice(qi, 1);
    return this.save(res, round, form, 'removed', (problems) =>
      this.renderRemove(res, round, { ...page, errors: definitionErrorsOnPage(problems, {}, 'confirm') }, 400),
    );
  }

  // ---- JSON export and import -----------------------------------------------------------------

  @RequirePermission(Permission.RoundsManage)
  @Get('export')
  async export(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const file = `${round.referencePrefix.toLowerCase()}-application-form.json`;
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    return res.type('application/json').send(JSON.stringify(exportOf(round), null, 2));
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('import')
  async importPage(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.editable(id, res);
    if (!round) return;
    return res.render(`${V}/form-builder-import.njk`, importPageView(round, { json: '', locked: false }));
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('import')
  async import(@Param('id', IdPipe) id: string, @Body('json') json: unknown, @Res() res: Response) {
    return this.importText(id, str(json), 'json', res);
  }

  /** The same, from an exported file. Multipart, so its CSRF token comes in the address (see the import page). */
  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post('import/upload')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5 } }))
  async importFile(@Param('id', IdPipe) id: string, @UploadedFile() file: { buffer?: Buffer } | undefined, @Res() res: Response) {
    if (!file?.buffer?.length) return this.importText(id, '', 'file', res, 'Choose a JSON file exported from a round');
    return this.importText(id, file.buffer.toString('utf8'), 'file', res);
  }

  private async importText(id: string, text: string, field: 'json' | 'file', res: Response, problem?: string) {
    const round = await this.editable(id, res);
    if (!round) return;
    const render = (errors: FormError[]) =>
      res
        .status(400)
        .render(
          `${V}/form-builder-import.njk`,
          importPageView(round, { json: field === 'json' ? text : '', locked: false, errors: errors.map((e) => ({ ...e, field })) }),
        );
    if (problem) return render([{ field, message: problem }]);
    const { input, errors } = await readImport(text, round);
    if (!input) return render(errors);
    try {
      await this.rounds.update(round.id, input);
    } catch (err) {
      if (err instanceof AppException && err.details?.length) return render(err.details.map((d) => ({ field, message: `${d.field}: ${d.message}` })));
      throw err;
    }
    return res.redirect(303, `${outlineHref(round)}?saved=imported`);
  }

  // ---- categories, ring-fences and criteria ----------------------------------------------------

  /** Declared after export and import, so `:list` is only ever one of the three lists. */
  @RequirePermission(Permission.RoundsManage)
  @Get(':list')
  async listPage(@Param('id', IdPipe) id: string, @Param('list') list: string, @Res() res: Response) {
    const kind = this.listKind(list);
    const round = await this.listRound(id, kind, res);
    if (!round) return;
    const rows = listRowsOf(round, kind);
    return this.renderList(res, round, kind, rows.length ? rows : [{}]);
  }

  /** The add-another pattern without JavaScript: "Add another" and "Remove" show the page again; "Save" saves every row. */
  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK)
  @Post(':list')
  async saveList(@Param('id', IdPipe) id: string, @Param('list') list: string, @Body() body: unknown, @Res() res: Response) {
    const kind = this.listKind(list);
    const round = await this.listRound(id, kind, res);
    if (!round) return;
    const { rows, action } = postedRows(body, kind);
    if (action === 'add') return this.renderList(res, round, kind, [...rows, {}]);
    const remove = /^remove-(\d+)$/.exec(action);
    if (remove)
      return this.renderList(
        res,
        round,
        kind,
        rows.filter((_, i) => i !== Number(remove[1])),
      );
    const { input, errors } = await readList(rows, kind, round);
    if (errors.length) return this.renderList(res, round, kind, rows, errors, 400);
    try {
      await this.rounds.update(round.id, input);
    } catch (err) {
      if (err instanceof AppException && err.details?.length)
        return this.renderList(
          res,
          round,
          kind,
          rows,
          err.details.map((d) => ({ field: 'rows', message: d.message })),
          err.status,
        );
      throw err;
    }
    return res.redirect(303, `${outlineHref(round)}?saved=${kind}`);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The round when its form can still change; otherwise the read-only outline is shown instead (and undefined returned). */
  private async editable(id: string, res: Response): Promise<FundingRound | undefined> {
    const round = await this.rounds.get(id, { includeDrafts: true });
    if (!settingsLocked(this.rounds.statusOf(round))) return round;
    res.redirect(303, outlineHref(round));
    return undefined;
  }

  private listKind(list: string): ListKind {
    if (!isListKind(list)) throw new NotFoundException();
    return list;
  }

  /** Categories lock with the form once the round opens; ring-fences and criteria can still change (the service says which). */
  private listRound(id: string, kind: ListKind, res: Response): Promise<FundingRound | undefined> {
    return kind === 'categories' ? this.editable(id, res) : this.rounds.get(id, { includeDrafts: true });
  }

  private async renderList(res: Response, round: FundingRound, kind: ListKind, rows: ListRow[], errors: FormError[] = [], status = 200) {
    return res.status(status).render(`${V}/form-builder-list.njk`, listPageView(round, kind, rows, errors, await this.areas.names()));
  }

  private section(form: FormDefinition, sectionId: string) {
    const found = findSection(form, sectionId);
    if (!found) throw new NotFoundException();
    return found;
  }

  private question(form: FormDefinition, sectionId: string, questionId: string) {
    const found = this.section(form, sectionId);
    const qi = found.section.questions.findIndex((q) => q.id === questionId);
    if (qi < 0) throw new NotFoundException();
    return { ...found, qi, question: found.section.questions[qi] };
  }

  /** Reads the round, lets `edit` change a copy of its form, saves the whole round, and goes back to the outline. */
  private async change(res: Response, id: string, edit: (round: FundingRound, form: FormDefinition) => { form?: FormDefinition; saved: string }) {
    const round = await this.editable(id, res);
    if (!round) return;
    const { form, saved } = edit(round, copyOf(round.form));
    if (!form) return res.redirect(303, outlineHref(round));
    return this.save(res, round, form, saved, (problems) => this.renderOutline(res, round, { errors: definitionErrorsOnPage(problems, {}, 'outline') }, 400));
  }

  /**
   * Saves the round with its changed form: the API's rules on the whole input first (the service
   * checks only its cross-field rules), then the service; problems go to `onProblems`.
   */
  private async save(res: Response, round: FundingRound, form: FormDefinition, saved: string, onProblems: (problems: readonly FieldError[]) => unknown) {
    const input = roundInputWith(round, { form });
    const problems = await roundInputProblems(input);
    if (problems.length) return onProblems(problems);
    try {
      await this.rounds.update(round.id, input);
    } catch (err) {
      if (err instanceof AppException && err.details?.length) return onProblems(err.details);
      throw err;
    }
    return res.redirect(303, `${outlineHref(round)}?saved=${saved}`);
  }

  private removeSectionPage_(round: FundingRound, sectionId: string) {
    const { section } = this.section(round.form, sectionId);
    const action = `${sectionHref(round, sectionId)}/remove`;
    return {
      action,
      heading: `Are you sure you want to remove the section “${section.title}”?`,
      what: `Its ${section.questions.length} question(s) will be removed too.`,
    };
  }

  private removeQuestionPage_(round: FundingRound, sectionId: string, questionId: string) {
    const { question, section } = this.question(round.form, sectionId, questionId);
    const action = `${sectionHref(round, sectionId)}/questions/${questionId}/remove`;
    const what = CORE_QUESTIONS.has(question.id)
      ? 'Every form must ask this question, so it cannot be removed.'
      : `It will be removed from the section “${section.title}”.`;
    return { action, heading: `Are you sure you want to remove the question “${question.label}”?`, what };
  }

  private renderOutline(res: Response, round: FundingRound, options: { saved?: string; errors?: FormError[] }, status = 200) {
    const roundStatus = this.rounds.statusOf(round);
    return res.status(status).render(`${V}/form-builder.njk`, outlineView(round, roundStatus, { ...options, locked: settingsLocked(roundStatus) }));
  }

  private renderSection(res: Response, round: FundingRound, page: { sectionId?: string; title: string; errors?: FormError[] }, status = 200) {
    const isNew = page.sectionId === undefined;
    const action = isNew ? `${outlineHref(round)}/sections/new` : sectionHref(round, page.sectionId!);
    const view = sectionPageView(round, { action, heading: isNew ? 'Add a section' : 'Change a section', title: page.title, errors: page.errors, isNew });
    return res.status(status).render(`${V}/form-builder-section.njk`, view);
  }

  private renderQuestion(
    res: Response,
    round: FundingRound,
    page: { sectionId?: string; newSectionTitle?: string; question?: Question; values: Record<string, string>; errors?: FormError[] },
    status = 200,
  ) {
    const section = page.sectionId ? this.section(round.form, page.sectionId).section : undefined;
    const action = section
      ? `${sectionHref(round, section.id)}/questions/${page.question ? page.question.id : 'new'}`
      : `${outlineHref(round)}/sections/new/questions/new`;
    const view = questionPageView(round, {
      sectionTitle: section?.title ?? page.newSectionTitle ?? '',
      action,
      backHref: outlineHref(round),
      question: page.question,
      newSectionTitle: page.newSectionTitle,
      values: page.values,
      errors: page.errors,
    });
    return res.status(status).render(`${V}/form-builder-question.njk`, view);
  }

  private renderRemove(res: Response, round: FundingRound, page: { action: string; heading: string; what: string; errors?: FormError[] }, status = 200) {
    return res.status(status).render(`${V}/form-builder-remove.njk`, removePageView(round, page));
  }
}
