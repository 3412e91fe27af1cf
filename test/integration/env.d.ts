// The bindings `env` from cloudflare:test carries: the Worker's own Env.
import type { Env as WorkerEnv } from '../../worker/env'

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
  }
}
