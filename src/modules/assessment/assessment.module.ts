import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from '../applications';
import { FundsModule } from '../funds';
import { IdentityModule } from '../identity';
import { NotificationsModule } from '../notifications';
import { AssessmentApiController } from './api/assessment-api.controller';
import { AssessmentService } from './assessment.service';
import { ScoringRemindersService } from './scoring-reminders.service';
import { AssessorPagesController } from './pages/assessor-pages.controller';
import { ModerationPagesController } from './pages/moderation-pages.controller';
import { AssessmentScore } from './entities/assessment-score.entity';
import { Assessment } from './entities/assessment.entity';
import { DeclaredInterest } from './entities/declared-interest.entity';
import { Moderation } from './entities/moderation.entity';

/** Assessment: assigning assessors, declarations of interest, scoring, moderation and the ranking. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Assessment, AssessmentScore, DeclaredInterest, Moderation]),
    ApplicationsModule,
    FundsModule,
    IdentityModule,
    NotificationsModule,
  ],
  controllers: [AssessmentApiController, AssessorPagesController, ModerationPagesController],
  providers: [AssessmentService, ScoringRemindersService],
  exports: [AssessmentService],
})
export class AssessmentModule {}
