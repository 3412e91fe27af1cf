// The PVC protection controller (pvcprotection): a claim keeps its
// kubernetes.io/pvc-protection finalizer while any scheduled pod names it, so
// deleting a claim in use leaves it Terminating until those pods are gone.
// It also adds the finalizer to claims created without it.
import { PVC_PROTECTION_FINALIZER, claimsOfPod } from '../resources/storage'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  PODS,
  splitKey,
} from './framework/types'

const PVCS: KindRef = '/v1/persistentvolumeclaims'

const hasFinalizer = (o: Obj, f: string) => (o.metadata.finalizers ?? []).includes(f)
/** protectionutil.IsDeletionCandidate. */
export const isDeletionCandidate = (o: Obj, f: string) =>
  !!o.metadata.deletionTimestamp && hasFinalizer(o, f)
/** protectionutil.NeedToAddFinalizer. */
export const needToAddFinalizer = (o: Obj, f: string) =>
  !o.metadata.deletionTimestamp && !hasFinalizer(o, f)

const isTerminated = (pod: Obj) =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
/** The kubelet is done with it, or it was force-deleted. */
const isShutDown = (pod: Obj) =>
  !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0

/**
 * podUsesPVC: a scheduled pod that names the claim, whatever its phase (the
 * kubelet may still be unmounting); an ephemeral claim only while its own pod
 * is not shut down.
 */
export function podUsesClaim(pod: Obj, claim: Obj): boolean {
  if (!pod.spec?.nodeName) return false
  return (pod.spec.volumes ?? []).some((v: Obj) => {
    if (v.persistentVolumeClaim) return v.persistentVolumeClaim.claimName === claim.metadata.name
    if (!v.ephemeral || isShutDown(pod) || `${pod.metadata.name}-${v.name}` !== claim.metadata.name)
      return false
    return (claim.metadata.ownerReferences ?? []).some(
      (r: Obj) => r.controller && r.uid === pod.metadata.uid,
    )
  })
}

export function syncClaimProtection(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim) return
  if (isDeletionCandidate(claim, PVC_PROTECTION_FINALIZER)) {
    const used = ctx.list(PODS, { namespace }).some((p) => podUsesClaim(p, claim))
    if (!used)
      ctx.update(PVCS, {
        ...claim,
        metadata: {
          ...claim.metadata,
          finalizers: claim.metadata.finalizers.filter(
            (f: string) => f !== PVC_PROTECTION_FINALIZER,
          ),
        },
      })
    return
  }
  if (needToAddFinalizer(claim, PVC_PROTECTION_FINALIZER))
    ctx.update(PVCS, {
      ...claim,
      metadata: {
        ...claim.metadata,
        finalizers: [...(claim.metadata.finalizers ?? []), PVC_PROTECTION_FINALIZER],
      },
    })
}

export const pvcProtectionController: Controller = {
  name: 'pvc-protection',
  component: 'pvc-protection-controller',
  watches: {
    [PVCS]: (claim, _old, deleted) =>
      !deleted &&
      (needToAddFinalizer(claim, PVC_PROTECTION_FINALIZER) ||
        isDeletionCandidate(claim, PVC_PROTECTION_FINALIZER))
        ? [`${claim.metadata.namespace}/${claim.metadata.name}`]
        : [],
    // Only a pod that can no longer be using its claims can let one go.
    [PODS]: (pod, _old, deleted) =>
      deleted || isTerminated(pod) || !pod.spec?.nodeName
        ? claimsOfPod(pod).map((c) => `${pod.metadata.namespace}/${c}`)
        : [],
  },
  sync(key, ctx) {
    const { namespace, name } = splitKey(key)
    if (namespace) syncClaimProtection(ctx, namespace, name)
  },
}
