// The cluster's participants: who joined with the room's join code. Only the
// SHA-256 of each token is kept (authn.ts); a row lives in this cluster's own
// object, so a token of cluster A is unknown to cluster B by construction.
// A revoked row stays, so its username and namespace are not handed out again.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const participants = sqliteTable('participants', {
  tokenHash: text('token_hash').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  namespace: text('namespace').notNull(),
  /** Wall-clock ms. */
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
})
