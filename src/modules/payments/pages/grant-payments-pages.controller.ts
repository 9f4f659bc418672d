import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { formatPounds } from '@pcc/money';
import { CurrentUser, type Principal, SignedIn } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PaymentsService } from '../payments.service';

const STATUS_TEXT: Record<string, { text: string; classes: string }> = {
  scheduled: { text: 'Waiting for its report', classes: 'govuk-tag--grey' },
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  on_hold: { text: 'On hold', classes: 'govuk-tag--red' },
  requested: { text: 'Being approved', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved for payment', classes: 'govuk-tag--green' },
  paid: { text: 'Paid', classes: 'govuk-tag--green' },
  failed: { text: 'Payment failed', classes: 'govuk-tag--red' },
};

/** A grant's payments, for its organisation (and staff who may view all): each instalment, when it falls due and where it has got to. */
@ApiExcludeController()
@Controller('grants/:id/payments')
export class GrantPaymentsPagesController {
  constructor(private readonly payments: PaymentsService) {}

  @SignedIn()
  @Get()
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const rows = await this.payments.forGrant(me, id);
    const total = rows.reduce((sum, r) => sum + Number(r.instalment.amountPence), 0);
    const paid = rows.flatMap((r) => r.payments).filter((p) => p.status === 'paid');
    return res.render('payments/views/grant-payments.njk', {
      grantId: id,
      total: formatPounds(total),
      paidTotal: formatPounds(paid.reduce((sum, p) => sum + Number(p.amountPence), 0)),
      bankHref: rows[0] ? `/organisations/${rows[0].instalment.organisationId}/bank-details` : null,
      rows: rows.map(({ instalment: i, payments }) => ({
        paid: payments.filter((p) => p.status === 'paid').map((p) => ({ on: p.paidOn, reference: p.reference })),
        seq: i.seq,
        amount: formatPounds(Number(i.amountPence)),
        when: i.trigger === 'acceptance' ? 'When the offer was accepted' : `When the ${i.reportMonths}-month monitoring report is approved`,
        dueOn: i.dueOn,
        tag: STATUS_TEXT[i.status],
      })),
    });
  }
}
