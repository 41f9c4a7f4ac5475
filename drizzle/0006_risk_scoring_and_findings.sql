CREATE TABLE "finding_comments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"finding_id" text NOT NULL,
	"body" text NOT NULL,
	"author_type" text NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "finding_comments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"assessment_id" text,
	"question_key" text,
	"service_id" text,
	"evidence_id" text,
	"contract_id" text,
	"clause_key" text,
	"audit_id" text,
	"incident_id" text,
	"owner" text,
	"due_date" date,
	"remediation_plan" text,
	"resolved_at" timestamp with time zone,
	"risk_accepted_by_type" text,
	"risk_accepted_by_id" text,
	"risk_accepted_at" timestamp with time zone,
	"risk_acceptance_justification" text,
	"risk_acceptance_expires_at" date,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "findings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "risk_models" (
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "risk_models_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "risk_recalculations" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"status" text NOT NULL,
	"model_version" integer NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"cursor" text,
	"lease_until" timestamp with time zone,
	"error" text,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "risk_recalculations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "risk_scores" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"model_version" integer NOT NULL,
	"inherent_risk" integer NOT NULL,
	"tier" text NOT NULL,
	"control_strength" integer NOT NULL,
	"residual_risk" integer NOT NULL,
	"rating" text NOT NULL,
	"explanation" jsonb NOT NULL,
	"inputs_hash" text NOT NULL,
	"trigger" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "risk_scores_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "risk_score_id" text;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "residual_risk" integer;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "risk_rating" text;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "risk_scored_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "last_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "next_review_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "review_due_reason" text;--> statement-breakpoint
ALTER TABLE "finding_comments" ADD CONSTRAINT "finding_comments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_models" ADD CONSTRAINT "risk_models_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_recalculations" ADD CONSTRAINT "risk_recalculations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_scores" ADD CONSTRAINT "risk_scores_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "finding_comments_finding_idx" ON "finding_comments" USING btree ("tenant_id","finding_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_source_idx" ON "findings" USING btree ("tenant_id","source","source_ref") WHERE "findings"."source_ref" is not null;--> statement-breakpoint
CREATE INDEX "findings_supplier_idx" ON "findings" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "findings_status_idx" ON "findings" USING btree ("tenant_id","status","severity","id");--> statement-breakpoint
CREATE INDEX "findings_severity_idx" ON "findings" USING btree ("tenant_id","severity","id");--> statement-breakpoint
CREATE INDEX "findings_source_kind_idx" ON "findings" USING btree ("tenant_id","source","id");--> statement-breakpoint
CREATE INDEX "findings_due_idx" ON "findings" USING btree ("tenant_id","due_date","id") WHERE "findings"."status" in ('open', 'in_remediation');--> statement-breakpoint
CREATE INDEX "findings_acceptance_expiry_idx" ON "findings" USING btree ("risk_acceptance_expires_at") WHERE "findings"."status" = 'risk_accepted';--> statement-breakpoint
CREATE INDEX "risk_recalculations_pending_idx" ON "risk_recalculations" USING btree ("created_at") WHERE "risk_recalculations"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "risk_scores_supplier_idx" ON "risk_scores" USING btree ("tenant_id","supplier_id","computed_at","id");--> statement-breakpoint
CREATE INDEX "suppliers_risk_idx" ON "suppliers" USING btree ("tenant_id","residual_risk","id");--> statement-breakpoint
CREATE INDEX "suppliers_rating_idx" ON "suppliers" USING btree ("tenant_id","risk_rating","id");--> statement-breakpoint
CREATE INDEX "suppliers_next_review_idx" ON "suppliers" USING btree ("tenant_id","next_review_at","id") WHERE "suppliers"."archived_at" is null;