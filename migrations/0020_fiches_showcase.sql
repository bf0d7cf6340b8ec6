CREATE TABLE `experience_publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`experience_id` integer NOT NULL,
	`action` text NOT NULL,
	`actor_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`experience_id`) REFERENCES `experiences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `experience_publications_experience_idx` ON `experience_publications` (`experience_id`);--> statement-breakpoint
ALTER TABLE `experiences` ADD `domain` text;--> statement-breakpoint
ALTER TABLE `experiences` ADD `objectives` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiences` ADD `publics` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiences` ADD `region` text;--> statement-breakpoint
ALTER TABLE `experiences` ADD `period_start` text;--> statement-breakpoint
ALTER TABLE `experiences` ADD `period_end` text;--> statement-breakpoint
ALTER TABLE `experiences` ADD `cofunders` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiences` ADD `volunteers` integer;--> statement-breakpoint
ALTER TABLE `experiences` ADD `participants` integer;--> statement-breakpoint
ALTER TABLE `experiences` ADD `publication` text DEFAULT 'private' NOT NULL;--> statement-breakpoint
ALTER TABLE `experiences` ADD `published_at` integer;--> statement-breakpoint
CREATE INDEX `experiences_publication_idx` ON `experiences` (`publication`,`published_at`);