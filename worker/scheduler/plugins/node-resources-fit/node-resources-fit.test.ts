import { describe, expect, it } from 'vitest'
import type { Obj } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { NodeResourcesFit } from './node-resources-fit'

const container = (name: string, requests: Record<string, string>, extra: Obj = {}) => ({
  name,
  image: 'nginx',
  resources: { requests },
  ...extra,
})

describe('NodeResourcesFit filter', () => {
  // 4 cpu, 8Gi, 10Gi disk, 2 GPUs, 2 pods; one pod already holds 1 cpu, 2Gi, 1 GPU.
  const node = makeNode('n1', {
    allocatable: {
      cpu: '4',
      memory: '8Gi',
      'ephemeral-storage': '10Gi',
      'nvidia.com/gpu': '2',
      pods: '2',
    },
  })
  const existing = makePod({
    name: 'e',
    requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '1' },
  })
  const cases: { name: string; pod: Obj; pods?: Obj[]; want: string[] }[] = [
    { name: 'fits', pod: makePod({ requests: { cpu: '3', memory: '6Gi' } }), want: [] },
    { name: 'no requests fit anywhere', pod: makePod(), want: [] },
    {
      name: 'cpu over by 1m',
      pod: makePod({ requests: { cpu: '3001m' } }),
      want: ['Insufficient cpu'],
    },
    {
      name: 'memory',
      pod: makePod({ requests: { memory: '7Gi' } }),
      want: ['Insufficient memory'],
    },
    {
      name: 'ephemeral-storage',
      pod: makePod({ requests: { 'ephemeral-storage': '11Gi' } }),
      want: ['Insufficient ephemeral-storage'],
    },
    {
      name: 'extended resource',
      pod: makePod({ requests: { 'nvidia.com/gpu': '2' } }),
      want: ['Insufficient nvidia.com/gpu'],
    },
    {
      name: 'extended resource the node lacks',
      pod: makePod({ requests: { 'example.com/fpga': '1' } }),
      want: ['Insufficient example.com/fpga'],
    },
    {
      name: 'every shortfall together, in order',
      pod: makePod({ requests: { cpu: '4', memory: '7Gi', 'nvidia.com/gpu': '2' } }),
      pods: [existing, makePod({ name: 'e2' })],
      want: [
        'Too many pods',
        'Insufficient cpu',
        'Insufficient memory',
        'Insufficient nvidia.com/gpu',
      ],
    },
    {
      name: 'too many pods even with no requests',
      pod: makePod(),
      pods: [existing, makePod({ name: 'a' })],
      want: ['Too many pods'],
    },
    {
      name: 'finished pods free their room',
      pod: makePod({ requests: { cpu: '4' } }),
      pods: [
        { ...makePod({ name: 'done', requests: { cpu: '4' } }), status: { phase: 'Succeeded' } },
      ],
      want: [],
    },
    {
      name: 'init containers: the largest one counts if above the sum of containers',
      pod: makePod({
        spec: {
          initContainers: [container('i1', { cpu: '3500m' }), container('i2', { cpu: '1' })],
          containers: [container('a', { cpu: '1' }), container('b', { cpu: '1' })],
        },
      }),
      want: ['Insufficient cpu'],
    },
    {
      name: 'init containers: the containers’ sum counts if larger',
      pod: makePod({
        spec: {
          initContainers: [container('i1', { cpu: '2' })],
          containers: [container('a', { cpu: '1500m' }), container('b', { cpu: '1500m' })],
        },
      }),
      want: [],
    },
    {
      name: 'sidecar init containers add to the containers',
      pod: makePod({
        spec: {
          initContainers: [container('side', { cpu: '1' }, { restartPolicy: 'Always' })],
          containers: [container('a', { cpu: '2500m' })],
        },
      }),
      want: ['Insufficient cpu'],
    },
    {
      name: 'overhead is added',
      pod: makePod({ requests: { memory: '6Gi' }, spec: { overhead: { memory: '1Gi' } } }),
      want: ['Insufficient memory'],
    },
  ]
  it.each(cases)('$name', ({ pod, pods, want }) => {
    const got = runFilter(NodeResourcesFit, pod, [{ node, pods: pods ?? [existing] }]).n1!
    if (want.length === 0) expect(got.code).toBe('Success')
    else expect(got).toEqual({ code: 'Unschedulable', reasons: want })
  })
})
