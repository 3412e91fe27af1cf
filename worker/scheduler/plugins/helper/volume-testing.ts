// Test fixtures for the volume plugins: claims, volumes and classes as terse
// objects, listers over them, and a runner that drives a plugin through
// PreFilter and Filter on zoned nodes as the framework does.
import { newNodeInfo, newSnapshot } from '../../framework/node-info'
import { Code, CycleState, success } from '../../framework/types'
import type { FilterPlugin, Obj, Snapshot, Status, VolumeListers } from '../../framework/types'
import { makeNode, makePod } from './testing'

export const zoneNode = (name: string, zone: string): Obj =>
  makeNode(name, { labels: { 'topology.kubernetes.io/zone': zone } })

/** worker-1..3 in zone-a, zone-b, zone-c. */
export const ZONED = [
  zoneNode('worker-1', 'zone-a'),
  zoneNode('worker-2', 'zone-b'),
  zoneNode('worker-3', 'zone-c'),
]

export interface ClaimOpts {
  volume?: string
  cls?: string
  phase?: string
  size?: string
  modes?: string[]
  annotations?: Record<string, string>
  deleting?: boolean
}

export function claim(name: string, o: ClaimOpts = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '7',
      annotations: o.annotations ?? {},
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.size ?? '1Gi' } },
      storageClassName: o.cls ?? 'standard',
      ...(o.volume ? { volumeName: o.volume } : {}),
    },
    status: { phase: o.phase ?? (o.volume ? 'Bound' : 'Pending') },
  }
}

export interface VolumeOpts {
  zone?: string
  cls?: string
  size?: string
  phase?: string
  claimRef?: Obj
  labels?: Record<string, string>
  modes?: string[]
}

export function volume(name: string, o: VolumeOpts = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: o.labels ?? {}, resourceVersion: '3' },
    spec: {
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      storageClassName: o.cls ?? 'standard',
      csi: { driver: 'pd.csi.wheelhouse.dev', volumeHandle: `disk/${name}` },
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
      ...(o.zone
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'topology.kubernetes.io/zone', operator: 'In', values: [o.zone] },
                    ],
                  },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: o.phase ?? (o.claimRef ? 'Bound' : 'Available') },
  }
}

export function storageClass(name: string, o: Obj = {}): Obj {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'pd.csi.wheelhouse.dev',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    ...o,
  }
}

export function listers(objects: Obj[]): VolumeListers {
  const of = (kind: string) => objects.filter((o) => o.kind === kind)
  return {
    claim: (ns, name) =>
      of('PersistentVolumeClaim').find(
        (o) => o.metadata.namespace === ns && o.metadata.name === name,
      ),
    volume: (name) => of('PersistentVolume').find((o) => o.metadata.name === name),
    storageClass: (name) => of('StorageClass').find((o) => o.metadata.name === name),
    volumes: () => of('PersistentVolume'),
  }
}

/** A pod mounting each named claim as a volume of the same name. */
export const podWithClaims = (name: string, claims: string[], nodeName?: string): Obj =>
  makePod({
    name,
    nodeName,
    spec: {
      volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
    },
  })

export function volumeSnapshot(nodes: Obj[], objects: Obj[], pods: Obj[] = []): Snapshot {
  const infos = nodes.map((n) =>
    newNodeInfo(
      n,
      pods.filter((p) => p.spec?.nodeName === n.metadata.name),
    ),
  )
  return { ...newSnapshot(infos), volumes: listers(objects) }
}

/** Each node's verdict, by name, through PreFilter and Filter; the state for PreBind. */
export function runVolumeFilter(
  plugin: FilterPlugin,
  pod: Obj,
  snapshot: Snapshot,
): { verdicts: Record<string, Status>; state: CycleState } {
  const state = new CycleState()
  const pre = plugin.preFilter?.(state, pod, snapshot)
  const verdicts: Record<string, Status> = {}
  for (const info of snapshot.nodes) {
    if (pre?.code === Code.Skip) verdicts[info.name] = success()
    else if (pre && pre.code !== Code.Success) verdicts[info.name] = pre
    else verdicts[info.name] = plugin.filter(state, pod, info)
  }
  return { verdicts, state }
}

/** Verdicts as "code: reasons" strings, for compact tables. */
export const brief = (verdicts: Record<string, Status>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(verdicts).map(([n, s]) => [
      n,
      s.code === Code.Success ? 'Success' : `${s.code}: ${s.reasons.join('; ')}`,
    ]),
  )
