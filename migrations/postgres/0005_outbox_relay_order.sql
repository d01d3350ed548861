ALTER TABLE "outbox" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();--> statement-breakpoint
CREATE INDEX "outbox_key_order" ON "outbox" USING btree ("key","created_at","id");