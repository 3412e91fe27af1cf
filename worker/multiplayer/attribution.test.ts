import { describe, expect, it } from 'vitest'
import { readAttachment, fits, ATTACHMENT_BUDGET } from './attachment'
import { actAs, currentActor, kubeletActor, requestActor } from './attribution'
import { kindPrefixOf } from './fanout'

describe('actAs', () => {
  it('names the writer of work, across awaits, and nested work keeps its own name', async () => {
    expect(currentActor()).toBeUndefined()
    const seen: (string | undefined)[] = []
    await actAs('replicaset-controller', async () => {
      seen.push(currentActor())
      await new Promise((r) => setTimeout(r, 1))
      seen.push(currentActor())
      actAs(kubeletActor('worker-2'), () => seen.push(currentActor()))
      seen.push(currentActor())
    })
    expect(seen).toEqual(['replicaset-controller', 'replicaset-controller', 'kubelet worker-2', 'replicaset-controller'])
    expect(currentActor()).toBeUndefined()
  })

  it('keeps concurrent work apart', async () => {
    const run = (name: string, ms: number) =>
      actAs(name, async () => {
        await new Promise((r) => setTimeout(r, ms))
        return currentActor()
      })
    expect(await Promise.all([run('a', 5), run('b', 1)])).toEqual(['a', 'b'])
  })
})

describe('requestActor', () => {
  it.each([
    ['kubectl: the user', 'kubernetes-admin', undefined, 'kubernetes-admin'],
    ['the web client: the person', 'kubernetes-admin', { user: 'kubernetes-admin', name: 'Alice' }, 'Alice'],
    ["someone else's connection: the user", 'system:serviceaccount:default:bob', { user: 'kubernetes-admin', name: 'Alice' }, 'system:serviceaccount:default:bob'],
  ])('%s', (_, user, person, want) => {
    expect(requestActor(user, person)).toBe(want)
  })
})

describe('attachments', () => {
  const person = { id: 'p', user: 'u', name: 'n', color: '#000000' }
  it('reads back only what the hub wrote', () => {
    expect(readAttachment({ v: 1, person, subs: [] })).toEqual({ v: 1, person, subs: [] })
    expect(readAttachment(null)).toBeUndefined()
    expect(readAttachment({ v: 2, person, subs: [] })).toBeUndefined()
    expect(readAttachment({ v: 1, person: {}, subs: [] })).toBeUndefined()
  })

  it('keeps under the budget', () => {
    const sub = { id: 'x', group: '', version: 'v1', resource: 'pods', labelSelector: 'a'.repeat(1000) }
    const subs = (n: number) => Array.from({ length: n }, () => ({ sub, phase: 'live' as const, rv: 1 }))
    expect(fits({ v: 1, person, subs: subs(10) })).toBe(true)
    expect(fits({ v: 1, person, subs: subs(20) })).toBe(false)
    expect(ATTACHMENT_BUDGET).toBeLessThan(16 * 1024)
  })
})

describe('kindPrefixOf', () => {
  it.each([
    ['/registry/core/pods/default/web', '/registry/core/pods/'],
    ['/registry/core/nodes/worker-1', '/registry/core/nodes/'],
    ['/registry/apps/deployments/default/web', '/registry/apps/deployments/'],
    ['/registry/core', undefined],
  ])('%s → %s', (key, want) => {
    expect(kindPrefixOf(key)).toBe(want)
  })
})
