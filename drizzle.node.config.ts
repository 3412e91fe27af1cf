import { defineConfig } from 'drizzle-kit'

// A node object's SQLite: its timers and clock state (the kubelet's tables come with the nodes issue).
export default defineConfig({
  schema: ['./worker/sim/schema.ts'],
  out: './migrations/node',
  dialect: 'sqlite',
  driver: 'durable-sqlite',
})
