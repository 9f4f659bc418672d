import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';

/**
 * One definition of the database connection for the app, the CLI and the tests.
 * `synchronize` is off everywhere: the schema only ever changes through a reviewed migration.
 */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    logging: ['error', 'warn', 'migration'],
    extra: { max: 20, application_name: 'pcc-grants' },
    ...overrides,
  } as DataSourceOptions;
}
