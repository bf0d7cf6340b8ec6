ALTER TABLE `signing_keys` ADD `retired_at` integer;--> statement-breakpoint
ALTER TABLE `signing_keys` ADD `withdrawn_at` integer;