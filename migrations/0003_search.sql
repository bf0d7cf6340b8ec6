ALTER TABLE `organizations` ADD `search_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `organizations` SET `search_name` = lower(`name`);
--> statement-breakpoint
-- The directory's search: a trigram full-text index over users.search_text, so that
-- "contains" searches (LIKE '%…%') use an index instead of reading every account.
CREATE VIRTUAL TABLE `users_search` USING fts5(`search_text`, content='users', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `users_search`(`users_search`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `users_search_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `users_search`(rowid, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_delete` AFTER DELETE ON `users` BEGIN
  INSERT INTO `users_search`(`users_search`, rowid, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF `search_text` ON `users` BEGIN
  INSERT INTO `users_search`(`users_search`, rowid, `search_text`) VALUES ('delete', old.`id`, old.`search_text`);
  INSERT INTO `users_search`(rowid, `search_text`) VALUES (new.`id`, new.`search_text`);
END;
--> statement-breakpoint
-- A new organization changes the network's figures too (see auth_version in 0001).
CREATE TRIGGER `auth_version_organizations_insert` AFTER INSERT ON `organizations`
BEGIN UPDATE `auth_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
