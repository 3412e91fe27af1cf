CREATE TABLE `proxy_counters` (
	`tbl` text NOT NULL,
	`chain` text NOT NULL,
	`rule` text NOT NULL,
	`packets` integer NOT NULL,
	`bytes` integer NOT NULL,
	PRIMARY KEY(`tbl`, `chain`, `rule`)
);
--> statement-breakpoint
CREATE TABLE `proxy_endpoint_slices` (
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`object` text NOT NULL,
	`stale` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`namespace`, `name`)
);
--> statement-breakpoint
CREATE TABLE `proxy_recent` (
	`list` text NOT NULL,
	`client` text NOT NULL,
	`last_seen` integer NOT NULL,
	PRIMARY KEY(`list`, `client`)
);
--> statement-breakpoint
CREATE TABLE `proxy_services` (
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`object` text NOT NULL,
	`stale` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`namespace`, `name`)
);
