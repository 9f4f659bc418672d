import { afterRow, type KeysetTerm } from '../../src/platform/database/keyset';

/*
 * The keyset condition the exports read their batches with: the rows after the last one read, in
 * the list's own order, NULLs last. test/integration/table-exports.spec.ts reads real lists with
 * it, across batches and every sort; this checks the condition's shape.
 */
describe('reading a list by keyset', () => {
  const terms: KeysetTerm[] = [
    { expr: 'a.amount', dir: 'DESC', nullable: true },
    { expr: 'a.created_at', dir: 'ASC' },
    { expr: 'a.id', dir: 'ASC' },
  ];

  it('starts after the last row: later in the first term, or equal in it and later in the next, and so on', () => {
    const { sql, params } = afterRow(terms, ['500', '2027-01-05 09:00:00.123456+00', 'id-1']);
    expect(sql).toBe(
      '((((a.amount) < :keyset_after_0 OR (a.amount) IS NULL)) OR ' +
        '((a.amount) = :keyset_after_0 AND ((a.created_at) > :keyset_after_1)) OR ' +
        '((a.amount) = :keyset_after_0 AND (a.created_at) = :keyset_after_1 AND ((a.id) > :keyset_after_2)))',
    );
    // Values go as parameters, never into the SQL; a timestamp keeps its microseconds as text.
    expect(params).toEqual({ keyset_after_0: '500', keyset_after_1: '2027-01-05 09:00:00.123456+00', keyset_after_2: 'id-1' });
  });

  it('puts nothing after a NULL in its own term (NULLs come last), so the next rows are the other NULLs', () => {
    const { sql, params } = afterRow(terms, [null, '2027-01-05 09:00:00+00', 'id-1']);
    expect(sql).toBe(
      '(((a.amount) IS NULL AND ((a.created_at) > :keyset_after_1)) OR ((a.amount) IS NULL AND (a.created_at) = :keyset_after_1 AND ((a.id) > :keyset_after_2)))',
    );
    expect(params).toEqual({ keyset_after_1: '2027-01-05 09:00:00+00', keyset_after_2: 'id-1' });
  });
});
