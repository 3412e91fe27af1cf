import { describe, expect, it } from 'vitest'
import { Code, CycleState, type Obj } from '../../framework/types'
import {
  brief,
  claim,
  podWithClaims,
  runVolumeFilter,
  storageClass,
  volume,
  volumeSnapshot,
  ZONED,
} from '../helper/volume-testing'
import { makeNode } from '../helper/testing'
import { ERR_REASON_CONFLICT, pvTopologies, VolumeZone } from './volume-zone'

const U = 'UnschedulableAndUnresolvable'
const immediate = storageClass('standard')
const wffc = storageClass('standard-rwo', { volumeBindingMode: 'WaitForFirstConsumer' })
const all = (s: string) => ({ 'worker-1': s, 'worker-2': s, 'worker-3': s })
const labelled = (name: string, labels: Record<string, string>) =>
  volume(name, { labels, claimRef: { namespace: 'default', name: 'data' } })

describe('VolumeZone', () => {
  const cases: { name: string; objects: Obj[]; nodes?: Obj[]; want: Record<string, string> }[] = [
    {
      name: 'a PV labelled zone-b: only the zone-b node',
      objects: [
        immediate,
        claim('data', { volume: 'pv' }),
        labelled('pv', { 'topology.kubernetes.io/zone': 'zone-b' }),
      ],
      want: {
        'worker-1': `${U}: ${ERR_REASON_CONFLICT}`,
        'worker-2': 'Success',
        'worker-3': `${U}: ${ERR_REASON_CONFLICT}`,
      },
    },
    {
      name: 'a beta zone label with two zones matches either, through the node’s GA label',
      objects: [
        immediate,
        claim('data', { volume: 'pv' }),
        labelled('pv', { 'failure-domain.beta.kubernetes.io/zone': 'zone-a__zone-c' }),
      ],
      want: {
        'worker-1': 'Success',
        'worker-2': `${U}: ${ERR_REASON_CONFLICT}`,
        'worker-3': 'Success',
      },
    },
    {
      name: 'a PV with only nodeAffinity (no labels) is left to VolumeBinding',
      objects: [immediate, claim('data', { volume: 'pv' }), volume('pv', { zone: 'zone-b' })],
      want: all('Success'),
    },
    {
      name: 'nodes without topology labels accept any zone (a single-zone cluster)',
      objects: [
        immediate,
        claim('data', { volume: 'pv' }),
        labelled('pv', { 'topology.kubernetes.io/zone': 'zone-b' }),
      ],
      nodes: [makeNode('worker-1'), makeNode('worker-2'), makeNode('worker-3')],
      want: all('Success'),
    },
    {
      name: 'a missing claim',
      objects: [immediate],
      want: all(`${U}: persistentvolumeclaim "data" not found`),
    },
    {
      name: 'an unbound claim of a WaitForFirstConsumer class is skipped',
      objects: [wffc, claim('data', { cls: 'standard-rwo' })],
      want: all('Success'),
    },
    {
      name: 'an unbound claim of an Immediate class has no PV yet',
      objects: [immediate, claim('data')],
      want: all(`${U}: PersistentVolume had no name`),
    },
    {
      name: 'an unbound claim of a class that does not exist',
      objects: [claim('data', { cls: 'fast' })],
      want: all(`${U}: storageclass.storage.k8s.io "fast" not found`),
    },
    {
      name: 'a claim bound to a PV that is gone',
      objects: [immediate, claim('data', { volume: 'gone' })],
      want: all(`${U}: persistentvolume "gone" not found`),
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const { verdicts } = runVolumeFilter(
        VolumeZone,
        podWithClaims('p', ['data']),
        volumeSnapshot(c.nodes ?? ZONED, c.objects),
      )
      expect(brief(verdicts)).toEqual(c.want)
    })

  it('skips pods with no labelled PV', () => {
    const s = VolumeZone.preFilter!(
      new CycleState(),
      podWithClaims('p', []),
      volumeSnapshot(ZONED, []),
    )
    expect(s?.code).toBe(Code.Skip)
  })

  it('ignores a zone label it cannot read', () => {
    expect(pvTopologies(labelled('pv', { 'topology.kubernetes.io/zone': 'zone-a__' }))).toEqual([])
  })
})
