import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DecisionRecordsApiController, DecisionsApiController } from './api/decisions-api.controller';
import { DecisionsService } from './decisions.service';
import { RegisterPagesController } from './pages/register-pages.controller';
import { DecisionNumberCounter } from './entities/decision-number-counter.entity';
import { PccDecision } from './entities/pcc-decision.entity';

/** The Commissioner's numbered decision records (issue 11; drafting so far). */
@Module({
  imports: [TypeOrmModule.forFeature([PccDecision, DecisionNumberCounter])],
  controllers: [DecisionsApiController, DecisionRecordsApiController, RegisterPagesController],
  providers: [DecisionsService],
  exports: [DecisionsService],
})
export class DecisionsModule {}
