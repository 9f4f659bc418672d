import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants accepted before reports existed get theirs, as an acceptance now makes them: one for
 * each report their instalments (or, failing those, their round's schedule) wait on, and a final
 * one at 12 months unless one is due then or later; due from the acceptance's London day
 * (PostgreSQL's month arithmetic, like the service's, ends on a shorter month's last day). Without
 * them an instalment waiting on a report could never fall due. Only for grants with no reports, so
 * it can be run again (test/integration/monitoring-reports.spec.ts checks it against acceptances).
 */
export const BACKFILL_MONITORING_REPORTS = `
            INSERT INTO "monitoring_report" ("grant_id", "seq", "months", "due_on")
            SELECT g.id,
                   row_number() OVER (PARTITION BY g.id ORDER BY m.months),
                   m.months,
                   ((g.responded_at AT TIME ZONE 'Europe/London')::date + make_interval(months => m.months))::date
              FROM "grant" g
              JOIN "funding_round" r ON r.id = g.round_id
             CROSS JOIN LATERAL (
                   WITH wanted AS (
                     SELECT i.report_months AS months FROM "instalment" i WHERE i.grant_id = g.id AND i.report_months IS NOT NULL
                     UNION
                     SELECT (s ->> 'reportMonths')::int FROM jsonb_array_elements(r.payment_schedule) s
                      WHERE s ->> 'trigger' = 'monitoring_report' AND s ? 'reportMonths'
                        AND NOT EXISTS (SELECT 1 FROM "instalment" i WHERE i.grant_id = g.id)
                   )
                   SELECT months FROM wanted
                   UNION
                   SELECT 12 WHERE NOT EXISTS (SELECT 1 FROM wanted WHERE months >= 12)
                 ) m
             WHERE g.status = 'accepted' AND g.responded_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM "monitoring_report" x WHERE x.grant_id = g.id)
        `;

export class MonitoringReports1796303730599 implements MigrationInterface {
  name = 'MonitoringReports1796303730599';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "monitoring_report" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "grant_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "months" integer NOT NULL,
                "due_on" date NOT NULL,
                "status" text NOT NULL DEFAULT 'due',
                "outcomes" text,
                "spend_to_date_pence" bigint,
                "case_study" text,
                "submissions" integer NOT NULL DEFAULT '0',
                "submitted_by" uuid,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "reviewed_by" uuid,
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                "reviewer_comments" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_monitoring_report_comments" CHECK (
                    "status" <> 'changes_requested'
                    OR "reviewer_comments" IS NOT NULL
                ),
                CONSTRAINT "CHK_monitoring_report_reviewed" CHECK (
                    "status" NOT IN ('changes_requested', 'approved')
                    OR (
                        "reviewed_at" IS NOT NULL
                        AND "reviewed_by" IS NOT NULL
                    )
                ),
                CONSTRAINT "CHK_monitoring_report_submitted" CHECK (
                    "status" = 'due'
                    OR (
                        "submitted_at" IS NOT NULL
                        AND "submitted_by" IS NOT NULL
                        AND "outcomes" IS NOT NULL
                        AND "spend_to_date_pence" IS NOT NULL
                        AND "case_study" IS NOT NULL
                        AND "submissions" > 0
                    )
                ),
                CONSTRAINT "CHK_monitoring_report_spend" CHECK (
                    "spend_to_date_pence" IS NULL
                    OR "spend_to_date_pence" >= 0
                ),
                CONSTRAINT "CHK_monitoring_report_months" CHECK (
                    "months" BETWEEN 1 AND 60
                ),
                CONSTRAINT "CHK_monitoring_report_status" CHECK (
                    "status" IN (
                        'due',
                        'submitted',
                        'changes_requested',
                        'approved'
                    )
                ),
                CONSTRAINT "PK_4a8025f0938138cebd44827ef4e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_monitoring_report_status_due" ON "monitoring_report" ("status", "due_on")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_monitoring_report_grant_months" ON "monitoring_report" ("grant_id", "months")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_monitoring_report_grant_seq" ON "monitoring_report" ("grant_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "monitoring_report_reminder" (
                "report_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_4e6f48904d6e167ad08924ab1f5" PRIMARY KEY ("report_id", "kind")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "monitoring_report"
            ADD CONSTRAINT "FK_51eb4128e93208aa64275e9b806" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "monitoring_report_reminder"
            ADD CONSTRAINT "FK_c71336d70db7d24679147e9c3ef" FOREIGN KEY ("report_id") REFERENCES "monitoring_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(BACKFILL_MONITORING_REPORTS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "monitoring_report_reminder" DROP CONSTRAINT "FK_c71336d70db7d24679147e9c3ef"
        `);
    await queryRunner.query(`
            ALTER TABLE "monitoring_report" DROP CONSTRAINT "FK_51eb4128e93208aa64275e9b806"
        `);
    await queryRunner.query(`
            DROP TABLE "monitoring_report_reminder"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_monitoring_report_grant_seq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_monitoring_report_grant_months"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_monitoring_report_status_due"
        `);
    await queryRunner.query(`
            DROP TABLE "monitoring_report"
        `);
  }
}
