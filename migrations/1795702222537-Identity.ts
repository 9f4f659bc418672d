import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795702222537 implements MigrationInterface {
  name = 'Identity1795702222537';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "user_account" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "full_name" text NOT NULL,
                "password_hash" text,
                "email_verified_at" TIMESTAMP WITH TIME ZONE,
                "roles" text array NOT NULL DEFAULT '{}',
                "status" text NOT NULL DEFAULT 'active',
                "mfa_secret" text,
                "mfa_enabled_at" TIMESTAMP WITH TIME ZONE,
                "mfa_last_time_step" bigint,
                "last_signed_in_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_56a0e4bcec2b5411beafa47ffa5" UNIQUE ("email"),
                CONSTRAINT "CHK_user_account_roles" CHECK (
                    "roles" <@ ARRAY ['assessor', 'fund_manager', 'finance_officer', 'finance_approver', 'commissioner', 'admin', 'auditor']::text []
                ),
                CONSTRAINT "CHK_user_account_status" CHECK ("status" IN ('active', 'deactivated')),
                CONSTRAINT "PK_6acfec7285fdf9f463462de3e9f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "api_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "prefix" text NOT NULL,
                "name" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_bafaa5aab5957cd193fb2da8f24" UNIQUE ("token_hash"),
                CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "api_token_user_idx" ON "api_token" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "auth_throttle" (
                "key" text NOT NULL,
                "failures" integer NOT NULL DEFAULT '0',
                "blocked_until" TIMESTAMP WITH TIME ZONE,
                "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4c7fca5065c568fa2bae24a1d26" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "mfa_recovery_code" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "code_hash" text NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_824921896b23fe8ce3a2aa97db9" UNIQUE ("code_hash"),
                CONSTRAINT "PK_cdbbb187d9498f3aee029649fbf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "mfa_recovery_code_user_idx" ON "mfa_recovery_code" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "organisation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "type" text NOT NULL,
                "charity_number" text,
                "company_number" text,
                "org_id" text NOT NULL,
                "address_line1" text NOT NULL,
                "address_line2" text,
                "town" text NOT NULL,
                "postcode" text NOT NULL,
                "area_ons_code" text,
                "outside_force_area" boolean NOT NULL DEFAULT false,
                "area_description" text,
                "contact_name" text NOT NULL,
                "contact_email" text NOT NULL,
                "contact_phone" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_e24d73349bc604e894d2472dd0b" UNIQUE ("org_id"),
                CONSTRAINT "CHK_organisation_type" CHECK (
                    "type" IN (
                        'registered_charity',
                        'cio',
                        'cic',
                        'company_limited_by_guarantee',
                        'unincorporated_group',
                        'school',
                        'faith_group',
                        'other'
                    )
                ),
                CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "organisation_company_number_idx" ON "organisation" ("company_number")
        `);
    await queryRunner.query(`
            CREATE INDEX "organisation_charity_number_idx" ON "organisation" ("charity_number")
        `);
    await queryRunner.query(`
            CREATE TABLE "organisation_membership" (
                "organisation_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_organisation_membership_role" CHECK ("role" IN ('owner', 'member')),
                CONSTRAINT "PK_3f4c663ef746f7f8048a817fd5a" PRIMARY KEY ("organisation_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "security_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" text NOT NULL,
                "purpose" text NOT NULL,
                "user_id" uuid,
                "email" text,
                "organisation_id" uuid,
                "roles" text array NOT NULL DEFAULT '{}',
                "created_by" uuid,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_ff22c85296553548cd82365f0d1" UNIQUE ("token_hash"),
                CONSTRAINT "CHK_security_token_purpose" CHECK (
                    "purpose" IN (
                        'verify_email',
                        'reset_password',
                        'staff_invitation',
                        'organisation_invitation'
                    )
                ),
                CONSTRAINT "PK_137b1cb1cd1228fe114cfdd7308" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "security_token_user_idx" ON "security_token" ("user_id", "purpose")
        `);
    await queryRunner.query(`
            ALTER TABLE "api_token"
            ADD CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "mfa_recovery_code"
            ADD CONSTRAINT "FK_cb8070e714a552e9c6b6271ff98" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation"
            ADD CONSTRAINT "FK_b268975afce81266b0be84197d6" FOREIGN KEY ("area_ons_code") REFERENCES "local_authority_area"("ons_code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_membership"
            ADD CONSTRAINT "FK_772addb126d418417ace2503034" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_membership"
            ADD CONSTRAINT "FK_8392d75a032aa0827a6409a7112" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "security_token"
            ADD CONSTRAINT "FK_19938dcff2f3170bc61979e9c50" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "security_token"
            ADD CONSTRAINT "FK_ce06b82ec4fd5484288b4afea6b" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Rules the database keeps even if application code forgets them (see docs/data-model.md).
    await queryRunner.query(`ALTER TABLE "user_account" ADD CONSTRAINT "CHK_user_account_email_lower" CHECK ("email" = lower("email"))`);
    await queryRunner.query(
      `ALTER TABLE "user_account" ADD CONSTRAINT "CHK_user_account_password_argon2id" CHECK ("password_hash" IS NULL OR "password_hash" LIKE '$argon2id$%')`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "CHK_organisation_charity_number" CHECK ("type" NOT IN ('registered_charity', 'cio') OR "charity_number" IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "CHK_organisation_company_number" CHECK ("type" NOT IN ('cic', 'company_limited_by_guarantee') OR "company_number" IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "CHK_organisation_area" CHECK (("area_ons_code" IS NULL) = "outside_force_area" AND (NOT "outside_force_area" OR "area_description" IS NOT NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "CHK_organisation_org_id" CHECK (("charity_number" IS NULL AND "company_number" IS NULL) = ("org_id" LIKE '360G-%'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "security_token" ADD CONSTRAINT "CHK_security_token_reset_lifetime" CHECK ("purpose" <> 'reset_password' OR "expires_at" <= "created_at" + interval '1 hour')`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "CHK_api_token_expiry" CHECK ("expires_at" > "created_at" AND "expires_at" <= "created_at" + interval '366 days')`,
    );
    // Web sessions (express-session via connect-pg-simple), shared by every app instance.
    // Not an entity: the session store owns its rows; this migration owns the table.
    await queryRunner.query(`
            CREATE TABLE "http_session" (
                "sid" varchar NOT NULL COLLATE "default",
                "sess" json NOT NULL,
                "expire" TIMESTAMP(6) WITH TIME ZONE NOT NULL,
                "user_id" uuid GENERATED ALWAYS AS (("sess"->'passport'->>'user')::uuid) STORED,
                CONSTRAINT "PK_http_session" PRIMARY KEY ("sid")
            )
        `);
    await queryRunner.query(`CREATE INDEX "http_session_expire_idx" ON "http_session" ("expire")`);
    // Lets deactivation and password changes end every session of one user at once.
    await queryRunner.query(`CREATE INDEX "http_session_user_idx" ON "http_session" ("user_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "http_session"`);
    await queryRunner.query(`
            ALTER TABLE "security_token" DROP CONSTRAINT "FK_ce06b82ec4fd5484288b4afea6b"
        `);
    await queryRunner.query(`
            ALTER TABLE "security_token" DROP CONSTRAINT "FK_19938dcff2f3170bc61979e9c50"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_membership" DROP CONSTRAINT "FK_8392d75a032aa0827a6409a7112"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation_membership" DROP CONSTRAINT "FK_772addb126d418417ace2503034"
        `);
    await queryRunner.query(`
            ALTER TABLE "organisation" DROP CONSTRAINT "FK_b268975afce81266b0be84197d6"
        `);
    await queryRunner.query(`
            ALTER TABLE "mfa_recovery_code" DROP CONSTRAINT "FK_cb8070e714a552e9c6b6271ff98"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_token" DROP CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."security_token_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "security_token"
        `);
    await queryRunner.query(`
            DROP TABLE "organisation_membership"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."organisation_charity_number_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."organisation_company_number_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "organisation"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."mfa_recovery_code_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "mfa_recovery_code"
        `);
    await queryRunner.query(`
            DROP TABLE "auth_throttle"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_token_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "api_token"
        `);
    await queryRunner.query(`
            DROP TABLE "user_account"
        `);
  }
}
