CREATE TABLE "agent_activity" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_active_at" timestamp with time zone NOT NULL,
	"auto_away_at" timestamp with time zone,
	"auto_away_source" text
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"cycle" integer NOT NULL,
	"team_id" uuid,
	"agent_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "automation_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"csat_enabled" boolean DEFAULT false NOT NULL,
	"pending_expiry_seconds" integer DEFAULT 86400 NOT NULL,
	"idle_timeout_seconds" integer DEFAULT 600 NOT NULL,
	"disconnect_timeout_seconds" integer DEFAULT 90 NOT NULL,
	"reassign_grace_seconds" integer DEFAULT 120 NOT NULL,
	"escalation_steps" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_cycles" (
	"conversation_id" uuid NOT NULL,
	"cycle" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"wait_started_at" timestamp with time zone,
	"alerted_at" timestamp with time zone,
	"escalation_step" integer DEFAULT 0 NOT NULL,
	"breached_at" timestamp with time zone,
	"away_sent_at" timestamp with time zone,
	"csat_requested_at" timestamp with time zone,
	"csat_skipped_at" timestamp with time zone,
	"csat_score" integer,
	"csat_scored_at" timestamp with time zone,
	"csat_comment_length" integer,
	"csat_submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_cycles_conversation_id_cycle_pk" PRIMARY KEY("conversation_id","cycle")
);
--> statement-breakpoint
CREATE TABLE "team_automation" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"csat_enabled" boolean,
	"escalation_steps" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_activity" ADD CONSTRAINT "agent_activity_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_activity" ADD CONSTRAINT "agent_activity_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_settings" ADD CONSTRAINT "automation_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_cycles" ADD CONSTRAINT "sla_cycles_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_cycles" ADD CONSTRAINT "sla_cycles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_automation" ADD CONSTRAINT "team_automation_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_automation" ADD CONSTRAINT "team_automation_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_dedupe" ON "alerts" USING btree ("tenant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "alerts_agent" ON "alerts" USING btree ("agent_id","id");--> statement-breakpoint
CREATE INDEX "alerts_team" ON "alerts" USING btree ("tenant_id","team_id","id");--> statement-breakpoint
CREATE INDEX "sla_cycles_csat_open" ON "sla_cycles" USING btree ("csat_scored_at") WHERE csat_score IS NOT NULL AND csat_submitted_at IS NULL;