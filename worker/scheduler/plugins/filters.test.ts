import { describe, expect, it } from 'vitest'
import { DEFAULT_FILTER_PLUGINS } from './filters'

describe('DEFAULT_FILTER_PLUGINS', () => {
  it('lists upstream’s default filters in its order', () => {
    expect(DEFAULT_FILTER_PLUGINS.map((p) => p.name)).toEqual([
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'VolumeRestrictions',
      'VolumeBinding',
      'VolumeZone',
      'PodTopologySpread',
      'InterPodAffinity',
    ])
  })
})
