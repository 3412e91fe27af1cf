// A pod's state as `kubectl get pods` prints it in the STATUS column (upstream's
// printPod: init containers first, then containers from the last, then
// deletion), with its READY count and restarts, and a tone for the chip colour.
type Obj = Record<string, any>

export type Tone = 'ok' | 'notready' | 'pending' | 'creating' | 'bad' | 'done' | 'terminating' | 'unknown'

export interface PodState {
  /** What kubectl prints under STATUS. */
  label: string
  tone: Tone
  ready: number
  total: number
  restarts: number
}

const CREATING = new Set(['ContainerCreating', 'PodInitializing', 'Pending'])
const BAD = /BackOff|Err|Error|OOMKilled|ExitCode|Signal|Invalid|Evicted|Failed|ContainerCannotRun|DeadlineExceeded/

export function podState(pod: Obj): PodState {
  const status = pod.status ?? {}
  const spec = pod.spec ?? {}
  let reason: string = status.reason || status.phase || 'Pending'
  let restarts = 0
  let ready = 0
  const total = (spec.containers ?? []).length
  let initializing = false
  const initSpecs: Obj[] = spec.initContainers ?? []
  const initStatuses: Obj[] = status.initContainerStatuses ?? []
  for (const [i, c] of initStatuses.entries()) {
    restarts += c.restartCount ?? 0
    const st = c.state ?? {}
    if (st.terminated && st.terminated.exitCode === 0) continue
    // A sidecar (an init container that restarts always) that has started does not hold the pod back.
    const sidecar = initSpecs.find((s) => s.name === c.name)?.restartPolicy === 'Always'
    if (sidecar && c.started) continue
    if (st.terminated) {
      const t = st.terminated
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`
    } else if (st.waiting?.reason && st.waiting.reason !== 'PodInitializing') {
      reason = `Init:${st.waiting.reason}`
    } else {
      reason = `Init:${i}/${initSpecs.length}`
    }
    initializing = true
    break
  }
  if (!initializing || podInitialized(status)) {
    let hasRunning = false
    const statuses: Obj[] = status.containerStatuses ?? []
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!
      restarts += c.restartCount ?? 0
      const st = c.state ?? {}
      if (st.waiting?.reason) reason = st.waiting.reason
      else if (st.terminated?.reason) reason = st.terminated.reason
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`
      else if (c.ready && st.running) {
        hasRunning = true
        ready++
      }
    }
    // A pod whose last container completed but others still run is Running (or NotReady).
    if (reason === 'Completed' && hasRunning) reason = podReady(status) ? 'Running' : 'NotReady'
  }
  if (pod.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
  // The label is kubectl's; the colour also heeds the pod's Ready condition, which the node
  // controller turns False on a lost node while the container statuses still say ready.
  const tone = toneOf(reason, ready, total)
  return { label: reason, tone: tone === 'ok' && !podReady(status) && (status.conditions ?? []).length > 0 ? 'notready' : tone, ready, total, restarts }
}

function condition(status: Obj, type: string): boolean {
  return (status.conditions ?? []).some((c: Obj) => c.type === type && c.status === 'True')
}
const podInitialized = (status: Obj) => condition(status, 'Initialized')
const podReady = (status: Obj) => condition(status, 'Ready')

function toneOf(label: string, ready: number, total: number): Tone {
  if (label === 'Terminating') return 'terminating'
  if (label === 'Running') return ready === total ? 'ok' : 'notready'
  if (label === 'NotReady') return 'notready'
  if (label === 'Completed' || label === 'Succeeded') return 'done'
  if (label === 'Unknown') return 'unknown'
  if (label === 'Pending') return 'pending'
  if (CREATING.has(label) || label.startsWith('Init:')) return BAD.test(label) ? 'bad' : 'creating'
  if (BAD.test(label)) return 'bad'
  return 'unknown'
}

/** The pod's controller (Deployment for a ReplicaSet named <deploy>-<hash>), for grouping. */
export function podOwner(pod: Obj): { kind: string; name: string } {
  const ref = (pod.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller) ?? pod.metadata?.ownerReferences?.[0]
  if (!ref) return { kind: 'Pod', name: '(no owner)' }
  const hash = pod.metadata?.labels?.['pod-template-hash']
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`))
    return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1) }
  return { kind: ref.kind, name: ref.name }
}
