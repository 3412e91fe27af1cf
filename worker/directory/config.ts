// The deployment's settings for public use, from the Worker's vars
// (wrangler.toml [vars], or `wrangler deploy --var`): each a number, with the
// default below when unset or not a number.
import { type ClusterLimits, DEFAULT_LIMITS } from '../apiserver/limits/cluster-limits'

export interface DeploymentConfig {
  /** What each new cluster may use (written into its settings at creation). */
  limits: ClusterLimits
  /** Live clusters per creator (client address). */
  maxClustersPerCreator: number
  /** Creations per address per hour, in open mode. */
  creationsPerHour: number
  defaultTtlHours: number
  maxTtlHours: number
}

export const DEFAULT_CONFIG: DeploymentConfig = {
  limits: DEFAULT_LIMITS,
  maxClustersPerCreator: 5,
  creationsPerHour: 10,
  defaultTtlHours: 8,
  maxTtlHours: 72,
}

/** The var that sets each limit. */
export const LIMIT_VARS: Record<keyof ClusterLimits, string> = {
  maxNodes: 'MAX_NODES',
  maxPods: 'MAX_PODS',
  maxObjects: 'MAX_OBJECTS',
  maxWatches: 'MAX_WATCHES',
  maxBodyBytes: 'MAX_BODY_BYTES',
  requestsPerSecond: 'REQUESTS_PER_SECOND',
  burst: 'BURST',
}

function num(vars: Record<string, unknown>, key: string, fallback: number): number {
  const raw = vars[key]
  if (raw === undefined || raw === null || raw === '') return fallback
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : fallback
}

export function deploymentConfig(vars: Record<string, unknown>): DeploymentConfig {
  const limits = { ...DEFAULT_LIMITS }
  for (const [key, name] of Object.entries(LIMIT_VARS) as [keyof ClusterLimits, string][]) limits[key] = num(vars, name, DEFAULT_LIMITS[key])
  return {
    limits,
    maxClustersPerCreator: num(vars, 'MAX_CLUSTERS_PER_CREATOR', DEFAULT_CONFIG.maxClustersPerCreator),
    creationsPerHour: num(vars, 'CREATIONS_PER_HOUR', DEFAULT_CONFIG.creationsPerHour),
    defaultTtlHours: num(vars, 'DEFAULT_TTL_HOURS', DEFAULT_CONFIG.defaultTtlHours),
    maxTtlHours: num(vars, 'MAX_TTL_HOURS', DEFAULT_CONFIG.maxTtlHours),
  }
}
