import { defineConfig } from 'drizzle-kit'

// The directory object's SQLite: the clusters made through POST /clusters and recent creations.
export default defineConfig({
  schema: ['./worker/directory/schema.ts'],
  out: './migrations/directory',
  dialect: 'sqlite',
  driver: 'durable-sqlite',
})
