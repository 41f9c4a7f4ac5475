CREATE TABLE "functions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"identifier" text NOT NULL,
	"name" text NOT NULL,
	"licensed_activity" text,
	"critical_or_important" boolean,
	"criticality_reasons" text,
	"last_criticality_assessment_on" date,
	"rto_hours" integer,
	"rpo_hours" integer,
	"discontinuation_impact" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "functions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "lei" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "entity_type" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "competent_authority" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "function_id" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "substitutability" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "non_substitutability_reason" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "exit_plan_exists" boolean;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "reintegration_possibility" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "discontinuation_impact" text;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "alternative_providers_identified" boolean;--> statement-breakpoint
ALTER TABLE "ict_services" ADD COLUMN "alternative_providers" text;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "arrangement_type" text;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "overarching_reference" text;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "provider_notice_period_days" integer;--> statement-breakpoint
ALTER TABLE "functions" ADD CONSTRAINT "functions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "functions_identifier_idx" ON "functions" USING btree ("tenant_id","identifier");--> statement-breakpoint
CREATE INDEX "ict_services_function_idx" ON "ict_services" USING btree ("tenant_id","function_id") WHERE "ict_services"."function_id" is not null;