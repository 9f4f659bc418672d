import type { DataSource } from 'typeorm';

/**
 * Fills a round with `n` applications straight into the tables (one organisation each, as a round
 * allows one live application per organisation) in two statements: thousands in well under a
 * second, for the list, bench and browser tests. Every 10th is a draft, every 7th eligible, the
 * rest submitted; amounts run from £1,000 up in £250 steps; categories take turns. Organisation
 * names are "<tag> group 0001" …, so a search for the tag finds them all.
 */
export async function seedRoundApplications(
  ds: DataSource,
  o: { roundId: string; prefix: string; n: number; createdBy: string; categories: string[]; tag: string; area?: string },
): Promise<void> {
  await ds.query(
    `INSERT INTO organisation (name, type, org_id, address_line1, town, postcode, area_ons_code, contact_name, contact_email)
     SELECT $1 || ' group ' || lpad(g::text, 4, '0'), 'unincorporated_group', '360G-' || $1 || '-' || g, '1 High Street', 'Birmingham', 'B1 1AA',
            $3, 'Contact ' || g, 'group' || g || '@' || lower($1) || '.example'
       FROM generate_series(1, $2::int) AS g`,
    [o.tag, o.n, o.area ?? 'E08000025'],
  );
  await ds.query(
    `INSERT INTO application (round_id, organisation_id, created_by, status, reference, reference_seq, answers, amount_requested_pence, category, submitted_at, created_at)
     SELECT $1, org.id, $2,
            CASE WHEN s.g % 10 = 0 THEN 'draft' WHEN s.g % 7 = 0 THEN 'eligible' ELSE 'submitted' END,
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE $3 || '-' || lpad(s.g::text, 4, '0') END,
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE s.g END,
            '{}'::jsonb, 100000 + (s.g % 97) * 25000, ($4::text[])[1 + s.g % array_length($4::text[], 1)],
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE timestamptz '2027-01-05 09:00Z' + s.g * interval '1 minute' END,
            timestamptz '2027-01-04 09:00Z' + s.g * interval '1 minute'
       FROM (SELECT id, row_number() OVER (ORDER BY name)::int AS g FROM organisation WHERE org_id LIKE '360G-' || $5 || '-%') AS s
       JOIN organisation org ON org.id = s.id`,
    [o.roundId, o.createdBy, o.prefix, o.categories, o.tag],
  );
  await ds.query('ANALYZE application; ANALYZE organisation');
}
