import { defineConfig } from 'drizzle-kit'

// A node object's SQLite: its timers and clock state and the kubelet's pods and images.
export default defineConfig({
  schema: ['./worker/sim/schema.ts', './worker/node/schema.ts'],
  out: './migrations/node',
  dialect: 'sqlite',
  driver: 'durable-sqlite',
})
