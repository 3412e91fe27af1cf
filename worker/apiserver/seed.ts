// What every new cluster starts with, as kube-apiserver's bootstrap creates it.
import { findKind } from '../resources/registry'
import type { Obj, Objects } from './objects'
import { prepareForCreate } from './prepare'
import { seedServices } from './bootstrap-services'
import { seedStorageClasses } from './seed-storage'

const NAMESPACES = findKind('', 'v1', 'namespaces')!
const SERVICE_ACCOUNTS = findKind('', 'v1', 'serviceaccounts')!

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

const CLOCKS = findKind('sim.wheelhouse.dev', 'v1alpha1', 'clocks')!

const NODES = findKind('', 'v1', 'nodes')!
const ZONES = ['zone-a', 'zone-b', 'zone-c']

/** A worker node as a cloud's node pool would register it: 4 CPU, 16Gi, 110 pods, spread over three zones. */
export function workerNode(i: number): Obj {
  const name = `worker-${i}`
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': ZONES[(i - 1) % ZONES.length],
      },
      annotations: { 'sim.wheelhouse.dev/capacity': 'cpu=4,memory=16Gi,pods=110' },
    },
    spec: {},
  }
}

export function seedCluster(objects: Objects, now: number, clock: { speed: number; paused: boolean }, nodes = 0): void {
  const c = { apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'Clock', metadata: { name: 'cluster' }, spec: { speed: clock.speed, paused: clock.paused } }
  prepareForCreate(CLOCKS, c, now)
  objects.create(CLOCKS, c)
  for (const name of SYSTEM_NAMESPACES) {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {} }
    prepareForCreate(NAMESPACES, ns, now)
    objects.create(NAMESPACES, ns)
    // The ServiceAccount admission's "default" account in each namespace.
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } }
    prepareForCreate(SERVICE_ACCOUNTS, sa, now)
    objects.create(SERVICE_ACCOUNTS, sa)
  }
  seedServices(objects, now)
  seedStorageClasses(objects, now)
  for (let i = 1; i <= nodes; i++) {
    const n = workerNode(i)
    prepareForCreate(NODES, n, now)
    objects.create(NODES, n)
  }
}
