CREATE INDEX "findings_audit_idx" ON "findings" USING btree ("tenant_id","audit_id") WHERE "findings"."audit_id" is not null;--> statement-breakpoint
CREATE INDEX "findings_incident_idx" ON "findings" USING btree ("tenant_id","incident_id") WHERE "findings"."incident_id" is not null;--> statement-breakpoint
CREATE INDEX "audits_type_idx" ON "audits" USING btree ("tenant_id","type","id");--> statement-breakpoint
CREATE INDEX "incidents_aware_idx" ON "incidents" USING btree ("tenant_id","aware_at","id");