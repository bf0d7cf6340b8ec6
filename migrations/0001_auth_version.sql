CREATE TABLE `auth_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `auth_version` (`id`, `version`) VALUES (1, 1);
--> statement-breakpoint
CREATE TRIGGER `auth_version_users_update` AFTER UPDATE OF `email`, `display_name`, `password_hash`, `locale`, `disabled_at` ON `users`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_users_delete` AFTER DELETE ON `users`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_memberships_insert` AFTER INSERT ON `memberships`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_memberships_update` AFTER UPDATE ON `memberships`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_memberships_delete` AFTER DELETE ON `memberships`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_organizations_update` AFTER UPDATE OF `name`, `kind`, `parent_id`, `federation_id`, `archived_at` ON `organizations`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `auth_version_sessions_delete` AFTER DELETE ON `sessions`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
