import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { toLondonLocal } from '@pcc/london-time';
import { DataSource } from 'typeorm';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { DecisionsException } from './decisions.exceptions';
import { PccDecision, decisionNumber } from './entities/pcc-decision.entity';

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
}
