import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { toLondonLocal } from '@pcc/london-time';
import { DataSource } from 'typeorm';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { DecisionsException } from './decisions.exceptions';
import { type DecisionStatus, PccDecision, decisionNumber } from './entities/pcc-decision.entity';
import { isUuid } from '../../platform/http/id.pipe';

/** What the public register shows: published decisions, and rejected or withdrawn ones, which keep their numbers. */
const ON_REGISTER: readonly DecisionStatus[] = ['published', 'rejected', 'withdrawn'];

/**
 * The Commissioner's decision records. Today: drafting, which gives the record its number. The
 * submission, approval, publication and the public register follow (issue 11).
 */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Drafts a decision record and gives it the next number of the London calendar year, in the same transaction. */
  async draft(actor: Principal, input: { title: string; summary: string; confidential?: boolean; confidentialSubject?: string }): Promise<PccDecision> {
    const confidential = input.confidential ?? false;
    const subject = input.confidentialSubject?.trim() ?? '';
    if (confidential && !subject)
      throw new ValidationFailedException([
        { field: 'confidentialSubject', rule: 'requiredWhenConfidential', message: 'Say what a confidential decision relates to' },
      ]);
    if (!confidential && subject)
      throw new ValidationFailedException([
        { field: 'confidentialSubject', rule: 'onlyWhenConfidential', message: 'Say what it relates to only for a confidential decision' },
      ]);
    const year = toLondonLocal(this.clock.now()).year;
    return this.dataSource.transaction(async (m) => {
      // The year's counter row is the queue: drafters take turns, and a rollback hands the number back.
      await m.query(`INSERT INTO decision_number_counter (year, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [year]);
      const [[counter]] = await m.query<[{ last_seq: number }[], number]>(
        `UPDATE decision_number_counter SET last_seq = last_seq + 1 WHERE year = $1 RETURNING last_seq`,
        [year],
      );
      if (counter.last_seq > 999) throw DecisionsException.yearFull(year);
      const saved = await m.save(
        m.create(PccDecision, {
          year,
          seq: counter.last_seq,
          title: input.title.trim(),
          summary: input.summary.trim(),
          confidential,
          confidentialSubject: confidential ? subject : null,
          draftedBy: actor.id,
        }),
      );
      await writeAudit(m, {
        action: 'decision.drafted',
        entityType: 'pcc_decision',
        entityId: saved.id,
        after: { number: decisionNumber(saved), title: saved.title, confidential },
      });
      return saved;
    });
  }

  /** A fund manager submits a draft to the Commissioner. */
  submit(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(id, ['draft'], 'submitted', (d) => {
      Object.assign(d, { status: 'submitted', submittedAt: this.clock.now() });
      return { action: 'decision.submitted' };
    });
  }

  /** The Commissioner approves a submitted decision; not one they drafted themselves. */
  approve(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(id, ['submitted'], 'approved', (d) => {
      if (d.draftedBy === actor.id) throw DecisionsException.ownDecision();
      Object.assign(d, { status: 'approved', decidedAt: this.clock.now(), decidedBy: actor.id });
      return { action: 'decision.approved' };
    });
  }

  /** The Commissioner rejects a submitted decision, with a reason; it keeps its number and shows on the register as rejected. */
  reject(actor: Principal, id: string, reason: string): Promise<PccDecision> {
    const why = reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the decision is rejected' }]);
    return this.transition(id, ['submitted'], 'rejected', (d) => {
      if (d.draftedBy === actor.id) throw DecisionsException.ownDecision();
      Object.assign(d, { status: 'rejected', decidedAt: this.clock.now(), decidedBy: actor.id, rejectionReason: why });
      return { action: 'decision.rejected', after: { reason: why } };
    });
  }

  /** A fund manager withdraws a draft or submitted decision, with a reason: it keeps its number and shows on the register as withdrawn. */
  withdraw(actor: Principal, id: string, reason: string): Promise<PccDecision> {
    const why = reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the decision is withdrawn' }]);
    return this.transition(id, ['draft', 'submitted'], 'withdrawn', (d) => {
      Object.assign(d, { status: 'withdrawn', withdrawnReason: why });
      return { action: 'decision.withdrawn', after: { reason: why, by: actor.id } };
    });
  }

  /** Publishes an approved decision on the public register. */
  publish(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(id, ['approved'], 'published', (d) => {
      Object.assign(d, { status: 'published', publishedAt: this.clock.now() });
      return { action: 'decision.published' };
    });
  }

  /** The public register: published decisions, and rejected or withdrawn ones (which keep their numbers), newest first. */
  async register(q: { year?: number; limit: number; page: number }): Promise<{ items: PccDecision[]; total: number }> {
    const qb = this.dataSource.getRepository(PccDecision).createQueryBuilder('d').where('d.status IN (:...shown)', { shown: ON_REGISTER });
    if (q.year) qb.andWhere('d.year = :year', { year: q.year });
    const [items, total] = await qb
      .orderBy('d.year', 'DESC')
      .addOrderBy('d.seq', 'DESC')
      .offset((q.page - 1) * q.limit)
      .limit(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  /** One decision on the register by its number ("016-2020"); anything not on the register is "not found". */
  async onRegister(number: string): Promise<PccDecision> {
    const n = /^(\d{3})-(\d{4})$/.exec(number);
    const d = n ? await this.dataSource.getRepository(PccDecision).findOne({ where: { seq: Number(n[1]), year: Number(n[2]) } }) : null;
    if (!d || !ON_REGISTER.includes(d.status)) throw DecisionsException.notFound();
    return d;
  }

  /** One step of the record's life, under its row lock, with its audit row. */
  private transition(
    id: string,
    from: DecisionStatus[],
    verb: string,
    change: (d: PccDecision) => { action: string; after?: Record<string, unknown> },
  ): Promise<PccDecision> {
    return this.dataSource.transaction(async (m) => {
      const d = isUuid(id) ? await m.findOne(PccDecision, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!d) throw DecisionsException.notFound();
      if (!from.includes(d.status)) throw DecisionsException.wrongState(decisionNumber(d), d.status, verb);
      const before = d.status;
      const { action, after } = change(d);
      await m.save(d);
      await writeAudit(m, {
        action,
        entityType: 'pcc_decision',
        entityId: d.id,
        before: { status: before },
        after: { status: d.status, number: decisionNumber(d), ...after },
      });
      return d;
    });
  }
}
