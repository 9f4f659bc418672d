// The decisions module's public surface: other modules import from here, never from its files.
export { DecisionsModule } from './decisions.module';
export { DecisionsService } from './decisions.service';
export { DecisionsException, DecisionsErrorCode, DECISIONS_ERROR_STATUS } from './decisions.exceptions';
export {
  PccDecision,
  decisionNumber,
  type DecisionStatus,
  type DecisionAward,
  type DecisionDeclaration,
  type FinancialImplications,
  type BackgroundPaper,
} from './entities/pcc-decision.entity';
export { DecisionDto } from './dto/decisions.dto';
export { serialiseDecision } from './api/decisions-api.controller';
