// Simulated requests reaching a pod: who answers, who refuses, and the access
// lines they leave in `kubectl logs`.
import { describe, expect, it } from 'vitest'
import { lookupImage } from '../../sim/registry/catalog'
import { parseImageRef } from '../../sim/registry/image-ref'
import { planProcess } from '../runtime/process'
import { containerLogs } from './container-logs'
import { newPodRecord, type PodRecord } from './pod-record'
import { SERVED_CAP, serveRequests } from './serving'

const T0 = Date.parse('2026-11-25T10:00:00Z')

function running(image: string, at = T0): PodRecord {
  const rec = newPodRecord(
    { metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'web', image }] } },
    at,
  )
  rec.podIP = '10.244.1.5'
  const parsed = parseImageRef(image)
  if (!parsed.ok) throw new Error(parsed.message)
  const found = lookupImage(parsed.ref)
  if (!found.ok) throw new Error(found.message)
  const c = rec.containers[0]!
  c.run = {
    startedAt: at,
    containerID: 'containerd://x',
    plan: planProcess({ behaviour: found.image.behaviour, env: {}, files: {}, startedAt: at, hostname: 'web', podIP: rec.podIP }),
  }
  return rec
}

const batch = (over: Partial<Parameters<typeof serveRequests>[1]> = {}) => ({
  namespace: 'default',
  name: 'web',
  ip: '10.244.1.5',
  port: 80,
  method: 'GET',
  path: '/',
  host: 'web.default.svc.cluster.local',
  clients: [{ ip: '10.244.2.7', count: 3 }],
  ...over,
})

describe('serveRequests', () => {
  it('nginx answers with its index page and logs one access line per request', () => {
    const rec = running('nginx:1.27')
    // The batch's requests end at the time served, a millisecond apart.
    const { result, changed } = serveRequests(rec, batch(), T0 + 5_500)
    expect(result).toMatchObject({ answered: 3, refused: 0, timedOut: 0, response: { code: 200 } })
    expect(result.response!.body).toContain('<title>Welcome to nginx!</title>')
    expect(result.response!.body.length).toBe(615)
    expect(changed).toBe(true)
    const logs = containerLogs(rec, { namespace: 'default', name: 'web' }, T0 + 6_000, false)
    if (!logs.ok) throw new Error(logs.message)
    const access = logs.text.split('\n').filter((l) => l.startsWith('10.244.2.7 '))
    expect(access).toEqual(Array(3).fill('10.244.2.7 - - [25/Nov/2026:10:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.0" "-"'))
  })

  it('refuses before the server listens, and on a port it does not open', () => {
    const rec = running('nginx:1.27')
    expect(serveRequests(rec, batch(), T0 + 500).result).toEqual({ answered: 0, refused: 3, timedOut: 0 })
    expect(serveRequests(rec, batch({ port: 8080 }), T0 + 5_000).result).toEqual({ answered: 0, refused: 3, timedOut: 0 })
  })

  it('times out at an address the pod no longer has, or when the pod is gone', () => {
    const rec = running('nginx:1.27')
    expect(serveRequests(rec, batch({ ip: '10.244.1.6' }), T0 + 5_000).result.timedOut).toBe(3)
    expect(serveRequests(undefined, batch(), T0 + 5_000).result.timedOut).toBe(3)
  })

  it('a server that does not log requests answers without keeping anything', () => {
    const rec = running('traefik/whoami')
    const { result, changed } = serveRequests(rec, batch(), T0 + 5_000)
    expect(result.response?.body).toContain('Hostname: web\nIP: 127.0.0.1\nIP: 10.244.1.5\nRemoteAddr: 10.244.2.7\n')
    expect(changed).toBe(false)
  })

  it('keeps at most SERVED_CAP batches per run', () => {
    const rec = running('nginx:1.27')
    for (let i = 0; i < SERVED_CAP + 10; i++) serveRequests(rec, batch({ clients: [{ ip: `10.0.0.${i % 250}`, count: 1 }] }), T0 + 5_000 + i)
    expect(rec.containers[0]!.run!.served).toHaveLength(SERVED_CAP)
  })
})
