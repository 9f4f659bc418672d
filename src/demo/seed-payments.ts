import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { londonIsoDate } from '@pcc/london-time';
import type { DataSource } from 'typeorm';
import { ApplicationsService } from '../modules/applications/applications.service';
import { Grant } from '../modules/grants/entities/grant.entity';
import { GrantsService } from '../modules/grants/grants.service';
import { GrantVariation } from '../modules/grants/entities/grant-variation.entity';
import { GrantVariationsService } from '../modules/grants/grant-variations.service';
import { OrganisationMembership } from '../modules/identity/entities/organisation-membership.entity';
import { UserAccount } from '../modules/identity/entities/user-account.entity';
import { toPrincipal } from '../modules/identity/users.service';
import { Instalment } from '../modules/payments/entities/instalment.entity';
import { PaymentRun } from '../modules/payments/entities/payment-run.entity';
import { PaymentsService } from '../modules/payments/payments.service';
import { PccDecision } from '../modules/decisions/entities/pcc-decision.entity';
import { OrganisationRole } from '../platform/access';
import { Clock } from '../platform/clock';

/**
 * The Active Citizens Fund's grants at each stage of payment, made through the service as finance
 * and the groups would: bank details given and verified by a finance officer, requests raised and
 * approved by another person, one payment run exported and its payments marked paid.
 * - Bromford Lane Street Pastors: awaiting its first payment, but its bank details have just
 *   changed, so the payment is on hold until finance verifies the change (the finance officer's
 *   queue), then asks for it to be paid;
 * - Tipton Community Clean-up: paid in full;
 * - Coventry Community Food Bus: accepted in the spring and paid half then; the other half waits
 *   for its six-month report, which is a month overdue;
 * - Bilston Community Café: paid in full, then £400 asked back (the café closed for two months) and
 *   received, so the ledger shows it available again in the Wolverhampton area's pot.
 * Coventry has also asked to end three months later, waiting for the fund manager.
 * Only when no payment run exists yet.
 */
export async function seedDemoPayments(app: INestApplication): Promise<number> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  if ((await dataSource.getRepository(PaymentRun).count()) > 0) return 0;
  const budget = await dataSource.getRepository(PccDecision).findOne({ where: { title: 'Active Citizens Budget' } });
  if (!budget?.delegatedRoundId) return 0;
  const accounts = dataSource.getRepository(UserAccount);
  const staff = async (email: string) => toPrincipal(await accounts.findOneByOrFail({ email }), 'session');
  const manager = await staff('fundmanager@example.org');
  const officer = await staff('finance@example.org');
  const approver = await staff('financeapprover@example.org');
  const grants = app.get(GrantsService);
  const payments = app.get(PaymentsService);
  const applications = app.get(ApplicationsService);
  const today = londonIsoDate(app.get(Clock).now());

  // The budget decision's fourth submitted application is awarded too; every offer is accepted.
  const submitted = await applications.listForRound(budget.delegatedRoundId, { status: 'submitted' });
  for (const { application } of submitted.slice(0, 1)) {
    await applications.screen(manager, application.id, 'eligible');
    await grants.awardDelegated(manager, budget.id, { applicationId: application.id, amountPence: Number(application.amountRequestedPence) });
  }
  const all = await dataSource.getRepository(Grant).find({ where: { decisionId: budget.id }, order: { offeredAt: 'ASC', id: 'ASC' } });
  const summaries = await grants.summaries(all.map((g) => g.id));
  const owners = new Map<string, ReturnType<typeof toPrincipal>>();
  for (const g of all) {
    const s = summaries.get(g.id)!;
    const owner = await dataSource.getRepository(OrganisationMembership).findOneOrFail({
      where: { organisationId: s.organisationId, role: OrganisationRole.Owner },
      relations: { user: true },
    });
    owners.set(g.id, toPrincipal(owner.user!, 'session'));
    if (g.status === 'offered') await grants.accept(owners.get(g.id)!, g.id, { fullName: owner.user!.fullName });
  }
  const byName = (name: string) => all.find((g) => summaries.get(g.id)!.organisationName === name);
  const accountFor = (g: Grant, n: number) => ({
    accountName: summaries.get(g.id)!.organisationName,
    sortCode: `30-94-${String(10 + n)}`,
    accountNumber: `4${String(n).padStart(3, '0')}1234`,
  });
  // Each step checks where the grant has got to, so a first start stopped half-way is finished by the next.
  const bankAndVerify = async (g: Grant, n: number) => {
    const current = await payments.bankDetailsFor(manager, summaries.get(g.id)!.organisationId);
    if (current?.status === 'verified') return;
    if (!current) await payments.changeBankDetails(owners.get(g.id)!, summaries.get(g.id)!.organisationId, accountFor(g, n));
    await payments.verifyBankDetails(officer, summaries.get(g.id)!.organisationId, {
      method: 'call_back_known_number',
      verifiedWith: `${owners.get(g.id)!.fullName}, on the phone number from the application`,
      verifiedAt: new Date(app.get(Clock).now().getTime() - 3_600_000),
    });
  };
  const instalments = (g: Grant) => dataSource.getRepository(Instalment).find({ where: { grantId: g.id }, order: { seq: 'ASC' } });
  const approveFirst = async (g: Grant) => {
    const [first] = (await instalments(g)).filter((i) => i.status === 'due');
    if (!first) return null;
    const request = await payments.requestPayment(officer, first.id);
    await payments.approve(approver, request.id);
    return request.id;
  };

  const bromford = byName('Bromford Lane Street Pastors');
  const tipton = byName('Tipton Community Clean-up');
  const coventry = byName('Coventry Community Food Bus');
  const bilston = byName('Bilston Community Café');
  const toPay: (string | null)[] = [];
  let n = 1;
  for (const g of [tipton, coventry, bilston, bromford]) if (g) await bankAndVerify(g, n++);
  if (coventry && (await instalments(coventry)).length === 1)
    await payments.adjustSchedule(manager, coventry.id, {
      instalments: [
        { amountPence: Number(coventry.amountPence) / 2, trigger: 'acceptance' },
        { amountPence: Number(coventry.amountPence) / 2, trigger: 'monitoring_report', reportMonths: 6 },
      ],
      reason: 'A new group: half now, half when the six-month report shows the bus running',
    });
  // Coventry's first half went in the spring, in a run of its own; Tipton's and Bilston's today.
  const payRun = async (requestIds: (string | null)[]) => {
    const ids = requestIds.filter((id): id is string => !!id);
    if (!ids.length) return null;
    const run = await payments.createRun(officer, { requestIds: ids });
    await payments.exportRun(officer, run.id);
    const made = await payments.getRun(run.id);
    await payments.recordResults(
      officer,
      run.id,
      made.payments.map((p, i) => ({ paymentId: p.id, outcome: 'paid' as const, paidOn: today, bankReference: `BACS-${run.number}-${i + 1}` })),
    );
    return run;
  };
  const springRun = coventry ? await payRun([await approveFirst(coventry)]) : null;
  for (const g of [tipton, bilston]) if (g) toPay.push(await approveFirst(g));
  await payRun(toPay);
  if (coventry && springRun) await moveBack(dataSource, coventry, springRun.id);
  if (bilston) {
    const repayment = await payments.raiseRepayment(manager, bilston.id, {
      amountPence: 400_00,
      reason: 'The café closed for two months while the kitchen was refitted: the unspent volunteer costs',
    });
    await payments.receiveRepayment(officer, repayment.id, today);
  }
  // Bromford's treasurer changes the account before its first payment is asked for: it waits for finance to check.
  if (bromford && (await instalments(bromford)).some((i) => i.status === 'due'))
    await payments.changeBankDetails(owners.get(bromford.id)!, summaries.get(bromford.id)!.organisationId, {
      accountName: 'Bromford Lane Street Pastors CIO',
      sortCode: '40-47-84',
      accountNumber: '70872490',
    });
  // Coventry's bus was off the road for repairs: its treasurer asks for three more months, for the fund manager to decide.
  if (coventry && !(await dataSource.getRepository(GrantVariation).exists({ where: { grantId: coventry.id } }))) {
    const owner = owners.get(coventry.id)!;
    const { endsOn } = await grants.getFor(owner, coventry.id);
    const [y, mth, d] = endsOn.split('-').map(Number);
    const later = new Date(Date.UTC(y, mth - 1 + 3, Math.min(d, 28)));
    await app.get(GrantVariationsService).propose(owner, coventry.id, {
      newEndsOn: later.toISOString().slice(0, 10),
      reason: 'The bus was off the road for six weeks for repairs, so we need three more months to finish the project',
    });
  }
  return all.length;
}

/**
 * The demo needs a grant whose six-month report is overdue, and the clock cannot move outside
 * tests, so Coventry's grant is moved back seven months as if accepted in the spring: its offer and
 * acceptance, its commitment, its first instalment, the request, approval, run and payment of it,
 * its bank details and its monitoring reports' due dates, all together, so the record stays
 * consistent (its six-month report is a month overdue; the final report is due in five months).
 */
async function moveBack(dataSource: DataSource, grant: Grant, runId: string): Promise<void> {
  const by = `interval '7 months'`;
  await dataSource.transaction(async (m) => {
    await m.query(
      `UPDATE "grant" SET offered_at = offered_at - ${by}, offer_expires_at = offer_expires_at - ${by}, responded_at = responded_at - ${by} WHERE id = $1`,
      [grant.id],
    );
    await m.query(`UPDATE budget_commitment SET committed_at = committed_at - ${by} WHERE id = $1`, [grant.commitmentId]);
    await m.query(`UPDATE instalment SET due_on = (due_on - ${by})::date WHERE grant_id = $1 AND due_on IS NOT NULL`, [grant.id]);
    await m.query(`UPDATE monitoring_report SET due_on = (due_on - ${by})::date WHERE grant_id = $1`, [grant.id]);
    await m.query(
      `UPDATE payment_request SET requested_at = requested_at - ${by} + interval '1 day', decided_at = decided_at - ${by} + interval '2 days'
        WHERE instalment_id IN (SELECT id FROM instalment WHERE grant_id = $1)`,
      [grant.id],
    );
    await m.query(
      `UPDATE payment_approval SET approved_at = approved_at - ${by} + interval '2 days'
        WHERE request_id IN (SELECT r.id FROM payment_request r JOIN instalment i ON i.id = r.instalment_id WHERE i.grant_id = $1)`,
      [grant.id],
    );
    await m.query(
      `UPDATE payment_run SET created_at = created_at - ${by} + interval '3 days', exported_at = exported_at - ${by} + interval '3 days' WHERE id = $1`,
      [runId],
    );
    await m.query(
      `UPDATE payment SET paid_on = (paid_on - ${by} + interval '5 days')::date, recorded_at = recorded_at - ${by} + interval '5 days' WHERE grant_id = $1`,
      [grant.id],
    );
    await m.query(
      `UPDATE bank_details SET changed_at = changed_at - ${by}, verified_at = verified_at - ${by}
        WHERE organisation_id = (SELECT organisation_id FROM instalment WHERE grant_id = $1 LIMIT 1)`,
      [grant.id],
    );
  });
}
