// Services with their endpoints (from EndpointSlices): type, cluster IP,
// external address, ports, and each backend pod ready or not.
import type { LiveFeed } from '../live'
import { peerStyle, PeerTags, peersOn } from './people'

type Obj = Record<string, any>

const SERVICE_NAME = 'kubernetes.io/service-name'

export interface Backend {
  address: string
  ready: boolean
  terminating: boolean
  pod?: string
  node?: string
}

/** The backends of each Service (namespace/name), from its EndpointSlices. */
export function backendsByService(slices: Iterable<Obj>): Map<string, { backends: Backend[]; ports: Obj[] }> {
  const out = new Map<string, { backends: Backend[]; ports: Obj[] }>()
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME]
    if (!svc) continue
    const key = `${s.metadata.namespace}/${svc}`
    let e = out.get(key)
    if (!e) out.set(key, (e = { backends: [], ports: [] }))
    for (const p of s.ports ?? []) if (!e.ports.some((x) => x.port === p.port && x.name === p.name)) e.ports.push(p)
    for (const ep of s.endpoints ?? [])
      for (const address of ep.addresses ?? [])
        e.backends.push({
          address,
          ready: ep.conditions?.ready !== false,
          terminating: ep.conditions?.terminating === true,
          pod: ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined,
          node: ep.nodeName,
        })
  }
  for (const e of out.values()) e.backends.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }))
  return out
}

function portsOf(svc: Obj): string {
  return (svc.spec?.ports ?? [])
    .map((p: Obj) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',')
}

function externalOf(svc: Obj): string {
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? []
  if (ingress.length) return ingress.map((i) => i.ip ?? i.hostname).join(',')
  if (svc.spec?.externalIPs?.length) return svc.spec.externalIPs.join(',')
  return svc.spec?.type === 'LoadBalancer' ? '<pending>' : ''
}

export function ServicesView({ feed }: { feed: LiveFeed }) {
  const services = [...feed.stores.services.values()].sort(
    (a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name),
  )
  const backends = backendsByService(feed.stores.endpointslices.values())
  return (
    <section class="panel services" aria-labelledby="services-h">
      <h2 id="services-h">
        Services <span class="count">{services.length}</span>
      </h2>
      <ul class="service-list">
        {services.map((svc) => {
          const { name, namespace } = svc.metadata
          const b = backends.get(`${namespace}/${name}`)
          const peers = peersOn(feed, 'Service', name, namespace)
          const external = externalOf(svc)
          return (
            <li
              key={svc.metadata.uid}
              class={`service${peers.length ? ' peer-focus' : ''}`}
              style={peerStyle(peers)}
              tabindex={0}
              data-focus-kind="Service"
              data-focus-name={name}
              data-focus-ns={namespace}
              data-service={`${namespace}/${name}`}
            >
              <div class="service-head">
                <strong>{name}</strong>
                <span class="muted">{namespace}</span>
                <span class="badge">{svc.spec?.type ?? 'ClusterIP'}</span>
                <code title="cluster IP">{svc.spec?.clusterIP}</code>
                {external && <code title="external address">{external}</code>}
                <span class="muted" title="ports">
                  {portsOf(svc)}
                </span>
                <PeerTags peers={peers} />
              </div>
              {svc.spec?.selector || b?.backends.length ? (
                <ul class="endpoints" aria-label={`Endpoints of ${name}`}>
                  {(b?.backends ?? []).map((e) => (
                    <li key={e.address} class={`endpoint ${e.terminating ? 'tone-terminating' : e.ready ? 'tone-ok' : 'tone-notready'}`} title={`${e.pod ?? ''}${e.node ? ` on ${e.node}` : ''}${e.ready ? '' : ' (not ready)'}`}>
                      {e.address}
                    </li>
                  ))}
                  {!b?.backends.length && <li class="muted">no endpoints</li>}
                </ul>
              ) : null}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
