import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { Principal } from '../../platform/access';
import { LocalAuthorityArea } from './entities/local-authority-area.entity';
import { LocalAuthorityPopulation } from './entities/local-authority-population.entity';
import type { PopulationInputDto } from './dto/population-input.dto';

/** An area with its population figure (null when an administrator has not given one). */
export interface AreaPopulation {
  onsCode: string;
  name: string;
  population: number | null;
  year: number | null;
  source: string | null;
  updatedAt: Date | null;
}

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

  /** Every area in the force area with its population figure, by name: for awards per 1,000 residents. */
  async populations(): Promise<AreaPopulation[]> {
    const areas = (await this.list()).filter((a) => a.inForceArea);
    const figures = new Map((await this.dataSource.getRepository(LocalAuthorityPopulation).find()).map((p) => [p.areaOnsCode, p]));
    return areas.map((a) => {
      const p = figures.get(a.onsCode);
      return {
        onsCode: a.onsCode,
        name: a.name,
        population: p?.population ?? null,
        year: p?.year ?? null,
        source: p?.source ?? null,
        updatedAt: p?.updatedAt ?? null,
      };
    });
  }

  /** One area's figure, or null for a code that is not an area in the force area. */
  async population(onsCode: string): Promise<AreaPopulation | null> {
    return (await this.populations()).find((a) => a.onsCode === onsCode) ?? null;
  }

  /**
   * An administrator sets an area's population, year and source (the input already checked by
   * PopulationInputDto). The change and its audit row commit together; the row is locked so two
   * administrators saving at once leave one figure and two truthful audit rows.
   */
  async setPopulation(actor: Principal, onsCode: string, input: PopulationInputDto): Promise<AreaPopulation | null> {
    return this.dataSource.transaction(async (m) => {
      const area = await m.findOne(LocalAuthorityArea, { where: { onsCode, inForceArea: true } });
      if (!area) return null;
      const repo = m.getRepository(LocalAuthorityPopulation);
      const before = await repo.findOne({ where: { areaOnsCode: onsCode }, lock: { mode: 'pessimistic_write' } });
      const source = input.source.trim();
      const figure = { population: input.population, year: input.year, source, updatedBy: actor.id };
      if (before) await repo.update({ areaOnsCode: onsCode }, figure);
      else await repo.insert({ areaOnsCode: onsCode, ...figure });
      await writeAudit(m, {
        action: 'area.population_changed',
        entityType: 'local_authority_area',
        entityId: onsCode,
        before: before ? { population: before.population, year: before.year, source: before.source } : null,
        after: { areaName: area.name, population: input.population, year: input.year, source },
      });
      const saved = await repo.findOneOrFail({ where: { areaOnsCode: onsCode } });
      return { onsCode, name: area.name, population: saved.population, year: saved.year, source: saved.source, updatedAt: saved.updatedAt };
    });
  }
}
