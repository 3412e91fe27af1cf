// What the API server knows about one kind: its names, scope, verbs and
// subresources as discovery serves them, and where its objects are stored.

export interface KindInfo {
  /** "" for the core group. */
  group: string
  version: string
  kind: string
  /** Plural, lowercase: the resource name in URLs. */
  resource: string
  singular: string
  namespaced: boolean
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  /** Subresource name → the kind it speaks (status speaks the kind itself). */
  subresources?: Record<string, { kind: string; group?: string; version?: string; verbs: string[] }>
  /** Field selectors beyond metadata.name/metadata.namespace (upstream's per-kind whitelist). */
  fieldSelectors?: Record<string, (obj: any) => string | undefined>
  /** Create-only objects answered but not stored (reviews, evictions, bindings). */
  virtual?: boolean
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

export const apiVersionOf = (k: Pick<KindInfo, 'group' | 'version'>) => (k.group ? `${k.group}/${k.version}` : k.version)

/** `/registry/<group>/<resource>/[<namespace>/]<name>`, "core" standing for the core group. */
export function storageKey(k: KindInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(k, namespace)}${name}`
}

/** The prefix that holds every object of the kind (in one namespace, if given). */
export function storagePrefix(k: KindInfo, namespace?: string): string {
  // events.k8s.io Events live with core Events (see conversion.ts).
  const group = k.group === 'events.k8s.io' && k.resource === 'events' ? '' : k.group
  const base = `/registry/${group || 'core'}/${k.resource}/`
  return k.namespaced && namespace ? `${base}${namespace}/` : base
}
