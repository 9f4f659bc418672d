// The decisions module's public surface: other modules import from here, never from its files.
export { DecisionsModule } from './decisions.module';
export { DecisionsService } from './decisions.service';
export { DecisionsException, DecisionsErrorCode, DECISIONS_ERROR_STATUS } from './decisions.exceptions';
export { decisionNumber, type DecisionStatus } from './entities/pcc-decision.entity';
