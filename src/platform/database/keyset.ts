import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Reading a whole list a batch at a time by keyset, for downloads that must not hold the list in
 * memory: each batch is one query that starts after the last row of the one before (its sort
 * values), so no connection or transaction is held open while a slow reader downloads, and a
 * row changed or added meanwhile never makes another row appear twice or go missing, as paging
 * with OFFSET would. (A row whose own sort values change mid-download may itself be missed or
 * given twice: it has moved in the order. No snapshot is held, by design.)
 */

/**
 * Rows a download reads from the database at a time: one batch is all it holds. A test lowers
 * `size` to cross batch boundaries with a handful of rows.
 */
export const EXPORT_BATCH = { size: 500 };

/** One term of a list's order: a SQL expression of the query, and its direction. */
export interface KeysetTerm {
  /** `a.reference_seq`, `lower(o.name)`: the same expression the list's page sorts by. */
  expr: string;
  dir: 'ASC' | 'DESC';
  /** It may be NULL: NULLs come last, in either direction, as the lists sort them. */
  nullable?: boolean;
}

/**
 * Every row of `query()` in the order of `terms`, `batchSize` at a time. The terms must make the
 * order total (end with the id), and the query may join only many-to-one, so a row of the result
 * is one entity. Each batch is yielded as entities, with `raw` beside them for values the query
 * selected besides (`addSelect`).
 */
export async function* keysetBatches<E extends ObjectLiteral>(
  query: () => SelectQueryBuilder<E>,
  terms: readonly KeysetTerm[],
  batchSize: number = EXPORT_BATCH.size,
): AsyncGenerator<{ entities: E[]; raw: Record<string, unknown>[] }> {
  let after: (string | null)[] | null = null;
  for (;;) {
    const qb = query();
    // Each term's value as text: a timestamp read back into a JavaScript Date would lose its microseconds.
    terms.forEach((t, i) => qb.addSelect(`(${t.expr})::text`, `keyset_${i}`));
    if (after) {
      const { sql, params } = afterRow(terms, after);
      qb.andWhere(sql, params);
    }
    orderByTerms(qb, terms);
    // limit, not take: the joins are many-to-one, and take would page by a second DISTINCT query.
    const { entities, raw } = await qb.limit(batchSize).getRawAndEntities<Record<string, unknown>>();
    if (!raw.length) return;
    yield { entities, raw };
    if (raw.length < batchSize) return;
    const last = raw[raw.length - 1];
    after = terms.map((_, i) => (last[`keyset_${i}`] ?? null) as string | null);
  }
}

/** Orders a query by the terms, NULLs last: the same order for a list's page and its batches. */
export function orderByTerms<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, terms: readonly KeysetTerm[]): SelectQueryBuilder<E> {
  terms.forEach((t, i) => (i === 0 ? qb.orderBy(t.expr, t.dir, 'NULLS LAST') : qb.addOrderBy(t.expr, t.dir, 'NULLS LAST')));
  return qb;
}

/**
 * The rows after one in the order of `terms`: later in the first term, or equal in it and later
 * in the second, and so on. NULLs come last, so nothing comes after a NULL in its own term, and
 * every NULL comes after a value. The values are compared in the columns' own types (PostgreSQL
 * reads each text parameter as the type of the expression it is compared with).
 */
export function afterRow(terms: readonly KeysetTerm[], values: readonly (string | null)[]): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  values.forEach((v, i) => {
    if (v !== null) params[`keyset_after_${i}`] = v;
  });
  // Each expression in brackets, so one like `x IS NOT NULL` compares as a whole.
  const e = (t: KeysetTerm) => `(${t.expr})`;
  const equal = (t: KeysetTerm, i: number) => (values[i] === null ? `${e(t)} IS NULL` : `${e(t)} = :keyset_after_${i}`);
  const later = (t: KeysetTerm, i: number) =>
    values[i] === null ? null : `(${e(t)} ${t.dir === 'ASC' ? '>' : '<'} :keyset_after_${i}${t.nullable ? ` OR ${e(t)} IS NULL` : ''})`;
  const alternatives: string[] = [];
  terms.forEach((t, i) => {
    const beyond = later(t, i);
    if (beyond) alternatives.push([...terms.slice(0, i).map(equal), beyond].join(' AND '));
  });
  return { sql: alternatives.length ? `(${alternatives.map((a) => `(${a})`).join(' OR ')})` : 'FALSE', params };
}
