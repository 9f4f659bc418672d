import { MigrationInterface, QueryRunner } from 'typeorm';

export class Repayments1796305310930 implements MigrationInterface {
  name = 'Repayments1796305310930';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "repayment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "grant_id" uuid NOT NULL,
                "amount_pence" bigint NOT NULL,
                "reason" text NOT NULL,
                "status" text NOT NULL DEFAULT 'owed',
                "raised_by" uuid NOT NULL,
                "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "received_on" date,
                "received_by" uuid,
                CONSTRAINT "CHK_repayment_received" CHECK (
                    ("status" = 'received') = ("received_on" IS NOT NULL)
                ),
                CONSTRAINT "CHK_repayment_status" CHECK ("status" IN ('owed', 'received')),
                CONSTRAINT "CHK_repayment_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "PK_73c2754ffb392d8ca8023f20ec5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_repayment_grant" ON "repayment" ("grant_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "repayment"
            ADD CONSTRAINT "FK_afee47a10de509ee2e7ba730071" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "repayment" DROP CONSTRAINT "FK_afee47a10de509ee2e7ba730071"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_repayment_grant"
        `);
    await queryRunner.query(`
            DROP TABLE "repayment"
        `);
  }
}
