import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { LocalAuthorityArea } from './entities/local-authority-area.entity';

/**
 * The local authority areas the Commissioner covers. They are reference data, loaded by a
 * migration (ONS codes change only when local government is reorganised), and several modules
 * need them: organisations say where they work, rounds say where they fund, lists filter by them.
 */
/**
 * The choice that stands for "outside the force area" wherever an area is picked or filtered on
 * (an organisation's base, the round page's eligibility check, the staff filters).
 */
export const OUTSIDE_AREA = 'outside';

@Injectable()
export class AreasService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(manager: EntityManager = this.dataSource.manager): Promise<LocalAuthorityArea[]> {
    return manager.getRepository(LocalAuthorityArea).find({ order: { name: 'ASC' } });
  }

  /** ONS code → name, for showing codes stored elsewhere. */
  async names(manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    return new Map((await this.list(manager)).map((a) => [a.onsCode, a.name]));
  }

  /** Which of these codes are areas we know. */
  async known(manager: EntityManager, codes: string[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    return new Set((await manager.find(LocalAuthorityArea, { where: { onsCode: In(codes) } })).map((a) => a.onsCode));
  }
}
