CREATE TABLE `retention_notices` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`warned_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
