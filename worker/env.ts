// Everything the Worker and its objects are bound to (wrangler.toml).
import type { ClusterDO } from './cluster-object'
import type { DirectoryDO } from './directory/directory-object'
import type { NodeDO } from './node/node-object'

export interface Env {
  CLUSTER: DurableObjectNamespace<ClusterDO>
  NODE: DurableObjectNamespace<NodeDO>
  /** The one directory of clusters (directory/directory-object.ts). */
  DIRECTORY: DurableObjectNamespace<DirectoryDO>
  ASSETS: Fetcher
  /** "open" or "secret": who may create clusters. */
  CLUSTER_CREATION: string
  /** Set with `wrangler secret put CREATOR_SECRET`; `npm start` writes one into .dev.vars. */
  CREATOR_SECRET?: string
  /** The public origin kubeconfigs name (e.g. https://wheelhouse.example.org); default: the request's. */
  PUBLIC_URL?: string
  // Limits of a public deployment, as numbers in text ([vars]); directory/config.ts reads them
  // and holds their defaults.
  MAX_NODES?: string
  MAX_PODS?: string
  MAX_OBJECTS?: string
  MAX_WATCHES?: string
  MAX_BODY_BYTES?: string
  REQUESTS_PER_SECOND?: string
  BURST?: string
  MAX_CLUSTERS_PER_CREATOR?: string
  CREATIONS_PER_HOUR?: string
  DEFAULT_TTL_HOURS?: string
  MAX_TTL_HOURS?: string
}
