CREATE TABLE `dashboard_activity` (
	`collective_id` integer NOT NULL,
	`qpv` integer NOT NULL,
	`day` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `qpv`, `day`)
);
--> statement-breakpoint
CREATE TABLE `dashboard_dirty` (
	`collective_id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dashboard_monthly` (
	`collective_id` integer NOT NULL,
	`qpv` integer NOT NULL,
	`month` text NOT NULL,
	`enrolments` integer NOT NULL,
	`completions` integer NOT NULL,
	`certificates` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `qpv`, `month`)
);
--> statement-breakpoint
CREATE TABLE `dashboard_osim_activity` (
	`collective_id` integer NOT NULL,
	`osim_id` integer NOT NULL,
	`day` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `osim_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `dashboard_osims` (
	`collective_id` integer NOT NULL,
	`osim_id` integer NOT NULL,
	`members` integer NOT NULL,
	`enrolled` integer NOT NULL,
	`median_percent` integer,
	`completions` integer NOT NULL,
	`quizzes_passed` integer NOT NULL,
	`attended` integer NOT NULL,
	`certificates` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `osim_id`)
);
--> statement-breakpoint
CREATE TABLE `dashboard_people` (
	`collective_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`qpv` integer NOT NULL,
	`sort_key` text NOT NULL,
	PRIMARY KEY(`collective_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `dashboard_people_order_idx` ON `dashboard_people` (`collective_id`,`sort_key`,`user_id`);--> statement-breakpoint
CREATE INDEX `dashboard_people_qpv_idx` ON `dashboard_people` (`collective_id`,`qpv`,`sort_key`,`user_id`);--> statement-breakpoint
CREATE TABLE `dashboard_seats` (
	`collective_id` integer NOT NULL,
	`qpv` integer NOT NULL,
	`month` text NOT NULL,
	`gathering_id` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`confirmed` integer NOT NULL,
	`present` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `qpv`, `month`, `gathering_id`)
);
--> statement-breakpoint
CREATE TABLE `dashboard_summary` (
	`collective_id` integer NOT NULL,
	`qpv` integer NOT NULL,
	`members` integer NOT NULL,
	`invited` integer NOT NULL,
	`enrolled` integer NOT NULL,
	`quizzes_attempted` integer NOT NULL,
	`quizzes_passed` integer NOT NULL,
	`completion` text NOT NULL,
	`skills` text NOT NULL,
	`refreshed_at` integer NOT NULL,
	PRIMARY KEY(`collective_id`, `qpv`)
);
--> statement-breakpoint
ALTER TABLE `learner_stats` ADD `completed_at` integer;
--> statement-breakpoint
-- Triggers: whatever changes a collective's figures marks it for the dashboards to recompute.
-- The two views say which collectives (the COSIM and the FOSIM of their OSIMs) an organization
-- and a person belong to. NOT IN rather than INSERT OR IGNORE: a trigger takes the conflict
-- policy of the statement that fired it.
CREATE VIEW `dashboard_organization_collectives` AS
  SELECT id AS organization_id, parent_id AS collective_id FROM organizations WHERE parent_id IS NOT NULL
  UNION SELECT id, federation_id FROM organizations WHERE federation_id IS NOT NULL;
--> statement-breakpoint
CREATE VIEW `dashboard_person_collectives` AS
  SELECT m.user_id, o.parent_id AS collective_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE o.parent_id IS NOT NULL
  UNION SELECT m.user_id, o.federation_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE o.federation_id IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `dashboard_memberships_insert` AFTER INSERT ON `memberships`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_organization_collectives WHERE organization_id IN (NEW.organization_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_memberships_update` AFTER UPDATE ON `memberships`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_organization_collectives WHERE organization_id IN (OLD.organization_id, NEW.organization_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_memberships_delete` AFTER DELETE ON `memberships`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_organization_collectives WHERE organization_id IN (OLD.organization_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_organizations_update` AFTER UPDATE OF parent_id, federation_id, acts_in_qpv, archived_at, kind ON `organizations`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT id FROM (SELECT OLD.parent_id AS id UNION SELECT OLD.federation_id UNION SELECT NEW.parent_id
      UNION SELECT NEW.federation_id UNION SELECT NEW.id WHERE NEW.kind IN ('cosim', 'fosim'))
    WHERE id IS NOT NULL AND id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_users_update` AFTER UPDATE OF disabled_at, sort_key ON `users`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id = NEW.id
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_invitations_insert` AFTER INSERT ON `invitations`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_organization_collectives WHERE organization_id = NEW.organization_id
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_invitations_delete` AFTER DELETE ON `invitations`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_organization_collectives WHERE organization_id = OLD.organization_id
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_cycle_members_insert` AFTER INSERT ON `cycle_members`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_cycle_members_update` AFTER UPDATE ON `cycle_members`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id, NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_cycle_members_delete` AFTER DELETE ON `cycle_members`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_learner_stats_insert` AFTER INSERT ON `learner_stats`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_learner_stats_update` AFTER UPDATE ON `learner_stats`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id, NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_learner_stats_delete` AFTER DELETE ON `learner_stats`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_gathering_signups_insert` AFTER INSERT ON `gathering_signups`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_gathering_signups_update` AFTER UPDATE ON `gathering_signups`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id, NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_gathering_signups_delete` AFTER DELETE ON `gathering_signups`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_attendance_insert` AFTER INSERT ON `attendance`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_attendance_update` AFTER UPDATE ON `attendance`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id, NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_attendance_delete` AFTER DELETE ON `attendance`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_certificates_insert` AFTER INSERT ON `certificates`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_certificates_update` AFTER UPDATE ON `certificates`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id, NEW.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_certificates_delete` AFTER DELETE ON `certificates`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (OLD.user_id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
CREATE TRIGGER `dashboard_gatherings_update` AFTER UPDATE OF ends_at, cancelled_at, cycle_id ON `gatherings`
BEGIN
  INSERT INTO dashboard_dirty (collective_id)
    SELECT DISTINCT collective_id FROM dashboard_person_collectives WHERE user_id IN (SELECT user_id FROM gathering_signups WHERE gathering_id = NEW.id)
      AND collective_id NOT IN (SELECT collective_id FROM dashboard_dirty);
END;
--> statement-breakpoint
UPDATE `learner_stats` SET `completed_at` = (
  SELECT max(at) FROM (
    SELECT max(completed_at) AS at FROM lesson_progress WHERE user_id = learner_stats.user_id
    UNION ALL SELECT min(created_at) FROM quiz_attempts WHERE user_id = learner_stats.user_id AND passed = 1 GROUP BY quiz_id))
WHERE `percent` = 100;
--> statement-breakpoint
INSERT OR IGNORE INTO `dashboard_dirty` (`collective_id`) SELECT `id` FROM `organizations` WHERE `kind` IN ('cosim', 'fosim');
