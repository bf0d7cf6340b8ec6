ALTER TABLE `email_changes` ADD `previous_email` text;--> statement-breakpoint
ALTER TABLE `email_changes` ADD `undo_token_hash` text;--> statement-breakpoint
ALTER TABLE `email_changes` ADD `undo_expires_at` integer;--> statement-breakpoint
ALTER TABLE `email_changes` ADD `undone_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `email_changes_undo_token_unique` ON `email_changes` (`undo_token_hash`);