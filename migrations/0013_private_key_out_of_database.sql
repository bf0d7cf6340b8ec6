ALTER TABLE `certificates` ADD `revoked_cause` text;--> statement-breakpoint
ALTER TABLE `signing_keys` DROP COLUMN `private_jwk`;--> statement-breakpoint
-- Revocations made before the short list: an account erasure's is « à la demande de la personne »,
-- any other « autre » (its free text stays, as an internal note).
UPDATE `certificates` SET `revoked_cause` = CASE
  WHEN `revoked_reason` = 'supprimée à la demande de la personne' THEN 'holder_request'
  ELSE 'other'
END WHERE `revoked_at` IS NOT NULL;
