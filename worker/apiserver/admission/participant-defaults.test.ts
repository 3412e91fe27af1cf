import { describe, expect, it } from 'vitest'
import { findKind } from '../../resources/registry'
import { ApiError } from '../errors'
import { checkSchema } from '../field-validation'
import { prepareForCreate } from '../prepare'
import type { Attributes } from './attributes'
import { admitLimitRangerDefaults, admitLimitRangerValidate } from './limit-ranger'
import {
  participantLimitRange,
  participantNamespaceObjects,
  participantResourceQuota,
  PARTICIPANT_HARD,
} from './participant-defaults'
import { syncResourceQuota } from './quota-controller'
import { parse } from './resource-list'
import { admitResourceQuota } from './resource-quota'

type O = any
const NOW = Date.parse('2025-06-01T12:00:00Z')
const QUOTAS = findKind('', 'v1', 'resourcequotas')!
const LIMIT_RANGES = findKind('', 'v1', 'limitranges')!

describe('a participant namespace’s defaults', () => {
  it('are valid objects of their kinds, created LimitRange first', () => {
    const [lr, quota] = participantNamespaceObjects('alice')
    expect([lr!.kind, quota!.kind]).toEqual(['LimitRange', 'ResourceQuota'])
    expect(checkSchema(LIMIT_RANGES, lr, 'Strict')).toEqual([])
    expect(checkSchema(QUOTAS, quota, 'Strict')).toEqual([])
    expect(() => prepareForCreate(LIMIT_RANGES, structuredClone(lr!), NOW)).not.toThrow()
    expect(() => prepareForCreate(QUOTAS, structuredClone(quota!), NOW)).not.toThrow()
    expect(quota!.metadata).toMatchObject({ name: 'participant-quota', namespace: 'alice' })
    expect(participantLimitRange('bob').metadata.namespace).toBe('bob')
  })

  it('let exactly 20 pods written without resources in, and refuse the 21st', () => {
    const ranges = [participantLimitRange('alice')]
    let quota: O = syncResourceQuota(participantResourceQuota('alice'), () => [], NOW)
    expect(quota.status.used).toMatchObject({ pods: '0', 'requests.cpu': '0' })
    const attempt = (i: number) => {
      const pod: O = {
        metadata: { name: `web-${i}`, namespace: 'alice' },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
        status: { phase: 'Pending' },
      }
      const a: Attributes = {
        operation: 'CREATE',
        group: '',
        resource: 'pods',
        namespace: 'alice',
        object: pod,
      }
      admitLimitRangerDefaults(a, ranges)
      admitLimitRangerValidate(a, ranges)
      const [next] = admitResourceQuota({ ...a, now: NOW }, [quota])
      quota = next ?? quota
    }
    for (let i = 1; i <= 20; i++) attempt(i)
    expect(quota.status.used).toEqual({
      configmaps: '0',
      'limits.cpu': '10',
      'limits.memory': '10Gi',
      persistentvolumeclaims: '0',
      pods: '20',
      'requests.cpu': '2',
      'requests.memory': '2560Mi',
      'requests.storage': '0',
      secrets: '0',
      services: '0',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    })
    let refused: O
    try {
      attempt(21)
    } catch (e) {
      refused = (e as ApiError).status
    }
    expect(refused.message).toBe(
      'pods "web-21" is forbidden: exceeded quota: participant-quota, requested: limits.cpu=500m,limits.memory=512Mi,pods=1,requests.cpu=100m, ' +
        'used: limits.cpu=10,limits.memory=10Gi,pods=20,requests.cpu=2, limited: limits.cpu=10,limits.memory=10Gi,pods=20,requests.cpu=2',
    )
  })

  it('refuse one container asking for more than 2 cpu (memory defaulted)', () => {
    const pod: O = {
      metadata: { name: 'big', namespace: 'alice' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            resources: { limits: { cpu: '3' }, requests: { cpu: '3' } },
          },
        ],
      },
    }
    const a: Attributes = {
      operation: 'CREATE',
      group: '',
      resource: 'pods',
      namespace: 'alice',
      object: pod,
    }
    admitLimitRangerDefaults(a, [participantLimitRange('alice')])
    expect(() => admitLimitRangerValidate(a, [participantLimitRange('alice')])).toThrow(
      'pods "big" is forbidden: maximum cpu usage per Container is 2, but limit is 3',
    )
  })

  it('every hard limit is a quantity, and a claim at the LimitRange max fits the storage quota', () => {
    for (const v of Object.values(PARTICIPANT_HARD)) expect(parse(v)).toBeDefined()
    const claimMax = parse(participantLimitRange('x').spec.limits[1].max.storage)!
    expect(claimMax.nanos <= parse(PARTICIPANT_HARD['requests.storage'])!.nanos).toBe(true)
  })
})
