// What every new cluster starts with, as kube-apiserver's bootstrap creates it.
import { findKind } from '../resources/registry'
import type { Objects } from './objects'
import { prepareForCreate } from './prepare'
import { seedServices } from './bootstrap-services'
import { seedStorageClasses } from './seed-storage'
import { ensureBootstrapPolicy } from './seed-rbac'

const NAMESPACES = findKind('', 'v1', 'namespaces')!
const SERVICE_ACCOUNTS = findKind('', 'v1', 'serviceaccounts')!

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

const CLOCKS = findKind('sim.wheelhouse.dev', 'v1alpha1', 'clocks')!

// Nodes are the cloud's: its default node pool and their VMs come from cloud/seed.ts.

export function seedCluster(objects: Objects, now: number, clock: { speed: number; paused: boolean }): void {
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
  ensureBootstrapPolicy(objects, now)
}
