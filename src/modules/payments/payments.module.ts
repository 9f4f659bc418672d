import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FundsModule } from '../funds';
import { GrantsModule } from '../grants';
import { PaymentsApiController } from './api/payments-api.controller';
import { PaymentRunsApiController } from './api/payment-runs-api.controller';
import { BankDetailsApiController } from './api/bank-details-api.controller';
import { BankDetails } from './entities/bank-details.entity';
import { PaymentRun } from './entities/payment-run.entity';
import { Payment } from './entities/payment.entity';
import { Repayment } from './entities/repayment.entity';
import { AllocationModule } from '../allocation';
import { NotificationsModule } from '../notifications';
import { Instalment } from './entities/instalment.entity';
import { PaymentApproval } from './entities/payment-approval.entity';
import { PaymentRequest } from './entities/payment-request.entity';
import { PaymentsService } from './payments.service';
import { FinancePagesController } from './pages/finance-pages.controller';
import { GrantPaymentsPagesController } from './pages/grant-payments-pages.controller';
import { PaymentRunsPagesController } from './pages/payment-runs-pages.controller';
import { BankDetailsPagesController } from './pages/bank-details-pages.controller';
import { IdentityModule } from '../identity';

/** Payments (issue 12): grants' instalments from their rounds' schedules; requests, approvals and runs to follow. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Instalment, PaymentRequest, PaymentApproval, BankDetails, PaymentRun, Payment, Repayment]),
    FundsModule,
    GrantsModule,
    IdentityModule,
    AllocationModule,
    NotificationsModule,
  ],
  controllers: [
    PaymentsApiController,
    PaymentRunsApiController,
    BankDetailsApiController,
    FinancePagesController,
    GrantPaymentsPagesController,
    PaymentRunsPagesController,
    BankDetailsPagesController,
  ],
  providers: [PaymentsService],
  exports: [PaymentsService],
})
export class PaymentsModule {}
