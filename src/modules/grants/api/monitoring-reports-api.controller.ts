import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import {
  GrantMonitoringReportsDto,
  MonitoringReportDto,
  MonitoringReportPageDto,
  MonitoringReportsQueryDto,
  RequestReportChangesDto,
  StaffMonitoringReportDto,
  SubmitMonitoringReportDto,
} from '../dto/monitoring-reports.dto';
import { MonitoringReportsService, type ReportView, type StaffReportView } from '../monitoring-reports.service';

export function serialiseReport({ report: r, overdue }: ReportView): MonitoringReportDto {
  return {
    id: r.id,
    grantId: r.grantId,
    seq: r.seq,
    months: r.months,
    dueOn: r.dueOn,
    status: r.status,
    overdue,
    outcomes: r.outcomes,
    spendToDatePence: r.spendToDatePence === null ? null : Number(r.spendToDatePence),
    caseStudy: r.caseStudy,
    submissions: r.submissions,
    submittedBy: r.submittedBy,
    submittedAt: r.submittedAt,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt,
    reviewerComments: r.reviewerComments,
  };
}

function serialiseStaffReport(v: StaffReportView): StaffMonitoringReportDto {
  return { ...serialiseReport(v), reference: v.reference, organisationName: v.organisationName, roundName: v.roundName, grantAmountPence: v.amountPence };
}

/**
 * Monitoring reports (issue 12): the grant holder's organisation reads and submits its grant's
 * reports; fund managers list every grant's reports, approve them or ask for changes.
 */
@ApiTags('grants')
@ApiBearerAuth()
@Controller('api/v1')
export class MonitoringReportsApiController {
  constructor(private readonly reports: MonitoringReportsService) {}

  @SignedIn()
  @Get('grants/:id/monitoring-reports')
  @ApiOperation({
    summary: 'A grant’s monitoring reports in order, with their fixed due dates: your organisation’s, or any for staff who may view all applications',
  })
  @ApiOkResponse({ type: GrantMonitoringReportsDto })
  @ApiErrorResponses(400, 401, 404)
  async forGrant(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<GrantMonitoringReportsDto> {
    const { reports } = await this.reports.forGrant(me, id);
    return { reports: reports.map(serialiseReport) };
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('grants/:id/monitoring-reports')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Submit one of the grant’s monitoring reports (a member of its organisation): outcomes, spend to date and a case study; again after a fund manager asked for changes',
  })
  @ApiOkResponse({ type: MonitoringReportDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: SubmitMonitoringReportDto): Promise<MonitoringReportDto> {
    const report = await this.reports.submit(me, id, body);
    return serialiseReport({ report, overdue: false });
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('monitoring-reports')
  @ApiOperation({ summary: 'Every grant’s monitoring reports, for fund managers: by status and whether overdue, soonest due first, a page at a time' })
  @ApiOkResponse({ type: MonitoringReportPageDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() q: MonitoringReportsQueryDto): Promise<MonitoringReportPageDto> {
    const { items, total } = await this.reports.listForStaff({ ...q, overdue: q.overdue === undefined ? undefined : q.overdue === 'true' });
    return { items: items.map(serialiseStaffReport), total, limit: q.limit, page: q.page };
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('monitoring-reports/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted monitoring report: any instalment waiting on it falls due; the grant holder is told' })
  @ApiOkResponse({ type: MonitoringReportDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<MonitoringReportDto> {
    return serialiseReport({ report: await this.reports.approve(me, id), overdue: false });
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('monitoring-reports/:id/changes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted monitoring report back to the grant holder with comments, to change and submit again' })
  @ApiOkResponse({ type: MonitoringReportDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async requestChanges(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RequestReportChangesDto): Promise<MonitoringReportDto> {
    const report = await this.reports.requestChanges(me, id, body.comments);
    return serialiseReport({ report, overdue: report.dueOn < this.reports.today() });
  }
}
