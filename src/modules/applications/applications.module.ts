import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas';
import { FundsModule } from '../funds';
import { IdentityModule } from '../identity';
import { NotificationsModule } from '../notifications';
import { ApplicationPagesController } from './pages/application-pages.controller';
import { ApplicationsApiController } from './api/applications-api.controller';
import { ApplicationsService } from './applications.service';
import { DeadlineRemindersService } from './deadline-reminders.service';
import { ApplicationPagesPresenter } from './pages/application-pages.presenter';
import { StaffApplicationPagesPresenter } from './pages/staff-application-pages.presenter';
import { StaffApplicationPagesController } from './pages/staff-application-pages.controller';
import { ApplicationAttachment } from './entities/application-attachment.entity';
import { ApplicationSnapshot } from './entities/application-snapshot.entity';
import { Application } from './entities/application.entity';
import { DeadlineExtension } from './entities/deadline-extension.entity';
import { ApplicationReferenceCounter } from './entities/reference-counter.entity';

/** Online applications: drafts, answers, uploads, submission against the deadline, screening. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Application, ApplicationSnapshot, ApplicationAttachment, DeadlineExtension, ApplicationReferenceCounter]),
    AreasModule,
    FundsModule,
    IdentityModule,
    NotificationsModule,
  ],
  controllers: [ApplicationsApiController, ApplicationPagesController, StaffApplicationPagesController],
  providers: [ApplicationsService, DeadlineRemindersService, ApplicationPagesPresenter, StaffApplicationPagesPresenter],
  exports: [ApplicationsService],
})
export class ApplicationsModule {}
