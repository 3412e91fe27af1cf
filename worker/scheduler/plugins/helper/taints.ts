// Toleration matching, after component-helpers' ToleratesTaint and
// FindMatchingUntoleratedTaint; shared by TaintToleration (filter and score),
// NodeUnschedulable, PodTopologySpread's nodeTaintsPolicy and the taint manager.
import type { Obj } from '../../framework/types'

export interface Taint {
  key: string
  value?: string
  effect: string
}

export interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number
}

/**
 * An empty effect matches every effect, an empty key (with Exists) every key;
 * Equal (the default operator) compares values, Exists ignores them.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  switch (t.operator ?? 'Equal') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '')
    case 'Exists':
      return true
    default:
      return false
  }
}

export const tolerationsTolerateTaint = (tolerations: Toleration[] | undefined, taint: Taint) =>
  (tolerations ?? []).some((t) => toleratesTaint(t, taint))

/** The effects that keep new pods off a node (PreferNoSchedule only weighs in scoring). */
export const doNotScheduleTaint = (taint: Taint) =>
  taint.effect === 'NoSchedule' || taint.effect === 'NoExecute'

/** The first taint passing `filter` that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  filter: (taint: Taint) => boolean = () => true,
): Taint | undefined {
  return (taints ?? []).find((t) => filter(t) && !tolerationsTolerateTaint(tolerations, t))
}

export const nodeTaints = (node: Obj): Taint[] => node.spec?.taints ?? []
export const podTolerations = (pod: Obj): Toleration[] => pod.spec?.tolerations ?? []
