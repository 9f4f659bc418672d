import { Module } from '@nestjs/common';
import { AreasModule } from '../areas';
import { GrantsModule } from '../grants';
import { PaymentsModule } from '../payments';
import { OpenDataPagesController } from './pages/open-data-pages.controller';
import { PublishingService } from './publishing.service';

/** Open data about what the Commissioner funds (issue 13): the 360Giving files and their page. It owns no tables. */
@Module({
  imports: [GrantsModule, PaymentsModule, AreasModule],
  controllers: [OpenDataPagesController],
  providers: [PublishingService],
  exports: [PublishingService],
})
export class PublishingModule {}
