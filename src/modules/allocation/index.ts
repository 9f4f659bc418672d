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
