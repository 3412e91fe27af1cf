// RFC 7386 JSON Merge Patch (application/merge-patch+json): kubectl label,
// annotate and scale send it, and the strategic merge patch falls back to it
// where a field has no patch metadata.
//
// Behaviour follows the Go library the apiserver uses (evanphx/json-patch
// MergePatch), which differs from the RFC text in one way: null members are
// pruned from values that are newly added, including from inside arrays.

import { PatchError } from './schema'
import { cloneJson, isObject, type JsonObject } from './json-values'

/** Applies a JSON merge patch to a copy of `doc` and returns the copy. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  // The Go library rejects a patch that is null or a bare scalar outright (400).
  if (patch === null || (!isObject(patch) && !Array.isArray(patch))) {
    throw new PatchError('Invalid JSON Patch', undefined, true)
  }
  return merge(cloneJson(doc), patch)
}

/** Merges `patch` into `cur`, which is already a private copy and may be changed in place. */
function merge(cur: unknown, patch: unknown): unknown {
  // Only an object merges into an object; anything else replaces the target.
  if (!isObject(cur)) return pruneNulls(patch)
  if (!isObject(patch)) return cloneJson(patch)
  const out: JsonObject = cur
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else if (!Object.hasOwn(out, k) || out[k] === null) out[k] = pruneNulls(v)
    else out[k] = merge(out[k], v)
  }
  return out
}

/** A copy of `v` without null object members or null array elements, at any depth. */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((e) => e !== null).map(pruneNulls)
  if (isObject(v)) {
    const out: JsonObject = {}
    for (const [k, e] of Object.entries(v)) if (e !== null) out[k] = pruneNulls(e)
    return out
  }
  return v
}
