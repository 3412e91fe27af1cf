// kube-apiserver's own reconcilers for the `kubernetes` Service in default:
// the kubernetesservice controller puts the Service back when it is deleted or
// its ports or type are changed, and the endpoint reconciler keeps its
// Endpoints and EndpointSlice pointing at the API server (172.18.0.2:6443).
// Upstream polls every 10 s; here any write to one of the three wakes it.
// The Service has no selector, so the endpoints controllers never touch it.
import { kubernetesEndpoints, kubernetesEndpointSlice, kubernetesService } from '../apiserver/bootstrap-services'
import { type Controller, type ControllerContext, ENDPOINTS, ENDPOINTSLICES, type KindRef, type Obj, SERVICES } from './framework/types'

const KEY = 'default/kubernetes'
const isOurs = (o: Obj) => o.metadata.namespace === 'default' && o.metadata.name === 'kubernetes'
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** getMasterServiceUpdateIfNeeded: the ports (name, port, protocol, targetPort) and type as the API server sets them. */
function serviceDrift(svc: Obj, want: Obj): Obj | undefined {
  const ports = (svc.spec?.ports ?? []).map((p: Obj) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort }))
  if (same(ports, want.spec.ports) && svc.spec?.type === want.spec.type) return undefined
  return { ...svc, spec: { ...svc.spec, ports: want.spec.ports, type: want.spec.type } }
}

function ensure(ctx: ControllerContext, kind: KindRef, want: Obj, fields: string[]): void {
  const cur = ctx.get(kind, 'default', 'kubernetes')
  if (!cur) {
    ctx.create(kind, want)
    return
  }
  const labels = { ...cur.metadata.labels, ...want.metadata.labels }
  if (fields.every((f) => same(cur[f], want[f])) && same(cur.metadata.labels, labels)) return
  const next: Obj = { ...cur, metadata: { ...cur.metadata, labels } }
  for (const f of fields) next[f] = want[f]
  ctx.update(kind, next)
}

export function syncKubernetesService(key: string, ctx: ControllerContext): void {
  if (key !== KEY) return
  const want = kubernetesService()
  const svc = ctx.get(SERVICES, 'default', 'kubernetes')
  if (!svc) ctx.create(SERVICES, want)
  else {
    const next = serviceDrift(svc, want)
    if (next) ctx.update(SERVICES, next)
  }
  ensure(ctx, ENDPOINTS, kubernetesEndpoints(), ['subsets'])
  ensure(ctx, ENDPOINTSLICES, kubernetesEndpointSlice(), ['addressType', 'endpoints', 'ports'])
}

export const kubernetesServiceController: Controller = {
  name: 'kubernetes-service',
  component: 'kube-apiserver',
  watches: {
    [SERVICES]: (o) => (isOurs(o) ? [KEY] : []),
    [ENDPOINTS]: (o) => (isOurs(o) ? [KEY] : []),
    [ENDPOINTSLICES]: (o) => (isOurs(o) ? [KEY] : []),
  },
  sync: syncKubernetesService,
}
