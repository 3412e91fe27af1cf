import { describe, expect, it } from 'vitest'
import { claim, volume } from './volume-testing'
import {
  ephemeralClaimProblem,
  findMatchingVolume,
  isClaimFullyBound,
  podClaims,
  topologyTermsMatch,
  volumeNodeAffinityMatches,
} from './volumes'

const zoneB = { 'topology.kubernetes.io/zone': 'zone-b' }

describe('volume helpers', () => {
  it('names ephemeral claims <pod>-<volume> and checks their owner', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
      spec: {
        volumes: [
          { name: 'a', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'scratch', ephemeral: { volumeClaimTemplate: {} } },
          { name: 'cfg', configMap: { name: 'x' } },
        ],
      },
    }
    expect(podClaims(pod)).toEqual([
      { volume: 'a', claim: 'data', ephemeral: false },
      { volume: 'scratch', claim: 'web-scratch', ephemeral: true },
    ])
    const owned = {
      metadata: { name: 'web-scratch', ownerReferences: [{ controller: true, uid: 'uid-web' }] },
    }
    expect(ephemeralClaimProblem(pod, owned)).toBeUndefined()
    expect(ephemeralClaimProblem(pod, { metadata: { name: 'web-scratch' } })).toBe(
      'PVC default/web-scratch was not created for pod default/web (pod is not owner)',
    )
  })

  it('counts a claim bound once it has a volume and the bind-completed annotation or a Bound phase', () => {
    expect(isClaimFullyBound(claim('c'))).toBe(false)
    expect(isClaimFullyBound(claim('c', { volume: 'pv', phase: 'Bound' }))).toBe(true)
    const annotated = claim('c', {
      volume: 'pv',
      phase: 'Pending',
      annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
    })
    expect(isClaimFullyBound(annotated)).toBe(true)
    expect(isClaimFullyBound(claim('c', { volume: 'pv', phase: 'Pending' }))).toBe(false)
  })

  it('matches node affinity and allowed topologies against labels', () => {
    expect(volumeNodeAffinityMatches(volume('v', { zone: 'zone-b' }), zoneB)).toBe(true)
    expect(volumeNodeAffinityMatches(volume('v', { zone: 'zone-a' }), zoneB)).toBe(false)
    expect(volumeNodeAffinityMatches(volume('v'), zoneB)).toBe(true)
    const terms = [
      {
        matchLabelExpressions: [
          { key: 'topology.kubernetes.io/zone', values: ['zone-a', 'zone-b'] },
        ],
      },
    ]
    expect(topologyTermsMatch(terms, zoneB)).toBe(true)
    expect(topologyTermsMatch(terms, { 'topology.kubernetes.io/zone': 'zone-c' })).toBe(false)
    expect(topologyTermsMatch(undefined, {})).toBe(true)
  })

  it('prefers the PV pre-bound to the claim, else the smallest that fits, skipping chosen ones', () => {
    const pvc = claim('data', { size: '3Gi' })
    const big = volume('big', { size: '10Gi' })
    const fit = volume('fit', { size: '5Gi' })
    const small = volume('small', { size: '2Gi' })
    expect(findMatchingVolume(pvc, [big, fit, small], zoneB, new Set())?.metadata.name).toBe('fit')
    expect(findMatchingVolume(pvc, [big, fit, small], zoneB, new Set(['fit']))?.metadata.name).toBe(
      'big',
    )
    const pre = volume('pre', {
      size: '20Gi',
      phase: 'Available',
      claimRef: { namespace: 'default', name: 'data', uid: 'uid-data' },
    })
    expect(findMatchingVolume(pvc, [fit, pre], zoneB, new Set())?.metadata.name).toBe('pre')
    const preElsewhere = {
      ...pre,
      spec: {
        ...pre.spec,
        ...volume('x', { zone: 'zone-a' }).spec,
        claimRef: pre.spec.claimRef,
        capacity: { storage: '20Gi' },
      },
    }
    expect(findMatchingVolume(pvc, [fit, preElsewhere], zoneB, new Set())).toBeUndefined()
  })
})
