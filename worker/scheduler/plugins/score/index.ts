// kube-scheduler's default score plugins with their default weights, in the
// order of default_plugins.go's MultiPoint list.
import type { ScorePlugin } from '../../framework/types'
import { imageLocality } from './image-locality'
import { interPodAffinityScore } from './inter-pod-affinity'
import { nodeAffinityScore } from './node-affinity'
import { nodeResourcesBalancedAllocation } from './node-resources-balanced-allocation'
import { nodeResourcesFitScore } from './node-resources-fit'
import { podTopologySpreadScore } from './pod-topology-spread'
import { taintTolerationScore } from './taint-toleration'

export const DEFAULT_SCORE_PLUGINS: ScorePlugin[] = [
  taintTolerationScore,
  nodeAffinityScore,
  nodeResourcesFitScore,
  podTopologySpreadScore,
  interPodAffinityScore,
  nodeResourcesBalancedAllocation,
  imageLocality,
]

export { defaultNormalizeScore } from './helper'
