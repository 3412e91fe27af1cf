// What one cluster may use: admission's type and defaults (admission/cluster-limits.ts),
// which this folder enforces in front of the API server (rate, watches, body size).
export { type ClusterLimits, DEFAULT_LIMITS, LIMITS_SETTING } from '../admission/cluster-limits'
