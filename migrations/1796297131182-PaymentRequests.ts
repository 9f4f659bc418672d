import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentRequests1796297131182 implements MigrationInterface {
  name = 'PaymentRequests1796297131182';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "payment_request" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "instalment_id" uuid NOT NULL,
                "amount_pence" bigint NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "approvals_needed" integer NOT NULL,
                "requested_by" uuid NOT NULL,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "rejection_reason" text,
                CONSTRAINT "CHK_payment_request_rejected" CHECK (
                    ("status" = 'rejected') = ("rejection_reason" IS NOT NULL)
                ),
                CONSTRAINT "CHK_payment_request_approvals" CHECK ("approvals_needed" IN (1, 2)),
                CONSTRAINT "CHK_payment_request_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "CHK_payment_request_status" CHECK ("status" IN ('pending', 'approved', 'rejected')),
                CONSTRAINT "PK_b274a8e7b35dd0fd12e46e89f3c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_payment_request_status" ON "payment_request" ("status", "requested_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_payment_request_live" ON "payment_request" ("instalment_id")
            WHERE "status" IN ('pending', 'approved')
        `);
    await queryRunner.query(`
            CREATE TABLE "payment_approval" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "approver_id" uuid NOT NULL,
                "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_be16f8bd8909467e8b9fcdbfc68" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_payment_approval_once" ON "payment_approval" ("request_id", "approver_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_request"
            ADD CONSTRAINT "FK_9257d9543e83325d0112c49af3a" FOREIGN KEY ("instalment_id") REFERENCES "instalment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_approval"
            ADD CONSTRAINT "FK_92935f47a14715c05c0eca4eb83" FOREIGN KEY ("request_id") REFERENCES "payment_request"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "payment_approval" DROP CONSTRAINT "FK_92935f47a14715c05c0eca4eb83"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_request" DROP CONSTRAINT "FK_9257d9543e83325d0112c49af3a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_payment_approval_once"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_approval"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_payment_request_live"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_payment_request_status"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_request"
        `);
  }
}
