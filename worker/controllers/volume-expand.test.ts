import { describe, expect, it } from 'vitest'
import type { KindRef, Obj } from './framework/types'
import { recordingContext } from './framework/recording-context'
import { syncExpand } from './volume-expand'

const PVS: KindRef = '/v1/persistentvolumes'
const PVCS: KindRef = '/v1/persistentvolumeclaims'

const claim = (request: string, volumeName = 'pv1'): [KindRef, Obj] => [
  PVCS,
  {
    metadata: { name: 'data', namespace: 'default', uid: 'c1' },
    spec: { resources: { requests: { storage: request } }, volumeName },
    status: { phase: 'Bound', capacity: { storage: '1Gi' } },
  },
]
const volume = (claimName = 'data'): [KindRef, Obj] => [
  PVS,
  {
    metadata: { name: 'pv1' },
    spec: {
      claimRef: { namespace: 'default', name: claimName },
      csi: { driver: 'd', volumeHandle: 'h' },
    },
  },
]

describe('volume expand controller', () => {
  const cases: { name: string; objs: [KindRef, Obj][]; want: string[] }[] = [
    {
      name: 'a claim asking for more waits for the external resizer',
      objs: [claim('2Gi'), volume()],
      want: ['Warning ExternalExpanding: waiting for an external controller to expand this PVC'],
    },
    { name: 'a claim with what it asks for', objs: [claim('1Gi'), volume()], want: [] },
    { name: 'a volume bound elsewhere', objs: [claim('2Gi'), volume('other')], want: [] },
    { name: 'an unbound claim', objs: [claim('2Gi', '')], want: [] },
  ]
  for (const c of cases)
    it(c.name, () => {
      const r = recordingContext(c.objs)
      syncExpand(r.ctx, 'default', 'data')
      expect(r.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual(c.want)
      expect(r.writes).toEqual([])
    })
})
