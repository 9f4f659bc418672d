import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';

/**
 * One definition of the database connection for the app, the CLI and the tests.
 * `synchronize` is off everywhere: the schema only ever changes through a reviewed migration.
 * The entity list is passed in (`src/entities.ts`, beside the app module), because the platform
 * knows no module: running migrations needs no entities at all.
 */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
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
