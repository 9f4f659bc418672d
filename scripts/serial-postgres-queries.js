'use strict';
/**
 * Works around a pg deprecation triggered inside TypeORM (not our code): when TypeORM reads the
 * schema (RdbmsSchemaBuilder.log(), used by `migration:generate` and test/integration/migrations),
 * PostgresQueryRunner.loadTables() issues queries on one connection from inside Promise.all, so
 * pg queues them itself and warns "Calling client.query() when the client is already executing a
 * query is deprecated and will be removed in pg@9.0".
 *
 * pg runs a client's queries one after another anyway; this moves that queue from pg into the
 * query runner, so behaviour (order, errors, results) is unchanged and pg 9 will not break it.
 * Loaded by test/support/database.ts and by scripts/typeorm.js (node -r). Idempotent.
 */
const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');

const MARK = Symbol.for('pcc-grants.serial-postgres-queries');
const proto = PostgresQueryRunner.prototype;
if (!proto[MARK]) {
  const original = proto.query;
  const tails = new WeakMap();
  proto.query = function serialQuery(...args) {
    const previous = tails.get(this) || Promise.resolve();
    const result = previous.then(() => original.apply(this, args));
    // The next query waits for this one to settle, whether it succeeded or not.
    tails.set(
      this,
      result.then(
        () => undefined,
        () => undefined,
      ),
    );
    return result;
  };
  proto[MARK] = true;
}
