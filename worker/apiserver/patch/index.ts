// The patch formats the API server accepts on PATCH, as pure functions over parsed JSON.
export { applyJsonPatch, JSON_PATCH_NOT_APPLIED } from './json-patch'
export { applyMergePatch } from './merge-patch'
export { applyStrategicMergePatch } from './strategic-merge-patch'
export { PatchError, type PatchSchema } from './schema'
