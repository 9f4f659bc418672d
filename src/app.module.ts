import { type DynamicModule, Module } from '@nestjs/common';
import { ENTITIES } from './entities';
import { AreasModule } from './modules/areas';
import { ApplicationsModule } from './modules/applications';
import { AssessmentModule } from './modules/assessment';
import { AllocationModule } from './modules/allocation';
import { DecisionsModule } from './modules/decisions';
import { GrantsModule } from './modules/grants';
import { PaymentsModule } from './modules/payments';
import { PublishingModule } from './modules/publishing';
import { AuditModule } from './modules/audit';
import { DashboardModule } from './modules/dashboard';
import { FundsModule } from './modules/funds';
import { IdentityModule } from './modules/identity';
import { NotificationsModule } from './modules/notifications';
import { PlatformModule, type PlatformOptions } from './platform/platform.module';
import { PagesController } from './platform/web/pages.controller';

@Module({})
export class AppModule {
  static forRoot(options: Omit<PlatformOptions, 'entities'>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ ...options, entities: ENTITIES }),
        AuditModule,
        NotificationsModule,
        AreasModule,
        FundsModule,
        IdentityModule,
        ApplicationsModule,
        AssessmentModule,
        AllocationModule,
        DecisionsModule,
        GrantsModule,
        PaymentsModule,
        DashboardModule,
        PublishingModule,
      ],
      controllers: [PagesController],
    };
  }
}
