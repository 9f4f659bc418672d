import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { AreasService } from '../../areas';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '../../../platform/clock';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { type FieldError, ValidationFailedException } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { RoundsService } from '../../funds';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { filterChoiceErrors } from '../application-filters';
import { applicationsTable } from '../applications-csv';
import { sendTable } from '../../../platform/web/table-export';
import { ApplicationsService } from '../applications.service';
import { sendAttachment } from '../attachment-download';
import { ApplicationDto, ApplicationPageDto, AttachmentDto, AttachmentSummaryDto, ExtensionResponseDto } from '../dto/application-responses.dto';
import {
  ApplicationFiltersDto,
  ApplicationListQueryDto,
  RoundApplicationsQueryDto,
  ExtensionDto,
  SaveAnswersDto,
  ScreeningDto,
  StartApplicationDto,
  UploadAttachmentDto,
} from '../dto/applications.dto';
import type { Application } from '../entities/application.entity';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import type { DeadlineExtension } from '../entities/deadline-extension.entity';
import { ALLOWED_TYPES, MAX_UPLOAD_BYTES } from '../file-sniffing';
import { API_UPLOAD_LIMITS, ApiUploadGate, SafeMultipartText } from '../upload-gates';

export function serialiseAttachment(f: ApplicationAttachment): AttachmentSummaryDto {
  return { id: f.id, questionId: f.questionId, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes };
}

export function serialiseApplication(a: Application, options: { staff?: boolean; attachments?: ApplicationAttachment[] } = {}): ApplicationDto {
  return {
    id: a.id,
    roundId: a.roundId,
    organisationId: a.organisationId,
    organisationName: a.organisation?.name ?? null,
    status: a.status,
    reference: a.reference,
    answers: a.answers,
    amountRequestedPence: a.amountRequestedPence,
    category: a.category,
    submittedAt: a.submittedAt,
    withdrawnAt: a.withdrawnAt,
    screening: a.screenedAt ? { outcome: a.status, reason: a.screeningReason, screenedAt: a.screenedAt } : null,
    ...(options.attachments ? { attachments: options.attachments.map(serialiseAttachment) } : {}),
    ...(options.staff ? { duplicateFlags: a.duplicateFlags } : {}),
  };
}

export function serialiseExtension(ext: DeadlineExtension): ExtensionResponseDto {
  return { id: ext.id, roundId: ext.roundId, organisationId: ext.organisationId, closesAt: ext.closesAt, reason: ext.reason };
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('api/v1')
export class ApplicationsApiController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
  ) {}

  @SignedIn()
  @Get('applications')
  @ApiOperation({ summary: 'Your organisations’ applications, newest first, a page at a time' })
  @ApiOkResponse({ type: ApplicationPageDto })
  @ApiErrorResponses(401)
  async mine(@CurrentUser() me: Principal, @Query() q: ApplicationListQueryDto): Promise<ApplicationPageDto> {
    const page = await this.applications.pageForOrganisationsOf(me, q.limit, q.page);
    return { items: page.items.map((a) => serialiseApplication(a)), total: page.total, limit: page.limit, page: page.page };
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications')
  @ApiOperation({ summary: 'Start an application for your organisation to an open round' })
  @ApiCreatedResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 403, 404, 409, 422)
  async start(@CurrentUser() me: Principal, @Body() body: StartApplicationDto): Promise<ApplicationDto> {
    return serialiseApplication(await this.applications.start(me, body.roundId, body.organisationId));
  }

  @SignedIn()
  @Get('applications/:id')
  @ApiOperation({ summary: 'An application: your organisation’s, or any for staff who may view all' })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 404)
  async get(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<ApplicationDto> {
    const a = await this.applications.getFor(me, id);
    return serialiseApplication(a, { staff: me.permissions.has(Permission.ApplicationsViewAll), attachments: await this.applications.attachments(a.id) });
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Patch('applications/:id')
  @ApiOperation({ summary: 'Save answers to a draft (all or nothing; incomplete is fine until submission)' })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async save(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: SaveAnswersDto): Promise<ApplicationDto> {
    return serialiseApplication(await this.applications.saveAnswers(me, id, body.answers));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/attachments')
  @ApiOperation({
    summary: 'Upload a file answering a file question (replaces its earlier file)',
    description: `PDF, DOCX, XLSX, PNG or JPEG, up to ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB, judged by content. Stored under the name sent with the extension of the detected type. Refused with 415 when the content is not one of those types or could also be read as another; with 413 when the file, a field or the request is over its limit (${API_UPLOAD_LIMITS.fields} fields of up to ${API_UPLOAD_LIMITS.fieldSize} bytes, ${API_UPLOAD_LIMITS.files} file); with 404/409 before the body is read when the application is not yours or not a draft.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['questionId', 'file'],
      properties: {
        questionId: { type: 'string', maxLength: 100, description: 'The id of the file question this file answers', example: 'safeguardingPolicy' },
        file: { type: 'string', format: 'binary', description: Object.values(ALLOWED_TYPES).join(', ') },
      },
    },
  })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiErrorResponses(401, 403, 404, 409, 413, 415)
  // The gate checks access and the declared size before FileInterceptor reads the body.
  @UseInterceptors(ApiUploadGate, FileInterceptor('file', { limits: API_UPLOAD_LIMITS, defParamCharset: 'utf8' }), SafeMultipartText)
  async upload(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: UploadAttachmentDto,
  ): Promise<AttachmentDto> {
    if (!file) throw new ValidationFailedException([{ field: 'file', rule: 'required', message: 'Choose a file to upload' }]);
    const saved = await this.applications.uploadAttachment(me, id, body.questionId, file);
    return { ...serialiseAttachment(saved), sha256: saved.sha256 };
  }

  @SignedIn()
  @Get('applications/:id/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download an uploaded file (as an attachment, with its detected type)' })
  @ApiProduces(...Object.keys(ALLOWED_TYPES))
  @ApiOkResponse({ description: 'The file, byte for byte', schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(401, 404)
  async download(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
    @Res() res: Response,
  ): Promise<void> {
    sendAttachment(res, await this.applications.attachmentFile(me, id, attachmentId));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/submit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit: gives the reference (e.g. VF7-0001), freezes the answers and emails a receipt',
    description: 'Idempotent: asking again for an application already submitted gives the same receipt (same reference, no second email).',
  })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 403, 404, 409, 422)
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<ApplicationDto> {
    // The deadline is judged at arrival, before any waiting for database connections or locks.
    const arrivedAt = this.clock.requestArrival();
    return serialiseApplication(await this.applications.submit(me, id, arrivedAt));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw before the round closes' })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<ApplicationDto> {
    return serialiseApplication(await this.applications.withdraw(me, id));
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('rounds/:id/applications')
  @ApiOperation({
    summary: 'Applications in a round, a page at a time, with filters, search and sort (staff)',
    description: 'Sorted in the database with a stable tiebreak, so paging through never repeats or skips an application.',
  })
  @ApiOkResponse({ type: ApplicationPageDto })
  @ApiErrorResponses(401, 403, 404)
  async list(@Param('id', IdPipe) id: string, @Query() query: RoundApplicationsQueryDto): Promise<ApplicationPageDto> {
    const { limit, page, sort, q, ...filters } = query;
    await this.checkFilters(id, filters);
    const found = await this.applications.pageForRound(id, { filters, q, sort, limit, page });
    return { items: found.rows.map((r) => serialiseApplication(r.application, { staff: true })), total: found.total, limit, page };
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('rounds/:id/applications.csv')
  @ApiOperation({ summary: 'Every application in a round matching the filters, as CSV (staff); the same file as the staff page’s export' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'UTF-8 CSV with a byte-order mark; text that a spreadsheet would run as a formula starts with an apostrophe',
    schema: { type: 'string' },
  })
  @ApiErrorResponses(401, 403, 404)
  async csv(@Param('id', IdPipe) id: string, @Query() f: ApplicationFiltersDto, @Res() res: Response): Promise<void> {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const areaNames = new Map((await this.areas.list()).map((a) => [a.onsCode, a.name]));
    refuseUnknownChoices(filterChoiceErrors(round, new Set(areaNames.keys()), f));
    // Read a batch at a time, in reference order, and written as it comes.
    await sendTable(res, 'csv', applicationsTable({ round, areaNames, now: this.clock.now() }, this.applications.batchesForRound(round.id, { filters: f })));
  }

  @RequirePermission(Permission.ApplicationsScreen)
  @Post('applications/:id/screening')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the eligibility screening outcome; the applicant is told' })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async screen(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ScreeningDto): Promise<ApplicationDto> {
    return serialiseApplication(await this.applications.screen(me, id, body.decision, body.reason), { staff: true });
  }

  @RequirePermission(Permission.RoundsManage)
  @Post('rounds/:id/extensions')
  @ApiOperation({ summary: 'Let one organisation submit after the close (audited)' })
  @ApiCreatedResponse({ type: ExtensionResponseDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async extend(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ExtensionDto): Promise<ExtensionResponseDto> {
    return serialiseExtension(await this.applications.grantExtension(me, id, body.organisationId, new Date(body.closesAt), body.reason));
  }

  /** The round (404 if there is none) and the filters' choices checked against it, as the staff page checks them. */
  /**
   * A 404 for an unknown round, a 400 for a filter naming an area or category that does not exist.
   * Only what that needs: the round's categories, and the areas only when an area is asked for
   * (the list API runs this on every page).
   */
  private async checkFilters(roundId: string, f: ApplicationFiltersDto): Promise<void> {
    const categories = await this.rounds.categoriesOf(roundId);
    const areaCodes = f.area === undefined ? new Set<string>() : new Set((await this.areas.list()).map((a) => a.onsCode));
    refuseUnknownChoices(filterChoiceErrors({ categories }, areaCodes, f));
  }
}

function refuseUnknownChoices(errors: FieldError[]): void {
  if (errors.length) throw new ValidationFailedException(errors);
}
