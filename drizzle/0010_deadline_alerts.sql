CREATE TABLE "deadline_alerts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"deadline" date NOT NULL,
	"lead_days" integer NOT NULL,
	"days_left" integer NOT NULL,
	"summary" text NOT NULL,
	"mailed_to" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "deadline_alerts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "notification_email" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "contract_alert_days" integer[] DEFAULT '{90,30,7}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "evidence_alert_days" integer[] DEFAULT '{60,30,0}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "deadline_alerts" ADD CONSTRAINT "deadline_alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deadline_alerts_subject_idx" ON "deadline_alerts" USING btree ("tenant_id","kind","subject_id","deadline","lead_days");--> statement-breakpoint
CREATE INDEX "deadline_alerts_supplier_idx" ON "deadline_alerts" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "deadline_alerts_kind_idx" ON "deadline_alerts" USING btree ("tenant_id","kind","id");--> statement-breakpoint
CREATE INDEX "contract_clauses_missing_idx" ON "contract_clauses" USING btree ("tenant_id","contract_id") WHERE "contract_clauses"."status" = 'missing';