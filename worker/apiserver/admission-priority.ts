// The Priority admission plugin: a new pod's priorityClassName becomes its
// spec.priority and preemptionPolicy, the global default class applies when it
// names none, and the two system classes always exist, as in kube-apiserver.
import { findKind } from '../resources/registry'
import { ApiError } from './errors'
import type { Obj, Objects } from './objects'
import { status } from './status'

const PRIORITY_CLASSES = findKind('scheduling.k8s.io', 'v1', 'priorityclasses')!

/** Built into every cluster, as upstream's SystemPriorityClasses. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
}

export function admitPriority(objects: Objects, pod: Obj): void {
  const spec = pod.spec ?? {}
  const name: string | undefined = spec.priorityClassName
  let value: number | undefined
  let policy: string | undefined
  if (name && name in SYSTEM_PRIORITY_CLASSES) value = SYSTEM_PRIORITY_CLASSES[name]
  else if (name) {
    const pc = objects.get(PRIORITY_CLASSES, undefined, name)
    if (!pc)
      throw new ApiError(
        status(
          403,
          'Forbidden',
          `pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: no PriorityClass with name ${name} was found`,
          { name: pod.metadata.name, kind: 'pods' },
        ),
      )
    value = pc.value
    policy = pc.preemptionPolicy
  } else {
    const global = objects.list(PRIORITY_CLASSES).items.find((pc) => pc.globalDefault)
    if (global) {
      spec.priorityClassName = global.metadata.name
      value = global.value
      policy = global.preemptionPolicy
    }
  }
  if (value === undefined) return
  if (spec.priority !== undefined && spec.priority !== 0 && spec.priority !== value)
    throw new ApiError(
      status(
        403,
        'Forbidden',
        `pods "${pod.metadata.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
        { name: pod.metadata.name, kind: 'pods' },
      ),
    )
  spec.priority = value
  spec.preemptionPolicy = policy ?? 'PreemptLowerPriority'
  pod.spec = spec
}
