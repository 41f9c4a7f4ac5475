CREATE TABLE "onboarding_policies" (
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "onboarding_policies_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "supplier_cases" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"policy_version" integer NOT NULL,
	"approvals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decision" text,
	"decided_at" timestamp with time zone,
	"decided_by_type" text,
	"decided_by_id" text,
	"decision_note" text,
	"override_justification" text,
	"gates_at_decision" jsonb,
	"items" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_by_type" text NOT NULL,
	"started_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "supplier_cases_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "approval_decision" text;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "approval_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "approval_override" text;--> statement-breakpoint
ALTER TABLE "onboarding_policies" ADD CONSTRAINT "onboarding_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_cases" ADD CONSTRAINT "supplier_cases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supplier_cases_supplier_idx" ON "supplier_cases" USING btree ("tenant_id","supplier_id","kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_cases_one_open_idx" ON "supplier_cases" USING btree ("tenant_id","supplier_id","kind") WHERE "supplier_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "supplier_cases_open_idx" ON "supplier_cases" USING btree ("tenant_id","kind","id") WHERE "supplier_cases"."status" = 'open';