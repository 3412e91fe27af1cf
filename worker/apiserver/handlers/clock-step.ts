// POST clocks/{name}/step: the simulation's fast-forward as an API write, so
// kubectl, the web client and RBAC (`create clocks/step`) treat it like any
// other. The clock itself is the caller's; this checks the request, asks for
// the jump, and records it in the Clock's status so watchers see it happen.
import type { ApiContext } from '../context'
import { rfc3339 } from '../context'
import { badRequestError, invalidError, methodNotAllowed } from '../errors'
import type { Obj } from '../objects'
import { present } from '../present'

export interface ClockControl {
  /** Moves simulated time forward by ms now; resolves with simulated now after the jump. */
  step(ms: number): Promise<number>
}

/** A day at most: longer jumps are better taken as several, so each can be watched. */
export const MAX_STEP_SECONDS = 86_400

export async function stepClock(ctx: ApiContext, clock: ClockControl): Promise<Response> {
  if (ctx.info.verb !== 'create') throw methodNotAllowed()
  const current = ctx.objects.mustGet(ctx.kind, undefined, ctx.info.name!)
  const body = (await ctx.body()) as Obj
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequestError('the body of the request was not a JSON object')
  const seconds = body.seconds
  if (seconds === undefined)
    throw invalidError({ kind: 'ClockStep', group: ctx.kind.group }, ctx.info.name!, [{ type: 'FieldValueRequired', field: 'seconds', message: 'Required value' }])
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_STEP_SECONDS)
    throw invalidError({ kind: 'ClockStep', group: ctx.kind.group }, ctx.info.name!, [
      { type: 'FieldValueInvalid', field: 'seconds', message: `Invalid value: ${JSON.stringify(seconds)}: must be between 1 and ${MAX_STEP_SECONDS}, inclusive` },
    ])
  const now = await clock.step(seconds * 1000)
  const latest = ctx.objects.get(ctx.kind, undefined, current.metadata.name) ?? current
  const next = { ...latest, status: { ...latest.status, lastStep: { seconds, time: rfc3339(now) } } }
  const stored = ctx.objects.update(ctx.kind, next, latest.metadata.resourceVersion)
  return Response.json(present(ctx.kind, stored, now), { status: 201 })
}
