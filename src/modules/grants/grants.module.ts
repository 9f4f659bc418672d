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
import { Grant } from './entities/grant.entity';
import { GrantLapsesService } from './grant-lapses.service';
import { GrantsService } from './grants.service';
import { GrantPagesController } from './pages/grant-pages.controller';
import { DelegatedAwardsPagesController } from './pages/delegated-awards-pages.controller';
import { RoundGrantsPagesController } from './pages/round-grants-pages.controller';

/** Grants: offered on the Commissioner's approval, accepted or declined by the organisation, lapsed when the offer period passes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Grant]),
    AllocationModule,
    ApplicationsModule,
    AssessmentModule,
    DecisionsModule,
    FundsModule,
    IdentityModule,
    NotificationsModule,
  ],
  controllers: [GrantsApiController, GrantPagesController, DelegatedAwardsPagesController, RoundGrantsPagesController],
  providers: [GrantsService, GrantLapsesService],
  exports: [GrantsService],
})
export class GrantsModule {}
