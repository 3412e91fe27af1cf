// Everything the Worker and its objects are bound to (wrangler.toml).
import type { ClusterDO } from './cluster-object'
import type { NodeDO } from './node/node-object'

export interface Env {
  CLUSTER: DurableObjectNamespace<ClusterDO>
  NODE: DurableObjectNamespace<NodeDO>
  ASSETS: Fetcher
  /** "open" or "secret": who may create clusters. */
  CLUSTER_CREATION: string
  /** Set with `wrangler secret put CREATOR_SECRET`; `npm start` writes one into .dev.vars. */
  CREATOR_SECRET?: string
}
