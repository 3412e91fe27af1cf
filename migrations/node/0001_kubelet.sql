CREATE TABLE `kubelet_images` (
	`digest` text PRIMARY KEY NOT NULL,
	`ref` text NOT NULL,
	`size_bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kubelet_pods` (
	`uid` text PRIMARY KEY NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kubelet_pods_name` ON `kubelet_pods` (`namespace`,`name`);