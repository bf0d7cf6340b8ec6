ALTER TABLE `users` ADD `disabled_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `users` ADD `disabled_authority` text;--> statement-breakpoint
-- Accounts disabled before this was recorded: who, from the audit log; with what authority, from
-- that person's roles today. An account disabled with no such entry (erasure) keeps no authority,
-- which the app reads as the national team's.
UPDATE `users` SET `disabled_by` = (
  SELECT a.`actor_user_id` FROM `audit_log` a
  WHERE a.`action` = 'account.disable' AND a.`subject_user_id` = `users`.`id`
  ORDER BY a.`id` DESC LIMIT 1
) WHERE `disabled_at` IS NOT NULL;--> statement-breakpoint
UPDATE `users` SET `disabled_authority` = CASE
  WHEN EXISTS (SELECT 1 FROM `memberships` m WHERE m.`user_id` = `users`.`disabled_by` AND m.`role` = 'admin') THEN 'national'
  ELSE 'collective' END
WHERE `disabled_at` IS NOT NULL AND `disabled_by` IS NOT NULL;
