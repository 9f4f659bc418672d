// The allocation module's public surface: other modules import from here, never from its files.
// Today the allocation run's arithmetic (issue 11); its runs, budgets and pages follow.
export {
  allocate,
  qualifiesFor,
  AllocationSettingsError,
  type AllocationCandidate,
  type AllocationResult,
  type AllocationSettings,
  type Award,
  type Outcome,
  type PotTotals,
  type RingFencePot,
} from './allocation-plan';
export { AllocationModule } from './allocation.module';
export { AllocationService } from './allocation.service';
export { AllocationException, AllocationErrorCode, ALLOCATION_ERROR_STATUS } from './allocation.exceptions';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { BudgetCommitment } from './entities/budget-commitment.entity';
export type { AllocationRun, RunAdjustment } from './entities/allocation-run.entity';
export type { RoundBudget } from './allocation.service';
