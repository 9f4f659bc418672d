import { type DynamicModule, Module } from '@nestjs/common';
import { ApplicationsModule } from './modules/applications/applications.module';
import { AuditModule } from './modules/audit/audit.module';
import { FundsModule } from './modules/funds/funds.module';
import { IdentityModule } from './modules/identity/identity.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PlatformModule, type PlatformOptions } from './platform/platform.module';
import { PagesController } from './platform/web/pages.controller';

@Module({})
export class AppModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(options), AuditModule, NotificationsModule, FundsModule, IdentityModule, ApplicationsModule],
      controllers: [PagesController],
    };
  }
}
