// What patching needs to know about a kind's fields: the strategic-merge-patch
// strategy and merge key of each list, and the server-side-apply list types.
// Built from the kind's schema (worker/resources/schema), consumed by the
// strategic merge patch and server-side apply.

export interface PatchSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' | 'any'
  /** Named fields of an object. */
  properties?: Record<string, PatchSchema>
  /** Values of a map (labels, annotations, data). */
  additionalProperties?: PatchSchema
  /** Elements of a list. */
  items?: PatchSchema
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys" or "merge,retainKeys". */
  patchStrategy?: string
  /** x-kubernetes-patch-merge-key, e.g. "name" for containers, "containerPort" for ports. */
  patchMergeKey?: string
  /** x-kubernetes-list-type: "atomic", "set" or "map". */
  listType?: 'atomic' | 'set' | 'map'
  /** x-kubernetes-list-map-keys, for listType "map". */
  listMapKeys?: string[]
  /** x-kubernetes-map-type: "atomic" or "granular" (the default). */
  mapType?: 'atomic' | 'granular'
}

/** A patch the server cannot apply: the API answers 422 (or 400 for a malformed patch document). */
export class PatchError extends Error {
  override readonly name = 'PatchError'
  constructor(
    message: string,
    /** The field path the problem is at, e.g. "spec.template.spec.containers[0]". */
    readonly field?: string,
    /** true when the patch document itself is malformed (400 BadRequest) rather than inapplicable (422). */
    readonly malformed = false,
  ) {
    super(message)
  }
}
