import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { assertInTransaction, writeAudit } from '@pcc/audit';
import { DataSource, type EntityManager } from 'typeorm';
import { FundProgramme, type FundingSource } from './entities/fund-programme.entity';
import { FundsException } from './funds.exceptions';

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
}
