import { describe, expect, it } from 'vitest'
import type { Obj } from './framework/types'
import { findBestMatchForClaim, volumeUnsuitable } from './persistentvolume-index'

type O = Record<string, any>
const pv = (name: string, size: string, extra: O = {}): Obj => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: {
    capacity: { storage: size },
    accessModes: extra.modes ?? ['ReadWriteOnce'],
    storageClassName: extra.cls ?? '',
    volumeMode: extra.volumeMode ?? 'Filesystem',
    ...(extra.claimRef ? { claimRef: extra.claimRef } : {}),
  },
  status: { phase: extra.phase ?? 'Available' },
})
const pvc = (size: string, extra: O = {}): Obj => ({
  metadata: { name: 'data', namespace: 'default', uid: 'c1' },
  spec: {
    accessModes: extra.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: size } },
    ...(extra.cls !== undefined ? { storageClassName: extra.cls } : {}),
    ...(extra.selector ? { selector: extra.selector } : {}),
    volumeMode: extra.volumeMode ?? 'Filesystem',
  },
})

describe('findBestMatchForClaim', () => {
  const cases: {
    name: string
    volumes: Obj[]
    claim: Obj
    delay?: boolean
    want: string | undefined
  }[] = [
    {
      name: 'the smallest volume that is big enough',
      volumes: [pv('big', '10Gi'), pv('small', '1Gi'), pv('mid', '5Gi')],
      claim: pvc('2Gi'),
      want: 'mid',
    },
    {
      name: 'quantities compare by value (1G < 1Gi)',
      volumes: [pv('decimal', '1G'), pv('binary', '1Gi')],
      claim: pvc('1000Mi'),
      want: 'binary',
    },
    { name: 'none big enough', volumes: [pv('small', '1Gi')], claim: pvc('2Gi'), want: undefined },
    {
      name: 'class must match, "" included',
      volumes: [pv('classed', '1Gi', { cls: 'standard' }), pv('plain', '5Gi')],
      claim: pvc('1Gi', { cls: '' }),
      want: 'plain',
    },
    {
      name: 'the fewest extra access modes first, even if larger',
      volumes: [
        pv('many', '1Gi', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }),
        pv('exact', '5Gi'),
      ],
      claim: pvc('1Gi'),
      want: 'exact',
    },
    {
      name: 'a volume missing a mode never matches',
      volumes: [pv('rox', '1Gi', { modes: ['ReadOnlyMany'] })],
      claim: pvc('1Gi'),
      want: undefined,
    },
    {
      name: 'volume mode must match',
      volumes: [pv('block', '1Gi', { volumeMode: 'Block' })],
      claim: pvc('1Gi'),
      want: undefined,
    },
    {
      name: 'only Available volumes',
      volumes: [
        pv('released', '1Gi', { phase: 'Released' }),
        pv('pending', '1Gi', { phase: 'Pending' }),
      ],
      claim: pvc('1Gi'),
      want: undefined,
    },
    {
      name: 'the claim selector filters by labels',
      volumes: [
        pv('fast', '5Gi', { labels: { tier: 'ssd' } }),
        pv('slow', '1Gi', { labels: { tier: 'hdd' } }),
      ],
      claim: pvc('1Gi', { selector: { matchLabels: { tier: 'ssd' } } }),
      want: 'fast',
    },
    {
      name: 'a volume pre-bound to the claim wins over a smaller one, whatever its phase',
      volumes: [
        pv('small', '1Gi'),
        pv('reserved', '9Gi', {
          phase: 'Pending',
          claimRef: { namespace: 'default', name: 'data' },
        }),
      ],
      claim: pvc('1Gi'),
      want: 'reserved',
    },
    {
      name: 'a volume reserved for another claim is skipped',
      volumes: [pv('theirs', '1Gi', { claimRef: { namespace: 'default', name: 'other' } })],
      claim: pvc('1Gi'),
      want: undefined,
    },
    {
      name: 'a volume bound to an older claim of the same name is skipped',
      volumes: [
        pv('stale', '1Gi', { claimRef: { namespace: 'default', name: 'data', uid: 'c0' } }),
      ],
      claim: pvc('1Gi'),
      want: undefined,
    },
    {
      name: 'delayed binding: only pre-bound volumes',
      volumes: [pv('free', '1Gi', { cls: 'local' })],
      claim: pvc('1Gi', { cls: 'local' }),
      delay: true,
      want: undefined,
    },
    {
      name: 'delayed binding still takes a pre-bound volume',
      volumes: [
        pv('mine', '1Gi', {
          cls: 'local',
          claimRef: { namespace: 'default', name: 'data', uid: 'c1' },
        }),
      ],
      claim: pvc('1Gi', { cls: 'local' }),
      delay: true,
      want: 'mine',
    },
  ]
  for (const c of cases)
    it(c.name, () =>
      expect(findBestMatchForClaim(c.claim, c.volumes, c.delay ?? false)?.metadata.name).toBe(
        c.want,
      ),
    )
})

describe('volumeUnsuitable', () => {
  const cases: { name: string; volume: Obj; claim: Obj; want: string | undefined }[] = [
    { name: 'fits', volume: pv('a', '1Gi'), claim: pvc('1Gi', { cls: '' }), want: undefined },
    {
      name: 'too small',
      volume: pv('a', '1Gi'),
      claim: pvc('2Gi'),
      want: 'requested PV is too small',
    },
    {
      name: 'class',
      volume: pv('a', '1Gi', { cls: 'x' }),
      claim: pvc('1Gi'),
      want: 'storageClassName does not match',
    },
    {
      name: 'mode',
      volume: pv('a', '1Gi', { volumeMode: 'Block' }),
      claim: pvc('1Gi'),
      want: 'incompatible volumeMode',
    },
    {
      name: 'access',
      volume: pv('a', '1Gi', { modes: ['ReadOnlyMany'] }),
      claim: pvc('1Gi'),
      want: 'incompatible accessMode',
    },
  ]
  for (const c of cases) it(c.name, () => expect(volumeUnsuitable(c.volume, c.claim)).toBe(c.want))
})
