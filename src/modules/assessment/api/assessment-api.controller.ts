import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { sendAttachment } from '../../applications';
import { type ApplicationAssessments, AssessmentService, type AssessmentView, type DeclarationRow, type Ranking } from '../assessment.service';
import {
  ApplicationAssessmentsDto,
  AssessmentDto,
  AssignmentResponseDto,
  AssignmentsResponseDto,
  CalibrationDto,
  DeclarationsDto,
  InterestResponseDto,
  ModerationResponseDto,
  QueuePageDto,
  RankingDto,
} from '../dto/assessment-responses.dto';
import {
  AssessmentQueueQueryDto,
  AssignmentDto,
  DeclarationDto,
  FeedbackReleaseDto,
  FeedbackReleaseResponseDto,
  InterestDto,
  ModerationDto,
  ReasonDto,
  ScoresDto,
  hundredthsOf,
} from '../dto/assessment.dto';
import type { Moderation } from '../entities/moderation.entity';
import { type Fraction, formatHundredths, formatPercent, mean } from '../scoring';
import type { StaffAccount } from '../../identity';

const person = (p: StaffAccount | undefined) => ({ id: p?.id ?? '', name: p?.fullName ?? 'Unknown', email: p?.email ?? '' });

function serialiseView(v: AssessmentView): AssessmentDto {
  const a = v.assessment;
  return {
    id: a.id,
    applicationId: a.applicationId,
    roundId: a.roundId,
    assessorId: a.assessorId,
    status: a.status,
    dueAt: v.round.scoringClosesAt,
    declaredAt: a.declaredAt,
    conflictReason: a.conflictReason,
    scores: v.scores.map((s) => ({ criterionId: s.criterionId, score: s.score, comment: s.comment })),
    recommendation: a.recommendation,
    recommendedAmountPence: a.recommendedAmountPence,
    comment: a.comment,
    scorePercent: formatPercent(v.percent),
    submittedAt: a.submittedAt,
    criteria: (v.round.criteria ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      guidance: c.guidance,
      weight: c.weight,
      scaleMin: c.scaleMin,
      scaleMax: c.scaleMax,
    })),
    application: {
      id: v.application.id,
      reference: v.application.reference,
      organisationName: v.application.organisationName,
      amountRequestedPence: v.content ? v.application.amountRequestedPence : null,
      answers: v.content?.answers ?? null,
      attachments:
        v.content?.attachments.map((f) => ({ id: f.id, questionId: f.questionId, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes })) ??
        null,
    },
  };
}

function serialiseModeration(x: Moderation): ModerationResponseDto {
  return {
    applicationId: x.applicationId,
    scorePercent: formatHundredths(x.scoreHundredths),
    reason: x.reason,
    moderatedBy: x.moderatedBy,
    moderatedAt: x.moderatedAt,
  };
}

function serialiseApplicationAssessments(r: ApplicationAssessments): ApplicationAssessmentsDto {
  const submitted = r.assessments.filter((a) => a.assessment.status === 'submitted' && a.percent).map((a) => a.percent as Fraction);
  return {
    applicationId: r.application.id,
    assessments: r.assessments.map(({ assessment: a, assessor, scores, percent }) => {
      const shown = scores.length > 0 || a.status === 'submitted';
      return {
        id: a.id,
        assessor: person(assessor),
        status: a.status,
        scores: scores.map((s) => ({ criterionId: s.criterionId, score: s.score, comment: s.comment })),
        recommendation: shown ? a.recommendation : null,
        recommendedAmountPence: shown ? a.recommendedAmountPence : null,
        comment: shown ? a.comment : null,
        scorePercent: formatPercent(percent),
        conflictReason: a.conflictReason,
        submittedAt: a.submittedAt,
      };
    }),
    rawScore: formatPercent(mean(submitted)),
    moderation: r.moderation ? serialiseModeration(r.moderation) : null,
    divergent: r.divergent,
  };
}

function serialiseRanking(r: Ranking): RankingDto {
  return {
    ready: r.ready,
    outstanding: r.outstanding.map((o) => ({
      applicationId: o.application.id,
      reference: o.application.reference,
      submitted: o.submitted,
      required: o.required,
    })),
    rows: r.rows.map(({ row, rank, tieBreak }) => ({
      rank,
      applicationId: row.applicationId,
      reference: row.application.reference,
      organisationName: row.application.organisationName,
      area: row.application.areaOnsCode,
      category: row.application.category,
      ringFence: row.qualifiesForRingFence,
      amountRequestedPence: row.application.amountRequestedPence,
      finalScore: formatPercent(row.final),
      rawScores: row.rawScores.map((p) => formatPercent(p)!),
      rawScore: formatPercent(row.raw),
      moderated: row.moderated !== null,
      divergent: row.divergent,
      tieBreak,
      recommendations: row.recommendations,
    })),
  };
}

function serialiseDeclaration(d: DeclarationRow) {
  return {
    applicationId: d.applicationId,
    organisationId: d.organisationId,
    reference: d.reference,
    organisationName: d.organisationName,
    assessor: person(d.assessor),
    conflict: d.conflict,
    reason: d.reason,
    declaredAt: d.declaredAt,
    standing: d.standing,
  };
}

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('api/v1')
export class AssessmentApiController {
  constructor(private readonly assessment: AssessmentService) {}

  @RequirePermission(Permission.AssessmentsAssign)
  @Post('rounds/:id/assignments')
  @ApiOperation({ summary: 'Assign assessors to a closed round’s eligible applications: {"mode":"auto"}, or one application and its assessors' })
  @ApiCreatedResponse({ type: AssignmentsResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  async assign(@CurrentUser() me: Principal, @Param('id', IdPipe) roundId: string, @Body() body: AssignmentDto): Promise<AssignmentsResponseDto> {
    const created = await this.assessment.assign(
      me,
      roundId,
      body.mode === 'auto' ? { mode: 'auto' } : { applicationId: body.applicationId, assessorIds: body.assessorIds },
    );
    return { items: created.map((a) => ({ id: a.id, applicationId: a.applicationId, assessorId: a.assessorId, status: a.status })) };
  }

  @RequirePermission(Permission.AssessmentsAssign)
  @Delete('assessments/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take an assessor off an application (not once submitted, nor a declared conflict)' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 409)
  async unassign(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<void> {
    await this.assessment.unassign(me, id);
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Get('assessments')
  @ApiOperation({
    summary: 'My assessments, a page at a time: newest assignment first unless sorted (assigned, reference, status); search by reference (q); filter by status',
  })
  @ApiOkResponse({ type: QueuePageDto })
  @ApiErrorResponses(400, 401, 403)
  async queue(@CurrentUser() me: Principal, @Query() q: AssessmentQueueQueryDto): Promise<QueuePageDto> {
    const page = await this.assessment.queue(me, q);
    return {
      items: page.items.map(({ assessment: a, application, dueAt }) => ({
        id: a.id,
        applicationId: a.applicationId,
        reference: application.reference,
        organisationName: application.organisationName,
        // As on the assessment itself: nothing of the application but who and which until the declaration.
        amountRequestedPence: a.status === 'in_progress' || a.status === 'submitted' ? application.amountRequestedPence : null,
        status: a.status,
        dueAt,
      })),
      total: page.total,
      limit: q.limit,
      page: q.page,
    };
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Get('assessments/:id')
  @ApiOperation({ summary: 'One of my assessments; the application’s answers only after I declare no conflict' })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrorResponses(401, 403, 404)
  async view(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<AssessmentDto> {
    return serialiseView(await this.assessment.view(me, id));
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Get('assessments/:id/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download a file of the application (after declaring no conflict)' })
  @ApiProduces('application/pdf', 'application/octet-stream')
  @ApiOkResponse({ description: 'The file, byte for byte', schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(401, 403, 404, 409)
  async attachment(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
    @Res() res: Response,
  ): Promise<void> {
    sendAttachment(res, await this.assessment.attachment(me, id, attachmentId));
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Post('assessments/:id/declaration')
  @HttpCode(200)
  @ApiOperation({ summary: 'Declare whether I have a conflict of interest; a conflict ends the assignment' })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async declare(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: DeclarationDto): Promise<AssessmentDto> {
    await this.assessment.declare(me, id, body);
    return serialiseView(await this.assessment.view(me, id));
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Put('assessments/:id/scores')
  @ApiOperation({ summary: 'Save my scores, recommendation and comment as a draft (replacing the last draft)' })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async scores(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ScoresDto): Promise<AssessmentDto> {
    return serialiseView(await this.assessment.saveScores(me, id, body));
  }

  @RequirePermission(Permission.AssessmentsScore)
  @Post('assessments/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit my assessment: final unless a fund manager reopens it' })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiErrorResponses(401, 403, 404, 409, 422)
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<AssessmentDto> {
    return serialiseView(await this.assessment.submit(me, id));
  }

  @RequirePermission(Permission.ModerationManage)
  @Post('assessments/:id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a submitted assessment, with a reason, so its assessor can change it' })
  @ApiOkResponse({ type: AssignmentResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async reopen(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ReasonDto): Promise<AssignmentResponseDto> {
    const a = await this.assessment.reopen(me, id, body.reason);
    return { id: a.id, applicationId: a.applicationId, assessorId: a.assessorId, status: a.status };
  }

  @RequirePermission(Permission.ModerationManage)
  @Post('assessments/:id/feedback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a submitted assessment’s comment to the applicant as feedback (sent with an unsuccessful outcome), or withhold it again' })
  @ApiOkResponse({ type: FeedbackReleaseResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async feedback(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: FeedbackReleaseDto): Promise<FeedbackReleaseResponseDto> {
    const a = await this.assessment.releaseFeedback(me, id, body.released);
    return { id: a.id, applicationId: a.applicationId, feedbackReleasedAt: a.feedbackReleasedAt };
  }

  @RequireAnyPermission(Permission.ModerationManage, Permission.AssessmentsScore)
  @Get('applications/:id/assessments')
  @ApiOperation({ summary: 'An application’s assessments: fund managers always; an assessor once their own is submitted' })
  @ApiOkResponse({ type: ApplicationAssessmentsDto })
  @ApiErrorResponses(401, 403, 404, 409)
  async forApplication(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<ApplicationAssessmentsDto> {
    return serialiseApplicationAssessments(await this.assessment.forApplication(me, id));
  }

  @RequirePermission(Permission.ModerationManage)
  @Post('applications/:id/moderation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a moderated score with its reason; the raw scores stay beside it' })
  @ApiOkResponse({ type: ModerationResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async moderate(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ModerationDto): Promise<ModerationResponseDto> {
    return serialiseModeration(await this.assessment.moderate(me, id, { scoreHundredths: hundredthsOf(body.scorePercent), reason: body.reason }));
  }

  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/ranking')
  @ApiOperation({ summary: 'The round’s applications by final score, ties broken and explained; ready once every one is assessed' })
  @ApiOkResponse({ type: RankingDto })
  @ApiErrorResponses(401, 403, 404)
  async ranking(@Param('id', IdPipe) id: string): Promise<RankingDto> {
    return serialiseRanking(await this.assessment.ranking(id));
  }

  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/declarations')
  @ApiOperation({ summary: 'Every declaration of interest in the round: on each application, and standing interests in its applicants' })
  @ApiOkResponse({ type: DeclarationsDto })
  @ApiErrorResponses(401, 403, 404)
  async declarations(@Param('id', IdPipe) id: string): Promise<DeclarationsDto> {
    return { items: (await this.assessment.declarations(id)).map(serialiseDeclaration) };
  }

  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/calibration')
  @ApiOperation({ summary: 'Each assessor’s mean against the panel’s on the same applications, harshest first' })
  @ApiOkResponse({ type: CalibrationDto })
  @ApiErrorResponses(401, 403, 404)
  async calibration(@Param('id', IdPipe) id: string): Promise<CalibrationDto> {
    return {
      items: (await this.assessment.calibration(id)).map(({ calibration: c, assessor }) => ({
        assessor: person(assessor),
        assessed: c.assessed,
        assessorMean: formatPercent(c.assessorMean)!,
        panelMean: formatPercent(c.panelMean)!,
        difference: formatPercent(c.difference)!,
      })),
    };
  }

  @RequireAnyPermission(Permission.AssessmentsScore, Permission.ModerationManage)
  @Post('interests')
  @HttpCode(200)
  @ApiOperation({ summary: 'Declare a standing interest in an organisation: never assigned, scoring or moderating its applications' })
  @ApiOkResponse({ type: InterestResponseDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async declareInterest(@CurrentUser() me: Principal, @Body() body: InterestDto): Promise<InterestResponseDto> {
    const i = await this.assessment.declareInterest(me, body.organisationId, body.reason);
    return { id: i.id, organisationId: i.organisationId, reason: i.reason, declaredAt: i.declaredAt };
  }
}
