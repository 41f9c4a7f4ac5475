CREATE TABLE "contract_clauses" (
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"clause_key" text NOT NULL,
	"status" text NOT NULL,
	"section_ref" text,
	"notes" text,
	"justification" text,
	"evidence_id" text,
	"updated_by_type" text NOT NULL,
	"updated_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contract_clauses_tenant_id_contract_id_clause_key_pk" PRIMARY KEY("tenant_id","contract_id","clause_key")
);
--> statement-breakpoint
CREATE TABLE "contract_services" (
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"service_id" text NOT NULL,
	CONSTRAINT "contract_services_tenant_id_contract_id_service_id_pk" PRIMARY KEY("tenant_id","contract_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"reference" text NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"start_date" date,
	"end_date" date,
	"notice_period_days" integer,
	"auto_renewal" boolean DEFAULT false NOT NULL,
	"governing_law" text,
	"annual_value_amount" numeric(18, 2),
	"annual_value_currency" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contracts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "custom_clauses" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"regime" text NOT NULL,
	"critical_only" boolean DEFAULT false NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "custom_clauses_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"service_id" text,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"planned_date" date,
	"performed_date" date,
	"scope" text,
	"auditor" text,
	"result" text,
	"report_evidence_id" text,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audits_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "incident_report_links" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"email" text,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_report_links_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text NOT NULL,
	"significant" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"aware_at" timestamp with time zone NOT NULL,
	"service_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"early_warning_completed_at" timestamp with time zone,
	"notification_completed_at" timestamp with time zone,
	"final_report_completed_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reported_by_type" text NOT NULL,
	"reported_by_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incidents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "regime" text DEFAULT 'nis2' NOT NULL;--> statement-breakpoint
ALTER TABLE "contract_clauses" ADD CONSTRAINT "contract_clauses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_services" ADD CONSTRAINT "contract_services_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_clauses" ADD CONSTRAINT "custom_clauses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_report_links" ADD CONSTRAINT "incident_report_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_clauses_clause_idx" ON "contract_clauses" USING btree ("tenant_id","clause_key","status");--> statement-breakpoint
CREATE INDEX "contract_services_service_idx" ON "contract_services" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_reference_idx" ON "contracts" USING btree ("tenant_id","reference");--> statement-breakpoint
CREATE INDEX "contracts_supplier_idx" ON "contracts" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "contracts_status_idx" ON "contracts" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE INDEX "contracts_end_idx" ON "contracts" USING btree ("tenant_id","end_date","id") WHERE "contracts"."end_date" is not null;--> statement-breakpoint
CREATE INDEX "audits_supplier_idx" ON "audits" USING btree ("tenant_id","supplier_id","planned_date","id");--> statement-breakpoint
CREATE INDEX "audits_status_idx" ON "audits" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_report_links_token_idx" ON "incident_report_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "incident_report_links_supplier_idx" ON "incident_report_links" USING btree ("tenant_id","supplier_id");--> statement-breakpoint
CREATE INDEX "incidents_supplier_idx" ON "incidents" USING btree ("tenant_id","supplier_id","aware_at","id");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("tenant_id","status","aware_at","id");