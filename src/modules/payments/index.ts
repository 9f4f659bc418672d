// The payments module's public surface: other modules import from here, never from its files.
export { PaymentsModule } from './payments.module';
export { PaymentsService, financialYear } from './payments.service';
export type { InstalmentStatus } from './entities/instalment.entity';
export { PaymentsException, PaymentsErrorCode, PAYMENTS_ERROR_STATUS } from './payments.exceptions';
