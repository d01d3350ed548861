ALTER TYPE "public"."message_status" ADD VALUE 'accepted' BEFORE 'sent';--> statement-breakpoint
CREATE TABLE "early_statuses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel_id" uuid NOT NULL,
	"wa_message_id" text NOT NULL,
	"status" text NOT NULL,
	"error_code" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"category" text DEFAULT 'utility' NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'approved' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "graph_api_base_url" text DEFAULT 'https://graph.facebook.com' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "graph_api_version" text DEFAULT 'v21.0' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "access_token_sealed" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "send_rate_per_second" integer DEFAULT 80 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "template_name" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "early_statuses" ADD CONSTRAINT "early_statuses_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "early_statuses_wa_id" ON "early_statuses" USING btree ("channel_id","wa_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_tenant_name_language" ON "templates" USING btree ("tenant_id","name","language");--> statement-breakpoint
CREATE INDEX "messages_send_queue" ON "messages" USING btree ("next_attempt_at") WHERE status = 'queued';