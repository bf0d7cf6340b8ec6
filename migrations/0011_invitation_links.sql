ALTER TABLE `invitations` ADD `link_nonce` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `import_id` integer REFERENCES invitation_imports(id) ON DELETE SET NULL;--> statement-breakpoint
CREATE INDEX `invitations_import_idx` ON `invitations` (`import_id`);