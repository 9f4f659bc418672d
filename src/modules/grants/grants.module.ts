import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllocationModule } from '../allocation';
import { ApplicationsModule } from '../applications';
import { AssessmentModule } from '../assessment';
import { DecisionsModule } from '../decisions';
import { FundsModule } from '../funds';
import { IdentityModule } from '../identity';
import { NotificationsModule } from '../notifications';
import { GrantsApiController } from './api/grants-api.controller';
import { MonitoringReportsApiController } from './api/monitoring-reports-api.controller';
import { Grant } from './entities/grant.entity';
import { GrantVariation } from './entities/grant-variation.entity';
import { GrantVariationsService } from './grant-variations.service';
import { VariationsApiController } from './api/variations-api.controller';
import { MonitoringReportReminder } from './entities/monitoring-report-reminder.entity';
import { MonitoringReport } from './entities/monitoring-report.entity';
import { MonitoringReportsService } from './monitoring-reports.service';
import { MonitoringRemindersService } from './monitoring-reminders.service';
import { GrantLapsesService } from './grant-lapses.service';
import { GrantsService } from './grants.service';
import { PublishedGrantsService } from './published-grants.service';
import { GrantPagesController } from './pages/grant-pages.controller';
import { GrantReportPagesController } from './pages/grant-report-pages.controller';
import { StaffReportPagesController } from './pages/staff-report-pages.controller';
import { DelegatedAwardsPagesController } from './pages/delegated-awards-pages.controller';
import { RoundGrantsPagesController } from './pages/round-grants-pages.controller';
import { GrantVariationPagesController } from './pages/grant-variation-pages.controller';
import { StaffVariationPagesController } from './pages/staff-variation-pages.controller';

/** Grants: offered on the Commissioner's approval, accepted or declined by the organisation, lapsed when the offer period passes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Grant, MonitoringReport, MonitoringReportReminder, GrantVariation]),
    AllocationModule,
    ApplicationsModule,
    AssessmentModule,
    DecisionsModule,
    FundsModule,
    IdentityModule,
    NotificationsModule,
  ],
  controllers: [
    GrantsApiController,
    MonitoringReportsApiController,
    VariationsApiController,
    GrantPagesController,
    DelegatedAwardsPagesController,
    RoundGrantsPagesController,
    GrantReportPagesController,
    StaffReportPagesController,
    GrantVariationPagesController,
    StaffVariationPagesController,
  ],
  providers: [GrantsService, GrantLapsesService, MonitoringReportsService, MonitoringRemindersService, GrantVariationsService, PublishedGrantsService],
  exports: [GrantsService, PublishedGrantsService],
})
export class GrantsModule {}
