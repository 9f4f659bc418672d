import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FundsModule } from '../funds';
import { GrantsModule } from '../grants';
import { PaymentsApiController } from './api/payments-api.controller';
import { Instalment } from './entities/instalment.entity';
import { PaymentApproval } from './entities/payment-approval.entity';
import { PaymentRequest } from './entities/payment-request.entity';
import { PaymentsService } from './payments.service';
import { FinancePagesController } from './pages/finance-pages.controller';
import { GrantPaymentsPagesController } from './pages/grant-payments-pages.controller';
import { IdentityModule } from '../identity';

/** Payments (issue 12): grants' instalments from their rounds' schedules; requests, approvals and runs to follow. */
@Module({
  imports: [TypeOrmModule.forFeature([Instalment, PaymentRequest, PaymentApproval]), FundsModule, GrantsModule, IdentityModule],
  controllers: [PaymentsApiController, FinancePagesController, GrantPaymentsPagesController],
  providers: [PaymentsService],
  exports: [PaymentsService],
})
export class PaymentsModule {}
