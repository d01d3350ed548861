DROP INDEX "outbox_unpublished";--> statement-breakpoint
CREATE INDEX "outbox_unpublished" ON "outbox" USING btree ("created_at","id") WHERE published_at IS NULL;