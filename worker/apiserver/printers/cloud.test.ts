import { describe, expect, it } from 'vitest'
import { instancePrinter, nodePoolPrinter } from './cloud'

describe('cloud printers', () => {
  it('prints pools and instances', () => {
    const now = Date.parse('2025-01-01T00:10:00Z')
    const created = '2025-01-01T00:00:00Z'
    const p = {
      metadata: { name: 'default', creationTimestamp: created },
      spec: { machineType: 'standard-4', zones: ['zone-a', 'zone-b'], replicas: 5 },
      status: { replicas: 4, readyReplicas: 3 },
    }
    expect(nodePoolPrinter.columns.map((c) => c.name)).toEqual([
      'Name',
      'Machine-Type',
      'Zones',
      'Desired',
      'Current',
      'Ready',
      'Age',
    ])
    expect(nodePoolPrinter.row(p, now)).toEqual([
      'default',
      'standard-4',
      'zone-a,zone-b',
      5,
      4,
      3,
      '10m',
    ])
    const i = {
      metadata: { name: 'worker-4', creationTimestamp: created },
      spec: { pool: 'default', zone: 'zone-a', machineType: 'standard-4' },
      status: { phase: 'Running', internalIP: '172.18.0.6' },
    }
    expect(instancePrinter.columns.filter((c) => !c.priority).map((c) => c.name)).toEqual([
      'Name',
      'Pool',
      'Zone',
      'Machine-Type',
      'Phase',
      'Age',
    ])
    expect(instancePrinter.row(i, now)).toEqual([
      'worker-4',
      'default',
      'zone-a',
      'standard-4',
      'Running',
      '10m',
      '172.18.0.6',
      '<none>',
    ])
  })
})
