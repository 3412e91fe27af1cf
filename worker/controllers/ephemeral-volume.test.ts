import { describe, expect, it } from 'vitest'
import { PODS, type KindRef, type Obj } from './framework/types'
import { recordingContext } from './framework/recording-context'
import { ephemeralVolumeController, syncPodEphemeralVolumes } from './ephemeral-volume'

const PVCS: KindRef = '/v1/persistentvolumeclaims'
const pod = (deleting = false): Obj => ({
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'p1',
    ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: {
    volumes: [
      { name: 'cache', emptyDir: {} },
      {
        name: 'scratch',
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { type: 'scratch' } },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: 'standard-rwo',
              resources: { requests: { storage: '1Gi' } },
            },
          },
        },
      },
    ],
  },
})

describe('ephemeral volume controller', () => {
  it('makes <pod>-<volume> from the template, owned by the pod', () => {
    const r = recordingContext([[PODS, pod()]])
    syncPodEphemeralVolumes(r.ctx, 'default', 'web')
    const c = r.get(PVCS, 'default', 'web-scratch')!
    expect(c.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'web',
        uid: 'p1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    expect(c.metadata.labels).toEqual({ type: 'scratch' })
    expect(c.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '1Gi' } },
    })
    syncPodEphemeralVolumes(r.ctx, 'default', 'web')
    expect(r.writes).toEqual([`create ${PVCS} web-scratch`])
  })
  it('refuses a claim of that name that the pod does not own', () => {
    const r = recordingContext([
      [PODS, pod()],
      [PVCS, { metadata: { name: 'web-scratch', namespace: 'default' }, spec: {} }],
    ])
    expect(() => syncPodEphemeralVolumes(r.ctx, 'default', 'web')).toThrow(
      'PVC default/web-scratch was not created for pod default/web (pod is not owner)',
    )
  })
  it('leaves a pod being deleted alone', () => {
    const r = recordingContext([[PODS, pod(true)]])
    syncPodEphemeralVolumes(r.ctx, 'default', 'web')
    expect(r.writes).toEqual([])
  })
  it('wakes for pods with ephemeral volumes and for their claims deleted', () => {
    expect(ephemeralVolumeController.watches[PODS]!(pod(), undefined, false)).toEqual([
      'default/web',
    ])
    const claim = {
      metadata: {
        name: 'web-scratch',
        namespace: 'default',
        ownerReferences: [{ kind: 'Pod', name: 'web', uid: 'p1', controller: true }],
      },
    }
    expect(ephemeralVolumeController.watches[PVCS]!(claim, undefined, true)).toEqual([
      'default/web',
    ])
    expect(ephemeralVolumeController.watches[PVCS]!(claim, undefined, false)).toEqual([])
  })
})
