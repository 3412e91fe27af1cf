import { describe, expect, it } from 'vitest'
import { humanDuration } from './duration'
import { printers } from './index'
import { podStatus } from './pod'

const NOW = Date.parse('2026-11-23T12:00:00Z')
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z')

describe('durations', () => {
  it.each([
    [45, '45s'],
    [119, '119s'],
    [5 * 60, '5m'],
    [5 * 60 + 7, '5m7s'],
    [3 * 3600, '3h'],
    [3 * 3600 + 60 * 20, '3h20m'],
    [2 * 86400, '2d'],
    [2 * 86400 + 3600 * 5, '2d5h'],
    [400 * 86400, '400d'],
    [3 * 365 * 86400, '3y'],
  ])('%ss → %s', (s, want) => expect(humanDuration(s * 1000)).toBe(want))
})

describe('pod STATUS', () => {
  it.each([
    { name: 'pending, creating', pod: { status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] } }, want: 'ContainerCreating' },
    { name: 'crash loop', pod: { status: { phase: 'Running', containerStatuses: [{ restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, want: 'CrashLoopBackOff' },
    { name: 'init', pod: { spec: { initContainers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ state: { running: {} } }] } }, want: 'Init:0/1' },
    { name: 'init failed', pod: { spec: { initContainers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 1, reason: 'Error' } } }] } }, want: 'Init:Error' },
    { name: 'terminating', pod: { metadata: { deletionTimestamp: ago(1) }, status: { phase: 'Running' } }, want: 'Terminating' },
    { name: 'completed', pod: { status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }, want: 'Completed' },
    { name: 'exit code', pod: { status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] } }, want: 'ExitCode:3' },
  ])('$name → $want', ({ pod, want }) => expect(podStatus(pod)).toBe(want))

  it('prints restarts with when the last one was', () => {
    const pod = {
      metadata: { name: 'web', creationTimestamp: ago(3600) },
      spec: { containers: [{ name: 'a' }], nodeName: 'worker-2' },
      status: { phase: 'Running', podIP: '10.244.1.5', containerStatuses: [{ ready: true, restartCount: 5, state: { running: {} }, lastState: { terminated: { finishedAt: ago(300) } } }] },
    }
    expect(printers['/pods']!.row(pod, NOW)).toEqual(['web', '1/1', 'Running', '5 (5m ago)', '60m', '10.244.1.5', 'worker-2', '<none>', '<none>'])
  })
})

describe('other kinds', () => {
  it('prints nodes, services and deployments as kubectl does', () => {
    const node = { metadata: { name: 'worker-1', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } } }
    expect(printers['/nodes']!.row(node, NOW).slice(0, 5)).toEqual(['worker-1', 'Ready,SchedulingDisabled', 'control-plane', '3d', 'v1.32.0'])
    const lb = { metadata: { name: 'web', creationTimestamp: ago(10) }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } }
    expect(printers['/services']!.row(lb, NOW).slice(0, 5)).toEqual(['web', 'LoadBalancer', '10.96.0.10', '<pending>', '80:30080/TCP'])
    const d = { metadata: { name: 'web', creationTimestamp: ago(60) }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }
    expect(printers['apps/deployments']!.row(d, NOW)).toEqual(['web', '2/3', 3, 2, '60s', 'nginx', 'nginx:1.25', 'app=web'])
  })
})

describe('less common kinds', () => {
  it('prints claims, storage classes, PDBs, priority classes and bindings', () => {
    const pvc = { metadata: { name: 'data', creationTimestamp: ago(30) }, spec: { storageClassName: 'standard', volumeName: 'pv-1' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }
    expect(printers['/persistentvolumeclaims']!.row(pvc, NOW).slice(0, 6)).toEqual(['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'standard'])
    const sc = { metadata: { name: 'standard', creationTimestamp: ago(30), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'wheelhouse.dev/disk', volumeBindingMode: 'WaitForFirstConsumer' }
    expect(printers['storage.k8s.io/storageclasses']!.row(sc, NOW)).toEqual(['standard (default)', 'wheelhouse.dev/disk', 'Delete', 'WaitForFirstConsumer', false, '30s'])
    const beta = { metadata: { name: 'old', creationTimestamp: ago(30), annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'x', allowVolumeExpansion: true }
    expect(printers['storage.k8s.io/storageclasses']!.row(beta, NOW)).toEqual(['old (default)', 'x', 'Delete', 'Immediate', true, '30s'])
    const pdb = { metadata: { name: 'web', creationTimestamp: ago(30) }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }
    expect(printers['policy/poddisruptionbudgets']!.row(pdb, NOW)).toEqual(['web', 2, 'N/A', 1, '30s'])
    const rb = { metadata: { name: 'edit', creationTimestamp: ago(30) }, roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'team' }] }
    expect(printers['rbac.authorization.k8s.io/rolebindings']!.row(rb, NOW)).toEqual(['edit', 'ClusterRole/edit', '30s', 'alice', '', 'team/ci'])
  })
})
