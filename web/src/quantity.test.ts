import { describe, expect, it } from 'vitest'
import { formatCpu, formatMemory, parseQuantity, podRequests, requestedByNode } from './quantity'

describe('parseQuantity', () => {
  const cases: [string, number][] = [
    ['250m', 0.25],
    ['1', 1],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['2k', 2000],
    ['2e3', 2000],
    ['.5', 0.5],
    ['100u', 1e-4],
  ]
  for (const [q, want] of cases) it(q, () => expect(parseQuantity(q)).toBeCloseTo(want, 9))
  it('refuses what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeNaN()
    expect(parseQuantity('1Qi')).toBeNaN()
  })
})

describe('podRequests', () => {
  it('sums containers, takes the largest init container, adds sidecars and overhead', () => {
    const pod = {
      spec: {
        containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { resources: { requests: { cpu: '200m' } } }],
        initContainers: [
          { restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '16Mi' } } },
          { resources: { requests: { cpu: '1', memory: '32Mi' } } },
        ],
        overhead: { cpu: '10m' },
      },
    }
    // containers 300m + sidecar 50m = 350m; init 1000m + sidecar before it 50m = 1050m; + overhead 10m.
    expect(podRequests(pod)).toEqual({ cpu: 1060, memory: 80 * 2 ** 20 })
  })
})

describe('requestedByNode', () => {
  it('counts bound pods that have not finished', () => {
    const p = (node: string | undefined, phase: string, cpu: string) => ({ spec: { nodeName: node, containers: [{ resources: { requests: { cpu } } }] }, status: { phase } })
    const r = requestedByNode([p('a', 'Running', '1'), p('a', 'Pending', '500m'), p('a', 'Succeeded', '2'), p('b', 'Failed', '1'), p(undefined, 'Pending', '1')])
    expect(r.get('a')).toEqual({ cpu: 1500, memory: 0 })
    expect(r.has('b')).toBe(false)
  })
})

it('formats as kubectl describe node does', () => {
  expect(formatCpu(1500)).toBe('1500m')
  expect(formatCpu(4000)).toBe('4')
  expect(formatMemory(128 * 2 ** 20)).toBe('128Mi')
  expect(formatMemory(16 * 2 ** 30)).toBe('16Gi')
})
