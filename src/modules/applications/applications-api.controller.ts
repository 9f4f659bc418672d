import { Body, type CallHandler, Controller, type ExecutionContext, Get, HttpCode, Injectable, type NestInterceptor, Param, Patch, PayloadTooLargeException, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { Clock } from '../../platform/clock';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { CurrentUser, RequirePermission, SignedIn } from '../identity/access.decorators';
import { Permission } from '../identity/permissions';
import type { Principal } from '../identity/principal';
import { ApplicationsException } from './applications.exceptions';
import { ApplicationsService } from './applications.service';
import { ApplicationFiltersDto, ExtensionDto, SaveAnswersDto, ScreeningDto, StartApplicationDto } from './dto/applications.dto';
import type { Application } from './entities/application.entity';
import type { ApplicationAttachment } from './entities/application-attachment.entity';
import { MAX_UPLOAD_BYTES } from './file-sniffing';
import { IdPipe } from '../../platform/http/id.pipe';

export function serialiseApplication(a: Application, options: { staff?: boolean; attachments?: ApplicationAttachment[] } = {}) {
  return {
    id: a.id,
    roundId: a.roundId,
    organisationId: a.organisationId,
    organisationName: a.organisation?.name,
    status: a.status,
    reference: a.reference,
    answers: a.answers,
    amountRequestedPence: a.amountRequestedPence,
    category: a.category,
    submittedAt: a.submittedAt,
    withdrawnAt: a.withdrawnAt,
    screening: a.screenedAt ? { outcome: a.status, reason: a.screeningReason, screenedAt: a.screenedAt } : null,
    attachments: options.attachments?.map((f) => ({ id: f.id, questionId: f.questionId, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes })),
    ...(options.staff ? { duplicateFlags: a.duplicateFlags } : {}),
  };
}

/**
 * The upload limit is enforced while the file streams in (multer), whose own error says only
 * "File too large"; this gives the applicant the service's message, which names the limit.
 */
@Injectable()
export class UploadTooLargeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((err: unknown) => throwError(() => (err instanceof PayloadTooLargeException ? ApplicationsException.tooLarge() : err))));
  }
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('api/v1')
export class ApplicationsApiController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly clock: Clock,
  ) {}

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications')
  @ApiOperation({ summary: 'Start an application for your organisation to an open round' })
  async start(@CurrentUser() me: Principal, @Body() body: StartApplicationDto) {
    return serialiseApplication(await this.applications.start(me, body.roundId, body.organisationId));
  }

  @SignedIn()
  @Get('applications/:id')
  @ApiOperation({ summary: 'An application: your organisation’s, or any for staff who may view all' })
  async get(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string) {
    const a = await this.applications.getFor(me, id);
    return serialiseApplication(a, { staff: me.permissions.has(Permission.ApplicationsViewAll), attachments: await this.applications.attachments(a.id) });
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Patch('applications/:id')
  @ApiOperation({ summary: 'Save answers to a draft (all or nothing; incomplete is fine until submission)' })
  async save(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: SaveAnswersDto) {
    return serialiseApplication(await this.applications.saveAnswers(me, id, body.answers));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/attachments')
  @ApiOperation({ summary: 'Upload a file (PDF, DOCX, XLSX, PNG or JPEG, up to 10 MB) answering a file question' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { questionId: { type: 'string' }, file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(UploadTooLargeInterceptor, FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  async upload(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @UploadedFile() file: Express.Multer.File | undefined, @Req() req: Request) {
    if (!file) throw new ValidationFailedException([{ field: 'file', rule: 'required', message: 'Choose a file to upload' }]);
    const saved = await this.applications.uploadAttachment(me, id, String(req.body?.questionId ?? ''), file);
    return { id: saved.id, questionId: saved.questionId, filename: saved.filename, contentType: saved.contentType, sizeBytes: saved.sizeBytes, sha256: saved.sha256 };
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit: gives the reference (e.g. VF7-0001), freezes the answers and emails a receipt' })
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string) {
    // The deadline is judged at arrival, before any waiting for database connections or locks.
    const arrivedAt = this.clock.requestArrival();
    return serialiseApplication(await this.applications.submit(me, id, arrivedAt));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('applications/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw before the round closes' })
  async withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string) {
    return serialiseApplication(await this.applications.withdraw(me, id));
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('rounds/:id/applications')
  @ApiOperation({ summary: 'Applications in a round, with filters (staff)' })
  async list(@Param('id', IdPipe) id: string, @Query() f: ApplicationFiltersDto) {
    const rows = await this.applications.listForRound(id, f);
    return rows.map((r) => serialiseApplication(r.application, { staff: true }));
  }

  @RequirePermission(Permission.ApplicationsScreen)
  @Post('applications/:id/screening')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the eligibility screening outcome; the applicant is told' })
  async screen(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ScreeningDto) {
    return serialiseApplication(await this.applications.screen(me, id, body.decision, body.reason), { staff: true });
  }

  @RequirePermission(Permission.RoundsManage)
  @Post('rounds/:id/extensions')
  @ApiOperation({ summary: 'Let one organisation submit after the close (audited)' })
  async extend(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ExtensionDto) {
    const ext = await this.applications.grantExtension(me, id, body.organisationId, new Date(body.closesAt), body.reason);
    return { id: ext.id, roundId: ext.roundId, organisationId: ext.organisationId, closesAt: ext.closesAt, reason: ext.reason };
  }
}
