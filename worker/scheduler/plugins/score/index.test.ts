import { describe, expect, it } from 'vitest'
import { DEFAULT_SCORE_PLUGINS } from './index'

describe('DEFAULT_SCORE_PLUGINS', () => {
  it('lists upstream’s default score plugins in order with their weights', () => {
    expect(DEFAULT_SCORE_PLUGINS.map((p) => [p.name, p.weight])).toEqual([
      ['TaintToleration', 3],
      ['NodeAffinity', 2],
      ['NodeResourcesFit', 1],
      ['PodTopologySpread', 2],
      ['InterPodAffinity', 2],
      ['NodeResourcesBalancedAllocation', 1],
      ['ImageLocality', 1],
    ])
  })
})
