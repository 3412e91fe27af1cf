import { describe, expect, it } from 'vitest'
import { Code, CycleState, type Obj } from '../../framework/types'
import { makePod } from '../helper/testing'
import {
  brief,
  claim,
  podWithClaims,
  runVolumeFilter,
  volumeSnapshot,
  ZONED,
} from '../helper/volume-testing'
import {
  ERR_REASON_DISK_CONFLICT,
  ERR_REASON_RWOP_CONFLICT,
  VolumeRestrictions,
} from './volume-restrictions'

const all = (s: string) => ({ 'worker-1': s, 'worker-2': s, 'worker-3': s })
const gcePod = (name: string, readOnly: boolean, nodeName?: string) =>
  makePod({
    name,
    nodeName,
    spec: { volumes: [{ name: 'd', gcePersistentDisk: { pdName: 'disk-1', readOnly } }] },
  })

describe('VolumeRestrictions', () => {
  const cases: {
    name: string
    pod: Obj
    objects: Obj[]
    placed: Obj[]
    want: Record<string, string>
  }[] = [
    {
      name: 'a ReadWriteOncePod claim in use by a scheduled pod rejects every node',
      pod: podWithClaims('p', ['data']),
      objects: [claim('data', { modes: ['ReadWriteOncePod'], volume: 'pv' })],
      placed: [podWithClaims('other', ['data'], 'worker-2')],
      want: all(`Unschedulable: ${ERR_REASON_RWOP_CONFLICT}`),
    },
    {
      name: 'a ReadWriteOncePod claim nobody uses yet',
      pod: podWithClaims('p', ['data']),
      objects: [claim('data', { modes: ['ReadWriteOncePod'], volume: 'pv' })],
      placed: [podWithClaims('other', ['logs'], 'worker-2')],
      want: all('Success'),
    },
    {
      name: 'a ReadWriteOnce claim may be shared (the attach/detach controller guards nodes)',
      pod: podWithClaims('p', ['data']),
      objects: [claim('data', { modes: ['ReadWriteOnce'], volume: 'pv' })],
      placed: [podWithClaims('other', ['data'], 'worker-2')],
      want: all('Success'),
    },
    {
      name: 'a missing claim',
      pod: podWithClaims('p', ['data']),
      objects: [],
      placed: [],
      want: all('UnschedulableAndUnresolvable: persistentvolumeclaim "data" not found'),
    },
    {
      name: 'the same GCE PD read-write on one node conflicts there only',
      pod: gcePod('p', false),
      objects: [],
      placed: [gcePod('other', true, 'worker-1')],
      want: {
        'worker-1': `Unschedulable: ${ERR_REASON_DISK_CONFLICT}`,
        'worker-2': 'Success',
        'worker-3': 'Success',
      },
    },
    {
      name: 'the same GCE PD read-only in both pods may be shared',
      pod: gcePod('p', true),
      objects: [],
      placed: [gcePod('other', true, 'worker-1')],
      want: all('Success'),
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const { verdicts } = runVolumeFilter(
        VolumeRestrictions,
        c.pod,
        volumeSnapshot(ZONED, c.objects, c.placed),
      )
      expect(brief(verdicts)).toEqual(c.want)
    })

  it('skips a pod with nothing to check', () => {
    const s = VolumeRestrictions.preFilter!(
      new CycleState(),
      podWithClaims('p', ['data']),
      volumeSnapshot(ZONED, [claim('data', { volume: 'pv' })]),
    )
    expect(s?.code).toBe(Code.Skip)
  })
})
