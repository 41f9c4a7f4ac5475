CREATE TABLE "ict_services" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"service_type" text NOT NULL,
	"supported_function" text,
	"critical_or_important" boolean DEFAULT false NOT NULL,
	"data_storage_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_processing_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_sensitivity" text,
	"reliance" text,
	"start_date" date,
	"end_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ict_services_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "subcontracting_links" (
	"tenant_id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"subcontractor_id" text NOT NULL,
	"service_id" text,
	"description" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subcontracting_links_tenant_id_supplier_id_subcontractor_id_pk" PRIMARY KEY("tenant_id","supplier_id","subcontractor_id")
);
--> statement-breakpoint
CREATE TABLE "supplier_contacts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" text,
	"phone" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "supplier_contacts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"legal_name" text,
	"country" text NOT NULL,
	"website" text,
	"status" text NOT NULL,
	"external_ref" text,
	"lei" text,
	"euid" text,
	"vat" text,
	"duns" text,
	"owner" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_sensitivity" text,
	"access_level" text,
	"supports_critical_function" boolean DEFAULT false NOT NULL,
	"substitutability" text,
	"annual_spend_amount" numeric(18, 2),
	"annual_spend_currency" text,
	"outside_eea" boolean NOT NULL,
	"has_critical_service" boolean DEFAULT false NOT NULL,
	"inherent_score" integer NOT NULL,
	"computed_tier" text NOT NULL,
	"tier_override" text,
	"tier_override_reason" text,
	"tier" text NOT NULL,
	"search_text" text GENERATED ALWAYS AS (lower(name || ' ' || coalesce(legal_name, '') || ' ' || coalesce(lei, '') || ' ' || coalesce(euid, '') || ' ' || coalesce(vat, '') || ' ' || coalesce(duns, '') || ' ' || coalesce(external_ref, ''))) STORED NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "suppliers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "ict_services" ADD CONSTRAINT "ict_services_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subcontracting_links" ADD CONSTRAINT "subcontracting_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_contacts" ADD CONSTRAINT "supplier_contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppliers" ADD CONSTRAINT "suppliers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ict_services_supplier_idx" ON "ict_services" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE INDEX "ict_services_critical_idx" ON "ict_services" USING btree ("tenant_id","supplier_id") WHERE "ict_services"."critical_or_important";--> statement-breakpoint
CREATE INDEX "subcontracting_links_subcontractor_idx" ON "subcontracting_links" USING btree ("tenant_id","subcontractor_id");--> statement-breakpoint
CREATE INDEX "subcontracting_links_service_idx" ON "subcontracting_links" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE INDEX "supplier_contacts_supplier_idx" ON "supplier_contacts" USING btree ("tenant_id","supplier_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_contacts_one_primary_idx" ON "supplier_contacts" USING btree ("tenant_id","supplier_id") WHERE "supplier_contacts"."is_primary";--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_external_ref_idx" ON "suppliers" USING btree ("tenant_id","external_ref") WHERE "suppliers"."external_ref" is not null;--> statement-breakpoint
CREATE INDEX "suppliers_name_idx" ON "suppliers" USING btree ("tenant_id","name","id");--> statement-breakpoint
CREATE INDEX "suppliers_created_idx" ON "suppliers" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "suppliers_updated_idx" ON "suppliers" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "suppliers_status_idx" ON "suppliers" USING btree ("tenant_id","status","name","id");--> statement-breakpoint
CREATE INDEX "suppliers_tier_idx" ON "suppliers" USING btree ("tenant_id","tier","name","id");--> statement-breakpoint
CREATE INDEX "suppliers_country_idx" ON "suppliers" USING btree ("tenant_id","country","name","id");--> statement-breakpoint
CREATE INDEX "suppliers_owner_idx" ON "suppliers" USING btree ("tenant_id","owner","name","id");--> statement-breakpoint
CREATE INDEX "suppliers_critical_idx" ON "suppliers" USING btree ("tenant_id","name","id") WHERE "suppliers"."supports_critical_function" or "suppliers"."has_critical_service";--> statement-breakpoint
CREATE INDEX "suppliers_tags_idx" ON "suppliers" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "suppliers_search_idx" ON "suppliers" USING gin ("search_text" gin_trgm_ops);