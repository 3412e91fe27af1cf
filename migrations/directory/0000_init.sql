CREATE TABLE `clusters` (
	`name` text PRIMARY KEY NOT NULL,
	`creator` text NOT NULL,
	`nodes` integer NOT NULL,
	`speed` real,
	`mode` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `clusters_creator` ON `clusters` (`creator`);--> statement-breakpoint
CREATE INDEX `clusters_expires_at` ON `clusters` (`expires_at`);--> statement-breakpoint
CREATE TABLE `creations` (
	`name` text NOT NULL,
	`creator` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `creations_creator_at` ON `creations` (`creator`,`at`);