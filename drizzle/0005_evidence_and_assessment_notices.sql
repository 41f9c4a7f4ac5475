CREATE TABLE "blob_chunks" (
	"tenant_id" text NOT NULL,
	"sha256" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_tenant_id_sha256_seq_pk" PRIMARY KEY("tenant_id","sha256","seq")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"tenant_id" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"store" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "blobs_tenant_id_sha256_pk" PRIMARY KEY("tenant_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"issued_at" date,
	"valid_from" date,
	"valid_until" date,
	"period_start" date,
	"period_end" date,
	"service_id" text,
	"assessment_id" text,
	"question_key" text,
	"contract_id" text,
	"audit_id" text,
	"incident_id" text,
	"uploaded_by_type" text NOT NULL,
	"uploaded_by_id" text NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evidence_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "return_message" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "overdue_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blob_chunks" ADD CONSTRAINT "blob_chunks_tenant_id_sha256_blobs_tenant_id_sha256_fk" FOREIGN KEY ("tenant_id","sha256") REFERENCES "public"."blobs"("tenant_id","sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blobs" ADD CONSTRAINT "blobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_supplier_idx" ON "evidence" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "evidence_kind_idx" ON "evidence" USING btree ("tenant_id","kind","id");--> statement-breakpoint
CREATE INDEX "evidence_valid_until_idx" ON "evidence" USING btree ("tenant_id","valid_until","id") WHERE "evidence"."valid_until" is not null;--> statement-breakpoint
CREATE INDEX "evidence_assessment_idx" ON "evidence" USING btree ("tenant_id","assessment_id","question_key") WHERE "evidence"."assessment_id" is not null;--> statement-breakpoint
CREATE INDEX "evidence_sha256_idx" ON "evidence" USING btree ("tenant_id","sha256");