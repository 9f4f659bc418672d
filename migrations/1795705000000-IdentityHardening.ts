import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7, identity findings:
 *
 * - `organisation.verified_at`: an organisation is verified when an administrator has checked it
 *   is who it says it is; until then staff see it tagged "Unverified".
 * - `organisation_dispute`: a second claimant of a registration number asks an administrator to
 *   look into it, instead of meeting a dead end. Resolved by transferring ownership to the
 *   claimant or rejecting the claim; a resolved dispute keeps who decided and when.
 * - `email_quota`: emails sent per recipient and per sender in the hour since the first of them,
 *   counted with one conditional upsert so the limit holds under any concurrency and across
 *   instances.
 *
 * Like `http_session`, the last two are read and written only by the identity module's own SQL,
 * so they have no TypeORM entity (the drift check leaves tables without entities alone).
 */
export class IdentityHardening1795705000000 implements MigrationInterface {
  name = 'IdentityHardening1795705000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "organisation" ADD "verified_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`
      CREATE TABLE "organisation_dispute" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "claimant_id" uuid NOT NULL,
        "claimant_role" text NOT NULL,
        "reason" text NOT NULL,
        "status" text NOT NULL DEFAULT 'open',
        "resolution_note" text,
        "resolved_by" uuid,
        "resolved_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_organisation_dispute" PRIMARY KEY ("id"),
        CONSTRAINT "FK_organisation_dispute_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_organisation_dispute_claimant" FOREIGN KEY ("claimant_id") REFERENCES "user_account"("id"),
        CONSTRAINT "FK_organisation_dispute_resolved_by" FOREIGN KEY ("resolved_by") REFERENCES "user_account"("id"),
        CONSTRAINT "CHK_organisation_dispute_status" CHECK ("status" IN ('open', 'transferred', 'rejected')),
        -- Open means undecided; a decision always says who made it and when.
        CONSTRAINT "CHK_organisation_dispute_resolved" CHECK (("status" = 'open') = ("resolved_at" IS NULL) AND ("resolved_at" IS NULL) = ("resolved_by" IS NULL))
      )
    `);
    // One open dispute per claimant and organisation: a double-submitted form cannot queue two.
    await q.query(`CREATE UNIQUE INDEX "organisation_dispute_open_idx" ON "organisation_dispute" ("organisation_id", "claimant_id") WHERE "status" = 'open'`);
    await q.query(`CREATE INDEX "organisation_dispute_status_idx" ON "organisation_dispute" ("status", "created_at")`);
    await q.query(`
      CREATE TABLE "email_quota" (
        "key" text NOT NULL,
        "window_start" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "sent" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_email_quota" PRIMARY KEY ("key"),
        CONSTRAINT "CHK_email_quota_sent" CHECK ("sent" >= 0)
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "email_quota"`);
    await q.query(`DROP TABLE "organisation_dispute"`);
    await q.query(`ALTER TABLE "organisation" DROP COLUMN "verified_at"`);
  }
}
