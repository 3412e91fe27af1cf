// The root CA certificate publisher (pkg/controller/certificates/
// rootcacertpublisher): every namespace has the ConfigMap kube-root-ca.crt
// whose ca.crt is the cluster's CA bundle, put back if deleted or edited. The
// ServiceAccount admission's kube-api-access volume projects it into pods.
//
// The simulated cluster has no real CA (kubectl reaches it through a TLS front
// with its own), so the bundle is a PEM block that looks like kubeadm's CA
// (same DER header, 777 bytes) filled from a seed that is stable per cluster:
// kube-system's uid. It identifies the cluster; it is not a parsable certificate.
import { ApiError } from '../apiserver/errors'
import { isNamespaceTerminating } from './controller-utils'
import type { Controller, ControllerContext, KindRef, Obj } from './framework/types'
import { NAMESPACES } from './framework/types'

export const CONFIG_MAPS: KindRef = '/v1/configmaps'
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt'
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description'
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.'

/** The DER prefix of a kubeadm CA: a 777-byte SEQUENCE, tbsCertificate, version 3, an 8-byte serial. */
const DER_PREFIX = [0x30, 0x82, 0x03, 0x05, 0x30, 0x82, 0x01, 0xed, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x08]
const DER_LENGTH = 0x305 + 4

/** A PEM CERTIFICATE block derived from seed: the same seed, the same block. */
export function simulatedRootCA(seed: string): string {
  // FNV-1a for the seed, then mulberry32 for the bytes.
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0
  const bytes = new Uint8Array(DER_LENGTH)
  bytes.set(DER_PREFIX)
  for (let i = DER_PREFIX.length; i < DER_LENGTH; i++) {
    h = (h + 0x6d2b79f5) >>> 0
    let t = Math.imul(h ^ (h >>> 15), 1 | h)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff
  }
  const b64 = btoa(String.fromCharCode(...bytes))
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** The cluster's bundle: seeded by kube-system's uid, which lives as long as the cluster. */
export function clusterRootCA(ctx: ControllerContext): string | undefined {
  const uid = ctx.get(NAMESPACES, undefined, 'kube-system')?.metadata.uid
  return uid ? simulatedRootCA(`${ctx.clusterName ?? ''}/${uid}`) : undefined
}

export function syncRootCA(namespace: string, ctx: ControllerContext): void {
  const ca = clusterRootCA(ctx)
  if (!ca) return
  const data = { 'ca.crt': ca }
  const cm = ctx.get(CONFIG_MAPS, namespace, ROOT_CA_CONFIGMAP)
  if (!cm) {
    try {
      ctx.create(CONFIG_MAPS, {
        metadata: {
          name: ROOT_CA_CONFIGMAP,
          namespace,
          annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
        },
        data,
      })
    } catch (e) {
      // Don't retry a create if the namespace doesn't exist or is terminating.
      if ((e instanceof ApiError && e.status.code === 404) || isNamespaceTerminating(e)) return
      throw e
    }
    return
  }
  if (
    JSON.stringify(cm.data) === JSON.stringify(data) &&
    cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]
  )
    return
  const next: Obj = structuredClone(cm)
  next.data = data
  next.metadata.annotations = { ...next.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION }
  ctx.update(CONFIG_MAPS, next)
}

export const rootCACertPublisher: Controller = {
  name: 'root-ca-cert-publisher',
  component: 'root-ca-cert-publisher',
  watches: {
    // Added namespaces, and updates of active ones.
    [NAMESPACES]: (ns, _old, deleted) =>
      deleted || ns.metadata.deletionTimestamp ? [] : [ns.metadata.name],
    [CONFIG_MAPS]: (cm) => (cm.metadata.name === ROOT_CA_CONFIGMAP ? [cm.metadata.namespace] : []),
  },
  sync: (key, ctx) => syncRootCA(key, ctx),
}
