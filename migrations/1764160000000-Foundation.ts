import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764160000000 implements MigrationInterface {
  name = 'Foundation1764160000000';

  async up(q: QueryRunner): Promise<void> {
    // --- Audit trail: append-only, enforced by the database itself -------------------------
    await q.query(`CREATE TABLE "audit_event" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "actor_id" uuid,
      "actor_label" text,
      "action" text NOT NULL,
      "entity_type" text NOT NULL,
      "entity_id" text NOT NULL,
      "before" jsonb,
      "after" jsonb,
      "request_id" text,
      "ip" text,
      CONSTRAINT "PK_audit_event" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "audit_event_entity_idx" ON "audit_event" ("entity_type", "entity_id", "occurred_at")`);
    await q.query(`CREATE INDEX "audit_event_actor_idx" ON "audit_event" ("actor_id", "occurred_at")`);
    await q.query(`CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
      FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
    await q.query(`CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);

    // --- Email outbox -------------------------------------------------------------------------
    await q.query(`CREATE TABLE "notification_outbox" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "idempotency_key" text NOT NULL,
      "template" text NOT NULL,
      "to_address" text NOT NULL,
      "subject" text NOT NULL,
      "text_body" text NOT NULL,
      "html_body" text NOT NULL,
      "status" text NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "locked_until" TIMESTAMP WITH TIME ZONE,
      "last_error" text,
      "delivered_via" text,
      "message_id" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "sent_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "UQ_notification_outbox_idempotency_key" UNIQUE ("idempotency_key"),
      CONSTRAINT "PK_notification_outbox" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_notification_outbox_status" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed')),
      CONSTRAINT "CHK_notification_outbox_channel" CHECK ("delivered_via" IS NULL OR "delivered_via" IN ('smtp', 'mailbox')))`);
    await q.query(`CREATE INDEX "notification_outbox_due_idx" ON "notification_outbox" ("next_attempt_at") WHERE status IN ('pending', 'sending')`);

    // --- Funds ---------------------------------------------------------------------------------
    await q.query(`CREATE TABLE "fund_programme" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "code" text NOT NULL,
      "name" text NOT NULL,
      "funding_source" text NOT NULL,
      "summary" text NOT NULL,
      "exclusions" text array NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_fund_programme_code" UNIQUE ("code"),
      CONSTRAINT "UQ_fund_programme_name" UNIQUE ("name"),
      CONSTRAINT "PK_fund_programme" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_fund_programme_funding_source" CHECK ("funding_source" IN ('moj_victims_grant', 'proceeds_of_crime_act', 'pcc_core_budget', 'other')))`);
    await q.query(`CREATE TABLE "local_authority_area" (
      "ons_code" text NOT NULL,
      "name" text NOT NULL,
      "in_force_area" boolean NOT NULL DEFAULT true,
      CONSTRAINT "UQ_local_authority_area_name" UNIQUE ("name"),
      CONSTRAINT "PK_local_authority_area" PRIMARY KEY ("ons_code"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "local_authority_area"`);
    await q.query(`DROP TABLE "fund_programme"`);
    await q.query(`DROP TABLE "notification_outbox"`);
    await q.query(`DROP TABLE "audit_event"`);
    await q.query(`DROP FUNCTION audit_event_refuse_change()`);
  }
}
