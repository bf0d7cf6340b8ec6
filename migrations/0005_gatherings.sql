CREATE TABLE `attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`gathering_id` integer NOT NULL,
	`user_id` integer,
	`guest_name` text,
	`guest_organization` text,
	`status` text NOT NULL,
	`walk_in` integer DEFAULT false NOT NULL,
	`marked_at` integer NOT NULL,
	`marked_by` integer,
	FOREIGN KEY (`gathering_id`) REFERENCES `gatherings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`marked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_person_unique` ON `attendance` (`gathering_id`,`user_id`) WHERE user_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `attendance_user_idx` ON `attendance` (`user_id`);--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `calendar_feeds_user_idx` ON `calendar_feeds` (`user_id`);--> statement-breakpoint
CREATE TABLE `cycle_members` (
	`cycle_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`enrolled_at` integer NOT NULL,
	`enrolled_by` integer,
	`withdrawn_at` integer,
	PRIMARY KEY(`cycle_id`, `user_id`),
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`enrolled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cycle_members_user_idx` ON `cycle_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`collective_id` integer,
	`path_id` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`enrolment` text DEFAULT 'open' NOT NULL,
	`certificate_rules` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`collective_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cycles_collective_idx` ON `cycles` (`collective_id`);--> statement-breakpoint
CREATE TABLE `experiences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cycle_id` integer NOT NULL,
	`gathering_id` integer,
	`author_id` integer NOT NULL,
	`title` text NOT NULL,
	`what` text NOT NULL,
	`town` text DEFAULT '' NOT NULL,
	`in_qpv` integer DEFAULT false NOT NULL,
	`qpv_name` text DEFAULT '' NOT NULL,
	`audience` text DEFAULT '' NOT NULL,
	`partners` text DEFAULT '' NOT NULL,
	`cofunding` text DEFAULT '' NOT NULL,
	`results` text DEFAULT '' NOT NULL,
	`difficulties` text DEFAULT '' NOT NULL,
	`advice` text DEFAULT '' NOT NULL,
	`shared_with_network` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`gathering_id`) REFERENCES `gatherings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `experiences_cycle_idx` ON `experiences` (`cycle_id`);--> statement-breakpoint
CREATE INDEX `experiences_author_idx` ON `experiences` (`author_id`);--> statement-breakpoint
CREATE TABLE `gathering_reminders` (
	`gathering_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`starts_at` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`gathering_id`, `user_id`, `kind`, `starts_at`),
	FOREIGN KEY (`gathering_id`) REFERENCES `gatherings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `gathering_signups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`gathering_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`confirmed_at` integer,
	`cancelled_at` integer,
	FOREIGN KEY (`gathering_id`) REFERENCES `gatherings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gathering_signups_live_unique` ON `gathering_signups` (`gathering_id`,`user_id`) WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX `gathering_signups_gathering_idx` ON `gathering_signups` (`gathering_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `gathering_signups_user_idx` ON `gathering_signups` (`user_id`);--> statement-breakpoint
CREATE TABLE `gatherings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uid` text NOT NULL,
	`cycle_id` integer NOT NULL,
	`title` text NOT NULL,
	`course_id` text,
	`theme` text DEFAULT '' NOT NULL,
	`facilitator_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`time_zone` text DEFAULT 'Europe/Paris' NOT NULL,
	`mode` text NOT NULL,
	`place_name` text DEFAULT '' NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`town` text DEFAULT '' NOT NULL,
	`place_in_qpv` integer DEFAULT false NOT NULL,
	`video_url` text DEFAULT '' NOT NULL,
	`capacity` integer NOT NULL,
	`agenda` text DEFAULT '' NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`cancelled_at` integer,
	`cancel_reason` text,
	`summary` text,
	`summary_at` integer,
	`attendance_closed_at` integer,
	`attendance_closed_by` integer,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facilitator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attendance_closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gatherings_uid_unique` ON `gatherings` (`uid`);--> statement-breakpoint
CREATE INDEX `gatherings_cycle_idx` ON `gatherings` (`cycle_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `gatherings_facilitator_idx` ON `gatherings` (`facilitator_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `gatherings_starts_idx` ON `gatherings` (`starts_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text DEFAULT 'Europe/Paris' NOT NULL;--> statement-breakpoint
-- The signed-in person is cached until auth_version moves (see 0001): their time zone is part of it.
CREATE TRIGGER `auth_version_users_time_zone` AFTER UPDATE OF `time_zone` ON `users`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
