/**
 * The TypeORM CLI's data source (`npm run migration:generate -- Name`, `migration:run`,
 * `migration:revert`). It reads DATABASE_URL like the app; scripts/typeorm.js starts the embedded
 * server first when DATABASE_URL is unset.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/entities';
import { dataSourceOptions } from '../src/platform/database/data-source-options';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI (scripts/typeorm.js sets it for the embedded server)');

export default new DataSource(dataSourceOptions(url, { entities: ENTITIES }));
