CREATE TABLE `live_attribution` (
	`revision` integer PRIMARY KEY NOT NULL,
	`writer` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `live_writers` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `live_writers_name` ON `live_writers` (`name`);