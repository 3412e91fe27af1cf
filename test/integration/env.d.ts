// The bindings `env` from cloudflare:test carries: the Worker's own Env.
declare namespace Cloudflare {
  interface Env extends import('../../worker/env').Env {}
}
