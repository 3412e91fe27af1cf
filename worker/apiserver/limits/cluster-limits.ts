// What one cluster may use. Declared here until admission/cluster-limits.ts
// (which admission reads) exists; then this file re-exports it.

export interface ClusterLimits {
  maxNodes: number
  maxPods: number
  maxObjects: number
  /** Open watches per token. */
  maxWatches: number
  /** Largest request body, as kube-apiserver's --max-request-bytes (3 MiB). */
  maxBodyBytes: number
  /** Sustained requests per second per token. */
  requestsPerSecond: number
  /** Requests per token at once before the rate applies. */
  burst: number
}

export const DEFAULT_LIMITS: ClusterLimits = {
  maxNodes: 20,
  maxPods: 300,
  maxObjects: 5000,
  maxWatches: 100,
  maxBodyBytes: 3 * 1024 * 1024,
  requestsPerSecond: 20,
  burst: 60,
}
