ALTER TABLE `outbox` ADD `link_kind` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `sealed_link` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `link_expires_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `erased_at` integer;--> statement-breakpoint
-- Accounts erased before this column: erasure gave them compte-supprime-<own id>@passerelle.invalid
-- and no password (an account merely invited at such an address has its own id and a password).
UPDATE `users` SET `erased_at` = coalesce(`disabled_at`, CAST(strftime('%s', 'now') AS INTEGER) * 1000)
WHERE `email` = 'compte-supprime-' || `id` || '@passerelle.invalid' AND `password_hash` IS NULL;--> statement-breakpoint
-- Audit entries about invitations whose address erasure has since replaced: the address goes.
UPDATE `audit_log` SET `details` = NULL
WHERE `action` LIKE 'invitation.%' AND json_extract(`details`, '$.email') IS NOT NULL
  AND lower(json_extract(`details`, '$.email')) NOT IN (SELECT lower(`email`) FROM `invitations`);--> statement-breakpoint
-- Links already written into bodies: each token (32 characters after its path) becomes « … »; a mail
-- not sent yet is not sent with a dead link.
UPDATE `outbox` SET `attempts` = max(`attempts`, 5), `last_error` = 'link-unavailable'
WHERE `sent_at` IS NULL AND (instr(`text_body`, '/password/reset/') > 0
  OR instr(`text_body`, '/profile/email/') > 0 OR instr(`text_body`, '/invitation/') > 0);--> statement-breakpoint
UPDATE `outbox` SET `link_kind` = 'password-reset',
  `text_body` = replace(`text_body`, substr(`text_body`, instr(`text_body`, '/password/reset/') + 16, 32), '…')
WHERE instr(`text_body`, '/password/reset/') > 0;--> statement-breakpoint
UPDATE `outbox` SET `link_kind` = 'email-change',
  `text_body` = replace(`text_body`, substr(`text_body`, instr(`text_body`, '/profile/email/') + 15, 32), '…')
WHERE instr(`text_body`, '/profile/email/') > 0;--> statement-breakpoint
UPDATE `outbox` SET `link_kind` = 'invitation',
  `text_body` = replace(`text_body`, substr(`text_body`, instr(`text_body`, '/invitation/') + 12, 32), '…')
WHERE instr(`text_body`, '/invitation/') > 0;
