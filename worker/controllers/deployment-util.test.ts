import { describe, expect, it } from 'vitest'
import {
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getProportion,
  isSaturated,
  MAX_REPLICAS,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  REVISION,
  REVISION_HISTORY,
  setNewReplicaSetAnnotations,
  type IntOrString,
} from './deployment-util'
import type { Obj } from './framework/types'

const template = (image: string, labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image }] },
})

function deployment(
  replicas: number,
  opts: { surge?: IntOrString; unavailable?: IntOrString; type?: string; image?: string } = {},
): Obj {
  const type = opts.type ?? 'RollingUpdate'
  return {
    metadata: { name: 'web', namespace: 'default', annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template(opts.image ?? 'nginx:1.25'),
      strategy:
        type === 'RollingUpdate'
          ? {
              type,
              rollingUpdate: {
                maxSurge: opts.surge ?? '25%',
                maxUnavailable: opts.unavailable ?? '25%',
              },
            }
          : { type },
    },
  }
}

let clock = 0
function rs(
  name: string,
  replicas: number,
  opts: { available?: number; image?: string; annotations?: Record<string, string> } = {},
): Obj {
  clock += 1000
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: new Date(clock).toISOString(),
      annotations: opts.annotations ?? {},
    },
    spec: {
      replicas,
      template: template(opts.image ?? 'nginx:1.25', { app: 'web', 'pod-template-hash': name }),
    },
    status: { replicas, availableReplicas: opts.available ?? replicas },
  }
}

describe('resolveFenceposts', () => {
  const cases: {
    name: string
    surge: IntOrString
    unavailable: IntOrString
    desired: number
    want: [number, number] | 'error'
  }[] = [
    {
      name: 'both 0% of 0: one may be unavailable',
      surge: '0%',
      unavailable: '0%',
      desired: 0,
      want: [0, 1],
    },
    { name: 'both 0 ints', surge: 0, unavailable: 0, desired: 10, want: [0, 1] },
    {
      name: 'defaults on 10: surge rounds up, unavailable down',
      surge: '25%',
      unavailable: '25%',
      desired: 10,
      want: [3, 2],
    },
    { name: '39% of 10', surge: '39%', unavailable: '39%', desired: 10, want: [4, 3] },
    { name: 'half of 11', surge: '50%', unavailable: '50%', desired: 11, want: [6, 5] },
    { name: 'ints pass through', surge: 2, unavailable: 1, desired: 10, want: [2, 1] },
    { name: 'unset surge is 0', surge: undefined, unavailable: '10%', desired: 10, want: [0, 1] },
    { name: 'small percentages of 1', surge: '25%', unavailable: '25%', desired: 1, want: [1, 0] },
    { name: 'not a percentage', surge: 'oops', unavailable: '1%', desired: 10, want: 'error' },
    { name: 'a bare number string', surge: '1', unavailable: '1', desired: 10, want: 'error' },
  ]
  for (const c of cases)
    it(c.name, () => {
      if (c.want === 'error')
        expect(() => resolveFenceposts(c.surge, c.unavailable, c.desired)).toThrow(
          /invalid value for IntOrString/,
        )
      else expect(resolveFenceposts(c.surge, c.unavailable, c.desired)).toEqual(c.want)
    })
})

describe('maxSurge and maxUnavailable', () => {
  const cases: { name: string; d: Obj; surge: number; unavailable: number }[] = [
    { name: 'defaults on 10', d: deployment(10), surge: 3, unavailable: 2 },
    {
      name: 'Recreate has neither',
      d: deployment(10, { type: 'Recreate' }),
      surge: 0,
      unavailable: 0,
    },
    { name: '0 replicas: nothing unavailable', d: deployment(0), surge: 0, unavailable: 0 },
    {
      name: 'unavailable capped at replicas',
      d: deployment(3, { unavailable: 20, surge: 0 }),
      surge: 0,
      unavailable: 3,
    },
    { name: 'both 0', d: deployment(5, { surge: 0, unavailable: 0 }), surge: 0, unavailable: 1 },
    {
      name: 'invalid values count as 0',
      d: deployment(5, { surge: 'x', unavailable: 'y' }),
      surge: 0,
      unavailable: 0,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(maxSurge(c.d)).toBe(c.surge)
      expect(maxUnavailable(c.d)).toBe(c.unavailable)
    })
})

describe('newRSNewReplicas', () => {
  const cases: { name: string; d: Obj; old: number; current: number; want: number }[] = [
    {
      name: 'first rollout of 10 fills up at once',
      d: deployment(10),
      old: 0,
      current: 0,
      want: 10,
    },
    { name: 'surge of 3 over 10 old', d: deployment(10), old: 10, current: 0, want: 3 },
    { name: 'surge already used', d: deployment(10), old: 10, current: 3, want: 3 },
    {
      name: 'never past the Deployment size',
      d: deployment(10, { surge: 5 }),
      old: 2,
      current: 8,
      want: 10,
    },
    {
      name: 'no surge: wait for old to go',
      d: deployment(10, { surge: 0, unavailable: 1 }),
      old: 10,
      current: 0,
      want: 0,
    },
    {
      name: 'no surge, old scaled down by 1',
      d: deployment(10, { surge: 0, unavailable: 1 }),
      old: 9,
      current: 0,
      want: 1,
    },
    {
      name: 'Recreate: everything',
      d: deployment(5, { type: 'Recreate' }),
      old: 5,
      current: 0,
      want: 5,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const newRS = rs('new', c.current)
      expect(newRSNewReplicas(c.d, [rs('old', c.old), newRS], newRS)).toBe(c.want)
    })
})

describe('equalIgnoreHash', () => {
  const cases: { name: string; a: Obj; b: Obj; want: boolean }[] = [
    {
      name: 'only the hash differs',
      a: template('nginx:1.25', { app: 'web', 'pod-template-hash': 'abc' }),
      b: template('nginx:1.25'),
      want: true,
    },
    {
      name: 'different hashes',
      a: template('x', { 'pod-template-hash': '1' }),
      b: template('x', { 'pod-template-hash': '2' }),
      want: true,
    },
    { name: 'image differs', a: template('nginx:1.25'), b: template('nginx:1.26'), want: false },
    {
      name: 'labels differ',
      a: template('x', { app: 'a' }),
      b: template('x', { app: 'b' }),
      want: false,
    },
    {
      name: 'no labels vs only the hash',
      a: { metadata: {}, spec: {} },
      b: { metadata: { labels: { 'pod-template-hash': 'z' } }, spec: {} },
      want: true,
    },
    {
      name: 'null creationTimestamp vs missing',
      a: { metadata: { creationTimestamp: null }, spec: { x: [] } },
      b: { metadata: {}, spec: {} },
      want: true,
    },
  ]
  for (const c of cases) it(c.name, () => expect(equalIgnoreHash(c.a, c.b)).toBe(c.want))
})

describe('findNewReplicaSet and findOldReplicaSets', () => {
  it('picks the oldest match and leaves the rest as old', () => {
    const a = rs('a', 0, { image: 'nginx:1.24' })
    const b = rs('b', 2)
    const c = rs('c', 1) // same template as b, younger
    const d = deployment(3)
    expect(findNewReplicaSet(d, [c, a, b])?.metadata.name).toBe('b')
    const old = findOldReplicaSets(d, [a, b, c])
    expect(old.all.map((r) => r.metadata.name)).toEqual(['a', 'c'])
    expect(old.required.map((r) => r.metadata.name)).toEqual(['c'])
  })
  it('none when no template matches', () =>
    expect(findNewReplicaSet(deployment(1, { image: 'nginx:2' }), [rs('a', 1)])).toBeUndefined())
})

describe('setNewReplicaSetAnnotations', () => {
  const cases: {
    name: string
    rs: Record<string, string>
    d: Record<string, string>
    rev: string
    exists: boolean
    want: Record<string, string>
  }[] = [
    {
      name: 'a new ReplicaSet gets revision, sizes and change-cause, not the deployment revision',
      rs: {},
      d: { 'kubernetes.io/change-cause': 'image 1.26', [REVISION]: '7' },
      rev: '2',
      exists: false,
      want: {
        'kubernetes.io/change-cause': 'image 1.26',
        [REVISION]: '2',
        'deployment.kubernetes.io/desired-replicas': '10',
        [MAX_REPLICAS]: '13',
      },
    },
    {
      name: 'rollback: the old revision goes to history',
      rs: { [REVISION]: '1' },
      d: {},
      rev: '3',
      exists: true,
      want: { [REVISION]: '3', [REVISION_HISTORY]: '1' },
    },
    {
      name: 'rollback again appends',
      rs: { [REVISION]: '3', [REVISION_HISTORY]: '1' },
      d: {},
      rev: '5',
      exists: true,
      want: { [REVISION]: '5', [REVISION_HISTORY]: '1,3' },
    },
    {
      name: 'already the latest revision',
      rs: { [REVISION]: '4' },
      d: {},
      rev: '4',
      exists: true,
      want: { [REVISION]: '4' },
    },
    {
      name: 'unreadable revision left alone',
      rs: { [REVISION]: 'x' },
      d: {},
      rev: '4',
      exists: true,
      want: { [REVISION]: 'x' },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const d = deployment(10)
      d.metadata.annotations = c.d
      const r = rs('r', 1, { annotations: { ...c.rs } })
      const changed = setNewReplicaSetAnnotations(d, r, c.rev, c.exists)
      expect(r.metadata.annotations).toEqual(c.want)
      expect(changed).toBe(JSON.stringify(c.rs) !== JSON.stringify(c.want))
    })
})

describe('getProportion', () => {
  const withMax = (replicas: number, max: number) =>
    rs('p', replicas, { annotations: { [MAX_REPLICAS]: String(max) } })
  const cases: { name: string; rs: Obj; d: Obj; toAdd: number; added: number; want: number }[] = [
    {
      name: 'half of 10 → 20 (no surge) grows by 5',
      rs: withMax(5, 10),
      d: deployment(20, { surge: 0, unavailable: 1 }),
      toAdd: 10,
      added: 0,
      want: 5,
    },
    {
      name: 'bounded by what is left to add',
      rs: withMax(5, 10),
      d: deployment(20, { surge: 0, unavailable: 1 }),
      toAdd: 10,
      added: 8,
      want: 2,
    },
    {
      name: 'scale down rounds half away from zero',
      rs: withMax(5, 10),
      d: deployment(5, { surge: 0, unavailable: 1 }),
      toAdd: -5,
      added: 0,
      want: -2,
    },
    {
      name: 'scale down bounded',
      rs: withMax(5, 10),
      d: deployment(5, { surge: 0, unavailable: 1 }),
      toAdd: -5,
      added: -4,
      want: -1,
    },
    {
      name: 'to zero takes everything',
      rs: withMax(5, 10),
      d: deployment(0),
      toAdd: -12,
      added: 0,
      want: -5,
    },
    {
      name: 'an empty ReplicaSet never grows',
      rs: withMax(0, 10),
      d: deployment(20),
      toAdd: 10,
      added: 0,
      want: 0,
    },
    { name: 'nothing to add', rs: withMax(5, 10), d: deployment(20), toAdd: 0, added: 0, want: 0 },
  ]
  for (const c of cases)
    it(c.name, () => expect(getProportion(c.rs, c.d, c.toAdd, c.added)).toBe(c.want))
})

describe('isSaturated and findActiveOrLatest', () => {
  it('saturated only when size, annotation and availability all match', () => {
    const r = rs('n', 3, { annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } })
    expect(isSaturated(deployment(3), r)).toBe(true)
    expect(isSaturated(deployment(4), r)).toBe(false)
    r.status.availableReplicas = 2
    expect(isSaturated(deployment(3), r)).toBe(false)
    expect(isSaturated(deployment(3), undefined)).toBe(false)
  })
  it('the single active one, the newest when none, nothing when several', () => {
    const o1 = rs('o1', 0)
    const o2 = rs('o2', 0)
    expect(findActiveOrLatest(undefined, [o1, o2])?.metadata.name).toBe('o2')
    const n = rs('n', 0)
    expect(findActiveOrLatest(n, [o1])?.metadata.name).toBe('n')
    expect(findActiveOrLatest(n, [o1, rs('o3', 2)])?.metadata.name).toBe('o3')
    expect(findActiveOrLatest(rs('n2', 1), [rs('o4', 2)])).toBeUndefined()
    expect(findActiveOrLatest(undefined, [])).toBeUndefined()
  })
})
