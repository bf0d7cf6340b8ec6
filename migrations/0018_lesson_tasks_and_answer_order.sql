ALTER TABLE `lesson_progress` ADD `task_done_at` integer;--> statement-breakpoint
ALTER TABLE `lessons` ADD `task_html` text;--> statement-breakpoint
ALTER TABLE `quiz_attempts` ADD `answer_order` text;