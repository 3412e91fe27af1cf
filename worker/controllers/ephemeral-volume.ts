// The ephemeral volume controller (pkg/controller/volume/ephemeral): a pod's
// generic ephemeral volume gets its claim, <pod>-<volume>, made from the
// volume's template and owned by the pod (so the garbage collector deletes
// it with the pod). A claim of that name not owned by the pod is refused.
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  PODS,
  splitKey,
} from './framework/types'

const PVCS: KindRef = '/v1/persistentvolumeclaims'

/** ephemeral.VolumeIsForPod: the claim's controller is this very pod. */
export function claimIsForPod(pod: Obj, claim: Obj): string | undefined {
  const owned = (claim.metadata.ownerReferences ?? []).some(
    (r: Obj) => r.controller && r.uid === pod.metadata.uid,
  )
  return owned
    ? undefined
    : `PVC ${claim.metadata.namespace}/${claim.metadata.name} was not created for pod ${pod.metadata.namespace}/${pod.metadata.name} (pod is not owner)`
}

/** The claim for one ephemeral volume of the pod, from its template. */
export function ephemeralClaim(pod: Obj, volume: Obj): Obj {
  const tpl = volume.ephemeral?.volumeClaimTemplate ?? {}
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `${pod.metadata.name}-${volume.name}`,
      namespace: pod.metadata.namespace,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
      ...(tpl.metadata?.labels ? { labels: tpl.metadata.labels } : {}),
    },
    spec: structuredClone(tpl.spec ?? {}),
  }
}

export function syncPodEphemeralVolumes(
  ctx: ControllerContext,
  namespace: string,
  name: string,
): void {
  const pod = ctx.get(PODS, namespace, name)
  if (!pod || pod.metadata.deletionTimestamp) return
  for (const v of pod.spec?.volumes ?? []) {
    if (!v.ephemeral) continue
    const existing = ctx.get(PVCS, namespace, `${name}-${v.name}`)
    if (existing) {
      const why = claimIsForPod(pod, existing)
      if (why) throw new Error(why)
      continue
    }
    try {
      ctx.create(PVCS, ephemeralClaim(pod, v))
    } catch (e) {
      ctx.event(pod, 'Warning', 'FailedBinding', `PVC creation failed: ${(e as Error).message}`)
      throw e
    }
  }
}

export const ephemeralVolumeController: Controller = {
  name: 'ephemeral-volume',
  component: 'ephemeral_volume',
  watches: {
    [PODS]: (pod, _old, deleted) =>
      !deleted && (pod.spec?.volumes ?? []).some((v: Obj) => v.ephemeral)
        ? [`${pod.metadata.namespace}/${pod.metadata.name}`]
        : [],
    // A claim deleted under a live pod is made again.
    [PVCS]: (claim, _old, deleted) => {
      const owner = (claim.metadata.ownerReferences ?? []).find(
        (r: Obj) => r.controller && r.kind === 'Pod',
      )
      return deleted && owner ? [`${claim.metadata.namespace}/${owner.name}`] : []
    },
  },
  sync(key, ctx) {
    const { namespace, name } = splitKey(key)
    if (namespace) syncPodEphemeralVolumes(ctx, namespace, name)
  },
}
