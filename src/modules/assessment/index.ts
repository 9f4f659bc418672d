// The assessment module's public surface: other modules import from here, never from its files.
export { AssessmentModule } from './assessment.module';
export { AssessmentService, type Ranking, type RankingRow, type RoundProgress } from './assessment.service';
export { AssessmentException, AssessmentErrorCode, ASSESSMENT_ERROR_STATUS } from './assessment.exceptions';
export type { AssessmentStatus, Recommendation } from './entities/assessment.entity';
export { toHundredths } from './scoring';
/** A percentage typed as text ("72.5") in exact hundredths: for any input that takes a score or threshold. */
export { hundredthsOf } from './dto/assessment.dto';
