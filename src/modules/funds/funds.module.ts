import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas';
import { AssessmentCriterion } from './entities/assessment-criterion.entity';
import { FundProgramme } from './entities/fund-programme.entity';
import { FundingRound } from './entities/funding-round.entity';
import { RingFence } from './entities/ring-fence.entity';
import { FundAdminPagesController } from './pages/fund-admin-pages.controller';
import { FormBuilderPagesController } from './pages/form-builder-pages.controller';
import { FundsApiController } from './api/funds-api.controller';
import { FundsPagesController } from './pages/funds-pages.controller';
import { FundsService } from './funds.service';
import { RoundAdminPagesController } from './pages/round-admin-pages.controller';
import { RoundsApiController } from './api/rounds-api.controller';
import { RoundsService } from './rounds.service';

@Module({
  imports: [AreasModule, TypeOrmModule.forFeature([FundProgramme, FundingRound, RingFence, AssessmentCriterion])],
  controllers: [FundsPagesController, FundsApiController, RoundsApiController, RoundAdminPagesController, FundAdminPagesController, FormBuilderPagesController],
  providers: [FundsService, RoundsService],
  exports: [FundsService, RoundsService],
})
export class FundsModule {}
