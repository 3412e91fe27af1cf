// POST /clusters' body, checked before anything is stored:
// {name, nodes?, speed?, ttlHours?, mode?, retainedRevisions?}.
import { DEFAULT_MODE, isWorkshopMode, WORKSHOP_MODES, type WorkshopMode } from '../apiserver/authz/workshop-policy'
import { status, type Status } from '../apiserver/status'
import { validateSpeed } from '../sim/clock'
import type { DeploymentConfig } from './config'

/** Cluster names are DNS-1123 labels, so they fit in hostnames and object names. */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** A new cluster comes with three worker nodes unless told otherwise. */
export const DEFAULT_NODES = 3

export interface CreateRequest {
  name: string
  nodes: number
  speed?: number
  retainedRevisions?: number
  mode: WorkshopMode
  /** 0: never expires. */
  ttlHours: number
}

const invalid = (field: string, value: unknown, detail: string, name?: string): Status =>
  status(422, 'Invalid', `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`, {
    name,
    kind: 'Cluster',
    causes: [{ type: 'FieldValueInvalid', field, message: detail }],
  })

/**
 * The request, or the Status refusing it. Only a holder of the creator secret may
 * ask for a cluster that never expires (ttlHours 0): `npm start`'s demo is one.
 */
export function parseCreateRequest(body: unknown, config: DeploymentConfig, secretHolder: boolean): { ok: true; value: CreateRequest } | { ok: false; status: Status } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: status(400, 'BadRequest', 'request body must be a JSON object') }
  const b = body as Record<string, unknown>
  const name = b.name
  if (typeof name !== 'string' || !CLUSTER_NAME.test(name))
    return {
      ok: false,
      status: status(
        422,
        'Invalid',
        `Cluster "${String(name ?? '')}" is invalid: name: Invalid value: ${JSON.stringify(name ?? '')}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        { name: typeof name === 'string' ? name : undefined, kind: 'Cluster', causes: [{ type: 'FieldValueInvalid', field: 'name' }] },
      ),
    }
  for (const field of ['nodes', 'speed', 'retainedRevisions', 'ttlHours'] as const) {
    if (b[field] !== undefined && (typeof b[field] !== 'number' || !Number.isFinite(b[field])))
      return { ok: false, status: invalid(field, b[field], 'must be a number', name) }
  }
  const maxNodes = config.limits.maxNodes
  const nodes = (b.nodes as number | undefined) ?? Math.min(DEFAULT_NODES, maxNodes)
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > maxNodes)
    return { ok: false, status: invalid('nodes', nodes, `must be an integer between 0 and ${maxNodes}`, name) }
  const speed = b.speed as number | undefined
  const speedProblem = speed === undefined ? undefined : validateSpeed(speed)
  if (speedProblem) return { ok: false, status: invalid('speed', speed, speedProblem, name) }
  const retained = b.retainedRevisions as number | undefined
  if (retained !== undefined && (!Number.isInteger(retained) || retained < 1))
    return { ok: false, status: invalid('retainedRevisions', retained, 'must be a positive integer', name) }
  const mode = b.mode ?? DEFAULT_MODE
  if (!isWorkshopMode(mode)) return { ok: false, status: invalid('mode', mode, `supported values: ${WORKSHOP_MODES.map((m) => `"${m}"`).join(', ')}`, name) }
  const ttlHours = (b.ttlHours as number | undefined) ?? config.defaultTtlHours
  if (ttlHours < 0 || ttlHours > config.maxTtlHours)
    return { ok: false, status: invalid('ttlHours', ttlHours, `must be between 0 and ${config.maxTtlHours}`, name) }
  if (ttlHours === 0 && !secretHolder)
    return { ok: false, status: invalid('ttlHours', ttlHours, 'must be greater than 0: only the holder of the creator secret may make a cluster that never expires', name) }
  const value: CreateRequest = { name, nodes, mode, ttlHours }
  if (speed !== undefined) value.speed = speed
  if (retained !== undefined) value.retainedRevisions = retained
  return { ok: true, value }
}
