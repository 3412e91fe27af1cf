// The endpoints map: every usable address of every service port, merged from
// the Service's EndpointSlices as upstream's EndpointSliceCache does
// (pkg/proxy/endpointslicecache.go): IPv4 slices labelled with their Service,
// named ports with a port number, conditions defaulted (ready and serving when
// unset), a terminating duplicate never replacing a live one, sorted by "ip:port".
import { isIPv4, normalizeIP, servicePortKey, servicePortName } from './service-port'

type Obj = Record<string, any>

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

export interface Endpoint {
  ip: string
  port: number
  /** "ip:port", upstream's Endpoint.String(). */
  endpoint: string
  /** On this node. */
  isLocal: boolean
  ready: boolean
  serving: boolean
  terminating: boolean
  zoneHints: string[]
  nodeName?: string
  zone?: string
}

/** Service port key (servicePortKey) → its endpoints. */
export type EndpointsMap = Map<string, Endpoint[]>

export function endpointsMapOf(slices: Obj[], nodeName: string): EndpointsMap {
  const sets = new Map<string, Map<string, Endpoint>>()
  const sorted = [...slices].sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace}/${b.metadata.name}`,
    ),
  )
  for (const slice of sorted) {
    const service: string | undefined = slice.metadata?.labels?.[SERVICE_NAME_LABEL]
    if (!service || slice.addressType !== 'IPv4') continue
    for (const port of (slice.ports ?? []) as Obj[]) {
      if (port.name === undefined || port.name === null || !port.port) continue
      const key = servicePortKey(
        servicePortName(slice.metadata.namespace, service, port.name),
        port.protocol ?? 'TCP',
      )
      const set = sets.get(key) ?? new Map<string, Endpoint>()
      sets.set(key, set)
      for (const ep of (slice.endpoints ?? []) as Obj[]) {
        const addr = ep.addresses?.[0]
        if (!isIPv4(addr)) continue
        const ip = normalizeIP(addr)
        const c = ep.conditions ?? {}
        const terminating = c.terminating === true
        const e: Endpoint = {
          ip,
          port: Number(port.port),
          endpoint: `${ip}:${port.port}`,
          isLocal: !!nodeName && ep.nodeName === nodeName,
          ready: c.ready !== false,
          serving: c.serving !== false,
          terminating,
          zoneHints: ((ep.hints?.forZones ?? []) as Obj[]).map((z) => z.name),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          ...(ep.zone ? { zone: ep.zone } : {}),
        }
        // Two pods may briefly share an IP (one terminating): prefer the live one.
        if (!set.has(e.endpoint) || !terminating) set.set(e.endpoint, e)
      }
    }
  }
  const map: EndpointsMap = new Map()
  for (const [key, set] of sets) {
    if (!set.size) continue
    map.set(
      key,
      [...set.values()].sort((a, b) =>
        a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
      ),
    )
  }
  return map
}
