CREATE TABLE `node_outbox` (
	`node` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`node`, `namespace`, `name`)
);
