import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from '../applications';
import { AreasModule } from '../areas';
import { AssessmentModule } from '../assessment';
import { AllocationPagesController } from './pages/allocation-pages.controller';
import { FundsModule } from '../funds';
import { DecisionsModule } from '../decisions';
import { AllocationApiController } from './api/allocation-api.controller';
import { AllocationService } from './allocation.service';
import { AllocationRun } from './entities/allocation-run.entity';
import { BudgetCommitment } from './entities/budget-commitment.entity';

/** Allocation: runs of a round's recommended awards within its budget and ring-fences. */
@Module({
  imports: [TypeOrmModule.forFeature([AllocationRun, BudgetCommitment]), AssessmentModule, FundsModule, ApplicationsModule, AreasModule, DecisionsModule],
  controllers: [AllocationApiController, AllocationPagesController],
  providers: [AllocationService],
  exports: [AllocationService],
})
export class AllocationModule {}
