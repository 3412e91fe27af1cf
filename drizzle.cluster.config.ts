import { defineConfig } from 'drizzle-kit'

// The cluster object's SQLite: the etcd log and leases, timers and clock state, the kubelets' outbox,
// the live feed's attribution of writes, the workshop's participants.
export default defineConfig({
  schema: ['./worker/etcd/schema.ts', './worker/sim/schema.ts', './worker/apiserver/schema.ts', './worker/multiplayer/schema.ts', './worker/apiserver/participants/schema.ts'],
  out: './migrations/cluster',
  dialect: 'sqlite',
  driver: 'durable-sqlite',
})
