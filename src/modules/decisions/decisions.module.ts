import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FundsModule } from '../funds';
import { DecisionRecordsApiController, DecisionsApiController, ForwardPlanApiController } from './api/decisions-api.controller';
import { DecisionsService } from './decisions.service';
import { RegisterPagesController } from './pages/register-pages.controller';
import { StaffDecisionsPagesController } from './pages/staff-decisions-pages.controller';
import { DecisionNumberCounter } from './entities/decision-number-counter.entity';
import { PccDecision } from './entities/pcc-decision.entity';

/** The Commissioner's numbered decision records, from drafting to the public register (issue 11). */
@Module({
  imports: [TypeOrmModule.forFeature([PccDecision, DecisionNumberCounter]), FundsModule],
  controllers: [DecisionsApiController, DecisionRecordsApiController, ForwardPlanApiController, RegisterPagesController, StaffDecisionsPagesController],
  providers: [DecisionsService],
  exports: [DecisionsService],
})
export class DecisionsModule {}
