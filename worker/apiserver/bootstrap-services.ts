// The Services every cluster starts with. `kubernetes` in default is what
// kube-apiserver's bootstrap controller keeps (the first address of the
// service range, https 443 → 6443, no selector), with the Endpoints and
// EndpointSlice its endpoint reconciler writes for the API server's address:
// the controllers leave a Service without a selector alone, so nothing else
// touches them. `kube-dns` in kube-system is kubeadm's CoreDNS Service at the
// tenth address.
import { apiVersionOf, type KindInfo } from '../resources/kind'
import { findKind } from '../resources/registry'
import { patchSchemaFor } from '../resources/schema/patch-meta'
import { rfc3339 } from './context'
import type { Obj, Objects } from './objects'
import { prepareForCreate } from './prepare'
import { updateManagedFields } from './server-side-apply'

const SERVICES = findKind('', 'v1', 'services')!
const ENDPOINTS = findKind('', 'v1', 'endpoints')!
const ENDPOINT_SLICES = findKind('discovery.k8s.io', 'v1', 'endpointslices')!

export const KUBERNETES_SERVICE_IP = '10.96.0.1'
export const KUBE_DNS_SERVICE_IP = '10.96.0.10'
/** The API server's address on the node network, as kind's control-plane node has it (workers are .3 on). */
export const APISERVER_ADVERTISE_ADDRESS = '172.18.0.2'
export const APISERVER_SECURE_PORT = 6443

export function kubernetesService(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      clusterIP: KUBERNETES_SERVICE_IP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_SECURE_PORT }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  }
}

export function kubernetesEndpoints(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    // The mirroring controller must not copy these into a second slice.
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: APISERVER_ADVERTISE_ADDRESS }], ports: [{ name: 'https', port: APISERVER_SECURE_PORT, protocol: 'TCP' }] }],
  }
}

export function kubernetesEndpointSlice(): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [APISERVER_ADVERTISE_ADDRESS], conditions: { ready: true } }],
    ports: [{ name: 'https', port: APISERVER_SECURE_PORT, protocol: 'TCP' }],
  }
}

export function kubeDNSService(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: KUBE_DNS_SERVICE_IP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
    },
  }
}

function create(objects: Objects, k: KindInfo, o: Obj, manager: string, now: number): void {
  prepareForCreate(k, o, now, { objects })
  o.metadata.managedFields = updateManagedFields(undefined, o, manager, apiVersionOf(k), rfc3339(now), patchSchemaFor(`${k.group}/${k.version}/${k.kind}`))
  objects.create(k, o)
}

/** Called by seedCluster once the system namespaces exist. */
export function seedServices(objects: Objects, now: number): void {
  create(objects, SERVICES, kubernetesService(), 'kube-apiserver', now)
  create(objects, ENDPOINTS, kubernetesEndpoints(), 'kube-apiserver', now)
  create(objects, ENDPOINT_SLICES, kubernetesEndpointSlice(), 'kube-apiserver', now)
  create(objects, SERVICES, kubeDNSService(), 'kubeadm', now)
}
