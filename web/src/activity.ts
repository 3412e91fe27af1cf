// What a person's write did, in words: "scaled deployment web to 5",
// "powered off node worker-2". From the object before and after the write.
type Obj = Record<string, any>

const FAULT = 'sim.wheelhouse.dev/fault'

export function describeWrite(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Obj, previous?: Obj): string {
  const kind = String(object.kind ?? 'object').toLowerCase()
  const ref = `${kind} ${object.metadata?.name ?? ''}`
  if (type === 'ADDED') return `created ${ref}`
  if (type === 'DELETED') return `deleted ${ref}`
  if (object.metadata?.deletionTimestamp && !previous?.metadata?.deletionTimestamp) return `deleted ${ref}`
  if (!previous) return `changed ${ref}`
  const was = previous.spec ?? {}
  const now = object.spec ?? {}
  if (object.kind === 'Node') {
    const f0 = previous.metadata?.annotations?.[FAULT]
    const f1 = object.metadata?.annotations?.[FAULT]
    if (f0 !== f1) return f1 === 'poweroff' ? `powered off ${ref}` : f1 === 'partition' ? `partitioned ${ref}` : f1 ? `set fault ${f1} on ${ref}` : `restored ${ref}`
    if (!!was.unschedulable !== !!now.unschedulable) return `${now.unschedulable ? 'cordoned' : 'uncordoned'} ${ref}`
    if (JSON.stringify(was.taints ?? []) !== JSON.stringify(now.taints ?? [])) return `changed the taints of ${ref}`
  }
  if (object.kind === 'Clock') {
    if (was.speed !== now.speed) return `set the clock to ${now.speed}×`
    if (!!was.paused !== !!now.paused) return now.paused ? 'paused the clock' : 'resumed the clock'
  }
  if (was.replicas !== now.replicas && now.replicas !== undefined) return `scaled ${ref} to ${now.replicas}`
  const images = (o: Obj) => (o.template?.spec?.containers ?? o.containers ?? []).map((c: Obj) => c.image).join(',')
  if (images(was) !== images(now)) return `set the image of ${ref} to ${images(now)}`
  if (JSON.stringify(previous.metadata?.labels ?? {}) !== JSON.stringify(object.metadata?.labels ?? {})) return `labelled ${ref}`
  if (JSON.stringify(previous.metadata?.annotations ?? {}) !== JSON.stringify(object.metadata?.annotations ?? {})) return `annotated ${ref}`
  return `changed ${ref}`
}
