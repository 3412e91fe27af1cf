import { describe, expect, it } from 'vitest'
import { podOwner, podState } from './pod-state'

const running = (ready: boolean, restarts = 0) => ({ ready, restartCount: restarts, state: { running: { startedAt: 'x' } } })
const waiting = (reason: string, restarts = 0) => ({ ready: false, restartCount: restarts, state: { waiting: { reason } } })
const pod = (status: object, extra: object = {}) => ({ metadata: { name: 'p', ...extra }, spec: { containers: [{ name: 'a' }] }, status })

describe('podState: kubectl get pods STATUS', () => {
  const cases: { name: string; pod: object; label: string; tone: string; ready?: number; restarts?: number }[] = [
    { name: 'no status yet', pod: { metadata: {}, spec: { containers: [{}] } }, label: 'Pending', tone: 'pending' },
    { name: 'unscheduled', pod: pod({ phase: 'Pending' }), label: 'Pending', tone: 'pending' },
    { name: 'creating', pod: pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }), label: 'ContainerCreating', tone: 'creating' },
    { name: 'running and ready', pod: pod({ phase: 'Running', containerStatuses: [running(true)] }), label: 'Running', tone: 'ok', ready: 1 },
    { name: 'running, not ready', pod: pod({ phase: 'Running', containerStatuses: [running(false)] }), label: 'Running', tone: 'notready', ready: 0 },
    {
      name: 'on a lost node: containers ready, pod Ready=False (MarkPodsNotReady)',
      pod: pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [running(true)] }),
      label: 'Running',
      tone: 'notready',
      ready: 1,
    },
    { name: 'crash loop with restarts', pod: pod({ phase: 'Running', containerStatuses: [waiting('CrashLoopBackOff', 4)] }), label: 'CrashLoopBackOff', tone: 'bad', restarts: 4 },
    { name: 'image pull', pod: pod({ phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] }), label: 'ErrImagePull', tone: 'bad' },
    { name: 'error exit', pod: pod({ phase: 'Failed', containerStatuses: [{ restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }), label: 'Error', tone: 'bad' },
    { name: 'exit code without reason', pod: pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] }), label: 'ExitCode:3', tone: 'bad' },
    { name: 'completed', pod: pod({ phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), label: 'Completed', tone: 'done' },
    { name: 'terminating', pod: pod({ phase: 'Running', containerStatuses: [running(true)] }, { deletionTimestamp: 't' }), label: 'Terminating', tone: 'terminating' },
    { name: 'node lost', pod: pod({ phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: 't' }), label: 'Unknown', tone: 'unknown' },
    { name: 'evicted', pod: pod({ phase: 'Failed', reason: 'Evicted' }), label: 'Evicted', tone: 'bad' },
    {
      name: 'init container running',
      pod: { metadata: {}, spec: { initContainers: [{ name: 'i' }, { name: 'j' }], containers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { running: {} } }] } },
      label: 'Init:0/2',
      tone: 'creating',
    },
    {
      name: 'init container crashing',
      pod: { metadata: {}, spec: { initContainers: [{ name: 'i' }], containers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } },
      label: 'Init:CrashLoopBackOff',
      tone: 'bad',
      restarts: 2,
    },
    {
      name: 'completed sidecar-style container beside a running one',
      pod: {
        metadata: {},
        spec: { containers: [{}, {}] },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [running(true), { state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
      },
      label: 'NotReady',
      tone: 'notready',
      ready: 1,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const s = podState(c.pod)
      expect(s.label).toBe(c.label)
      expect(s.tone).toBe(c.tone)
      if (c.ready !== undefined) expect(s.ready).toBe(c.ready)
      if (c.restarts !== undefined) expect(s.restarts).toBe(c.restarts)
    })
})

describe('podOwner', () => {
  it('names the Deployment of a ReplicaSet named <deploy>-<pod-template-hash>', () => {
    const p = { metadata: { labels: { 'pod-template-hash': '7d4b9c' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', controller: true }] } }
    expect(podOwner(p)).toEqual({ kind: 'Deployment', name: 'web' })
  })
  it('keeps a bare ReplicaSet, a Job, and no owner', () => {
    expect(podOwner({ metadata: { ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }] } })).toEqual({ kind: 'ReplicaSet', name: 'rs' })
    expect(podOwner({ metadata: { ownerReferences: [{ kind: 'Job', name: 'j' }] } })).toEqual({ kind: 'Job', name: 'j' })
    expect(podOwner({ metadata: {} })).toEqual({ kind: 'Pod', name: '(no owner)' })
  })
})
