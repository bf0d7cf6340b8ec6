CREATE TABLE `learner_skills` (
	`user_id` integer NOT NULL,
	`skill_code` text NOT NULL,
	PRIMARY KEY(`user_id`, `skill_code`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `learner_skills_code_idx` ON `learner_skills` (`skill_code`);--> statement-breakpoint
CREATE TABLE `learner_stats` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`lessons_done` integer NOT NULL,
	`quizzes_attempted` integer NOT NULL,
	`quizzes_passed` integer NOT NULL,
	`percent` integer NOT NULL,
	`gatherings_attended` integer NOT NULL,
	`last_activity_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
