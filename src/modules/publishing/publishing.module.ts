import { Module } from '@nestjs/common';
import { AreasModule } from '../areas';
import { FundsModule } from '../funds';
import { GrantsModule } from '../grants';
import { PaymentsModule } from '../payments';
import { FundedProjectsPagesController } from './pages/funded-projects-pages.controller';
import { OpenDataPagesController } from './pages/open-data-pages.controller';
import { SpecifiedInformationPagesController } from './pages/specified-information-pages.controller';
import { PublishingService } from './publishing.service';

/**
 * Open data about what the Commissioner funds (issue 13): the 360Giving files and their page, the
 * Specified Information list of crime and disorder reduction grants, and the funded projects
 * pages. It owns no tables.
 */
@Module({
  imports: [GrantsModule, PaymentsModule, AreasModule, FundsModule],
  controllers: [OpenDataPagesController, SpecifiedInformationPagesController, FundedProjectsPagesController],
  providers: [PublishingService],
  exports: [PublishingService],
})
export class PublishingModule {}
