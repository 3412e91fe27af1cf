// What the signed-in person may do, asked of the cluster's authorizer with
// SelfSubjectAccessReviews (what `kubectl auth can-i` sends), so a control the
// person's role does not allow is shown disabled with the reason, rather than
// failing with a 403 after a click. The server still decides every request.
import { useEffect, useState } from 'hono/jsx/dom'
import { type Api, call } from './api'

export interface Check {
  verb: string
  resource: string
  group?: string
  subresource?: string
  namespace?: string
  name?: string
}

const key = (c: Check) => [c.verb, c.group ?? '', c.resource, c.subresource ?? '', c.namespace ?? '', c.name ?? ''].join('|')

/** "patch nodes", "create clocks/step in sim.wheelhouse.dev", as a tooltip names what is missing. */
export function describeCheck(c: Check): string {
  const what = `${c.resource}${c.subresource ? `/${c.subresource}` : ''}`
  return `${c.verb} ${what}${c.group ? `.${c.group}` : ''}${c.namespace ? ` in namespace ${c.namespace}` : ''}`
}

const asked = new WeakMap<Api, Map<string, Promise<boolean>>>()

/** Whether the person may do it; a review that cannot be made counts as allowed (the request itself will say). */
export function can(api: Api, c: Check): Promise<boolean> {
  let cache = asked.get(api)
  if (!cache) asked.set(api, (cache = new Map()))
  let p = cache.get(key(c))
  if (!p) {
    p = call(api, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: c.verb, group: c.group ?? '', resource: c.resource, subresource: c.subresource, namespace: c.namespace, name: c.name } },
    }).then(
      (r) => r.status?.allowed === true,
      () => true,
    )
    cache.set(key(c), p)
  }
  return p
}

/** Answers for a set of checks by name; undefined until the cluster has answered. */
export function useCan<K extends string>(api: Api, checks: Record<K, Check | undefined>): Partial<Record<K, boolean>> {
  const [answers, setAnswers] = useState<Partial<Record<K, boolean>>>({})
  const signature = Object.entries(checks)
    .map(([k, c]) => `${k}=${c ? key(c as Check) : ''}`)
    .join(',')
  useEffect(() => {
    let live = true
    const entries = Object.entries(checks) as [K, Check | undefined][]
    void Promise.all(entries.map(async ([k, c]) => [k, c ? await can(api, c) : true] as const)).then((pairs) => {
      if (live) setAnswers(Object.fromEntries(pairs) as Partial<Record<K, boolean>>)
    })
    return () => {
      live = false
    }
  }, [api, signature])
  return answers
}

/** The tooltip of a control the person may not use. */
export const notAllowed = (c: Check) => `Your role in this cluster may not ${describeCheck(c)}`
