// The NamespaceLifecycle admission plugin (apiserver/pkg/admission/plugin/
// namespace/lifecycle): nothing is created in a namespace that does not exist
// (its NotFound) or is being terminated (403 with the NamespaceTerminating
// cause), and the immortal namespaces cannot be deleted. Namespaces themselves,
// cluster-scoped kinds and access reviews pass. Pure: the caller passes a lookup.
import type { Obj } from '../objects'
import { ApiError } from '../errors'
import { notFound, status } from '../status'
import { type Attributes, forbidden } from './attributes'

/** kube-apiserver's immortal namespaces (metav1.NamespaceDefault, NamespaceSystem, NamespacePublic). */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public'])

export type NamespaceLookup = (name: string) => Obj | undefined

const isNamespaces = (a: Pick<Attributes, 'group' | 'resource'>) =>
  a.group === '' && a.resource === 'namespaces'

/** On create: the namespace must exist and be Active. */
export function admitNamespaceLifecycle(a: Attributes, lookup: NamespaceLookup): void {
  if (!a.namespace || isNamespaces(a) || a.operation !== 'CREATE') return
  if (a.group === 'authorization.k8s.io' && a.resource === 'localsubjectaccessreviews') return
  const ns = lookup(a.namespace)
  if (!ns) throw new ApiError(notFound('namespaces', a.namespace))
  if (ns.status?.phase !== 'Terminating' && !ns.metadata.deletionTimestamp) return
  const err = forbidden(
    a,
    `unable to create new content in namespace ${a.namespace} because it is being terminated`,
    { mutating: true },
  )
  err.status.details = {
    ...err.status.details,
    causes: [
      {
        type: 'NamespaceTerminating',
        message: `namespace ${a.namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ],
  }
  throw err
}

/** On delete: `namespaces "default" is forbidden: this namespace may not be deleted`. */
export function admitNamespaceDelete(group: string, resource: string, name: string): void {
  if (!isNamespaces({ group, resource }) || !IMMORTAL_NAMESPACES.has(name)) return
  throw new ApiError(
    status(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, {
      name,
      kind: 'namespaces',
    }),
  )
}
