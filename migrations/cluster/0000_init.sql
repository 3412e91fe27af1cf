CREATE TABLE `etcd_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kv` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created` integer NOT NULL,
	`deleted` integer NOT NULL,
	`create_revision` integer NOT NULL,
	`prev_revision` integer NOT NULL,
	`version` integer NOT NULL,
	`lease` integer DEFAULT 0 NOT NULL,
	`value` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kv_name_prev_revision` ON `kv` (`name`,`prev_revision`);--> statement-breakpoint
CREATE INDEX `kv_name_id` ON `kv` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `kv_prev_revision` ON `kv` (`prev_revision`);--> statement-breakpoint
CREATE INDEX `kv_lease` ON `kv` (`lease`) WHERE lease <> 0;--> statement-breakpoint
CREATE TABLE `leases` (
	`id` integer PRIMARY KEY NOT NULL,
	`ttl_seconds` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `timers` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`due_at` integer NOT NULL,
	`payload` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE INDEX `timers_due_at` ON `timers` (`due_at`);