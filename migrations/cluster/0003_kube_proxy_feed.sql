CREATE TABLE `proxy_changes` (
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`resource`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE INDEX `proxy_changes_seq` ON `proxy_changes` (`seq`);--> statement-breakpoint
CREATE TABLE `proxy_cursors` (
	`node` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
