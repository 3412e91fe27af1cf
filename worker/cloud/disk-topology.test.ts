import { describe, expect, it } from 'vitest'
import type { Obj } from '../controllers/framework/types'
import { TopologyError, chooseZone, claimNameHashAndOffset, fnv1_32 } from './disk-topology'

const node = (name: string, zone?: string): Obj => ({
  metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
})
const nodes = [
  node('worker-1', 'zone-a'),
  node('worker-2', 'zone-b'),
  node('worker-3', 'zone-c'),
  node('worker-4', 'zone-a'),
]

describe('fnv1_32', () => {
  // Go: fnv.New32() over the bytes (FNV-1, multiply then xor).
  it('matches FNV-1', () => {
    expect(fnv1_32('')).toBe(0x811c9dc5)
    expect(fnv1_32('a')).toBe(0x050c5d7e)
    expect(fnv1_32('foobar')).toBe(0x31f0b262)
  })
})

describe('claimNameHashAndOffset', () => {
  it('hashes a StatefulSet claim by its set name, offset by the ordinal', () => {
    expect(claimNameHashAndOffset('data-web-2')).toEqual({ hash: fnv1_32('web'), index: 2 })
    expect(claimNameHashAndOffset('web-7')).toEqual({ hash: fnv1_32('web'), index: 7 })
    expect(claimNameHashAndOffset('data')).toEqual({ hash: fnv1_32('data'), index: 0 })
    expect(claimNameHashAndOffset('data-x')).toEqual({ hash: fnv1_32('data-x'), index: 0 })
  })
})

describe('chooseZone', () => {
  it('a StatefulSet’s claims go round the zones with the nodes', () => {
    const zones = [0, 1, 2, 3].map((i) => chooseZone(`data-web-${i}`, undefined, nodes))
    expect(new Set(zones.slice(0, 3)).size).toBe(3)
    expect(zones[3]).toBe(zones[0])
  })
  it('only zones that have nodes, or that the class allows', () => {
    const allowed = {
      allowedTopologies: [
        { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-b'] }] },
      ],
    }
    for (const name of ['a', 'b', 'c', 'data-0']) {
      expect(['zone-a', 'zone-b', 'zone-c']).toContain(chooseZone(name, undefined, nodes))
      expect(chooseZone(name, allowed, nodes)).toBe('zone-b')
      expect(chooseZone(name, undefined, [node('w', 'zone-c')])).toBe('zone-c')
    }
  })
  it('the selected node’s zone for a claim that waited for its consumer', () => {
    expect(chooseZone('data', undefined, nodes, 'worker-2')).toBe('zone-b')
  })
  const errors: { name: string; run: () => string; want: string }[] = [
    {
      name: 'no nodes',
      run: () => chooseZone('data', undefined, []),
      want: 'no available topology found',
    },
    {
      name: 'a selected node that is gone',
      run: () => chooseZone('data', undefined, nodes, 'worker-9'),
      want: 'no topology key found for node worker-9',
    },
    {
      name: 'a selected node outside the allowed zones',
      run: () =>
        chooseZone(
          'data',
          {
            allowedTopologies: [
              {
                matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-c'] }],
              },
            ],
          },
          nodes,
          'worker-1',
        ),
      want: 'topology map[topology.kubernetes.io/zone:zone-a] from selected node "worker-1" is not in requisite: [map[topology.kubernetes.io/zone:zone-c]]',
    },
  ]
  for (const e of errors)
    it(`fails: ${e.name}`, () => {
      expect(e.run).toThrow(TopologyError)
      expect(e.run).toThrow(e.want)
    })
})
