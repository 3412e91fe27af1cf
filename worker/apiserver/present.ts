// Fields computed when an object is read rather than stored: the Clock's simulated now.
import type { KindInfo } from '../resources/kind'
import { rfc3339 } from './context'
import type { Obj } from './objects'

export function present(k: KindInfo, o: Obj, now: number): Obj {
  if (k.group === 'sim.wheelhouse.dev' && k.kind === 'Clock')
    return { ...o, status: { ...o.status, now: rfc3339(now), speed: o.spec?.speed, paused: o.spec?.paused ?? false } }
  return o
}
