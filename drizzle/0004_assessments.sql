CREATE TABLE "assessment_answers" (
	"tenant_id" text NOT NULL,
	"assessment_id" text NOT NULL,
	"question_key" text NOT NULL,
	"value" jsonb,
	"comment" text,
	"evidence_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"review_status" text DEFAULT 'pending' NOT NULL,
	"review_comment" text,
	"reviewed_by_type" text,
	"reviewed_by_id" text,
	"reviewed_at" timestamp with time zone,
	"answered_by_type" text NOT NULL,
	"answered_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assessment_answers_tenant_id_assessment_id_question_key_pk" PRIMARY KEY("tenant_id","assessment_id","question_key")
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"template_id" text NOT NULL,
	"template_version" integer NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"message" text,
	"answered_count" integer DEFAULT 0 NOT NULL,
	"required_missing_count" integer DEFAULT 0 NOT NULL,
	"evidence_missing_count" integer DEFAULT 0 NOT NULL,
	"clarification_count" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"last_reminded_at" timestamp with time zone,
	"reminder_count" integer DEFAULT 0 NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assessments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "portal_invitations" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"assessment_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"forwarded_from_id" text,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "portal_invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_invitations" ADD CONSTRAINT "portal_invitations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessments_status_due_idx" ON "assessments" USING btree ("tenant_id","status","due_at","id");--> statement-breakpoint
CREATE INDEX "assessments_supplier_idx" ON "assessments" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "assessments_template_idx" ON "assessments" USING btree ("tenant_id","template_id","id");--> statement-breakpoint
CREATE INDEX "assessments_due_idx" ON "assessments" USING btree ("tenant_id","due_at","id");--> statement-breakpoint
CREATE INDEX "assessments_open_due_idx" ON "assessments" USING btree ("due_at") WHERE "assessments"."status" in ('sent', 'in_progress', 'returned');--> statement-breakpoint
CREATE UNIQUE INDEX "portal_invitations_token_idx" ON "portal_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "portal_invitations_assessment_idx" ON "portal_invitations" USING btree ("tenant_id","assessment_id");