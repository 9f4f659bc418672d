import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { assertInTransaction, writeAudit } from '@pcc/audit';
import { DataSource, type EntityManager } from 'typeorm';
import { FundProgramme, type FundingSource } from './entities/fund-programme.entity';
import { FundsException } from './funds.exceptions';
import { isUuid } from '../../platform/http/id.pipe';

export interface NewProgramme {
  code: string;
  name: string;
  fundingSource: FundingSource;
  summary: string;
  exclusions?: string[];
  /** The finance system's cost centre for its payments. */
  costCentre?: string | null;
  /** Its grants are crime and disorder reduction grants, published monthly as the Specified Information Order asks (default no). */
  crimeAndDisorderReduction?: boolean;
}

/** What a fund manager may change on an existing fund; a field left out keeps its value, an empty cost centre takes it away. */
export interface FundSettings {
  crimeAndDisorderReduction?: boolean;
  costCentre?: string | null;
}

@Injectable()
export class FundsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listProgrammes(manager: EntityManager = this.dataSource.manager): Promise<FundProgramme[]> {
    return manager.getRepository(FundProgramme).find({ order: { name: 'ASC' } });
  }

  /** Creates a programme inside the caller's transaction, with its audit row. */
  async createProgramme(manager: EntityManager, input: NewProgramme): Promise<FundProgramme> {
    assertInTransaction(manager, 'Creating a fund programme');
    const repo = manager.getRepository(FundProgramme);
    const clash = await repo.findOne({ where: [{ code: input.code }, { name: input.name }] });
    if (clash) throw FundsException.programmeExists(clash.code === input.code ? 'code' : 'name');
    const programme = await repo.save(
      repo.create({
        ...input,
        exclusions: input.exclusions ?? [],
        costCentre: input.costCentre ?? null,
        crimeAndDisorderReduction: input.crimeAndDisorderReduction ?? false,
      }),
    );
    await writeAudit(manager, { action: 'fund_programme.created', entityType: 'fund_programme', entityId: programme.id, after: input });
    return programme;
  }

  /** One fund programme; an unknown (or malformed) id is `funds.not_found`. */
  async getProgramme(id: string, manager: EntityManager = this.dataSource.manager): Promise<FundProgramme> {
    const programme = isUuid(id) ? await manager.getRepository(FundProgramme).findOne({ where: { id } }) : null;
    if (!programme) throw FundsException.notFound();
    return programme;
  }

  /**
   * Changes a fund's settings in one transaction with its audit row, under the fund's row lock so
   * two changes at once are recorded one after the other, each with what it changed from. The
   * crime and disorder setting takes effect at once everywhere: the Specified Information list
   * reads it with every request. Nothing changed (the same values sent again) writes nothing.
   */
  async updateSettings(id: string, input: FundSettings): Promise<FundProgramme> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(FundProgramme);
      const programme = isUuid(id) ? await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!programme) throw FundsException.notFound();
      const before: FundSettings = {};
      const after: FundSettings = {};
      if (typeof input.crimeAndDisorderReduction === 'boolean' && input.crimeAndDisorderReduction !== programme.crimeAndDisorderReduction) {
        before.crimeAndDisorderReduction = programme.crimeAndDisorderReduction;
        after.crimeAndDisorderReduction = input.crimeAndDisorderReduction;
      }
      const costCentre = input.costCentre === undefined ? undefined : input.costCentre?.trim() || null;
      if (costCentre !== undefined && costCentre !== programme.costCentre) {
        before.costCentre = programme.costCentre;
        after.costCentre = costCentre;
      }
      if (!Object.keys(after).length) return programme;
      await repo.update({ id }, after);
      await writeAudit(m, {
        action: 'fund_programme.settings_changed',
        entityType: 'fund_programme',
        entityId: id,
        before,
        after: { name: programme.name, ...after },
      });
      return repo.findOneOrFail({ where: { id } });
    });
  }
}
