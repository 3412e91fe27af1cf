// kubectl get pods: READY, STATUS (upstream's reason logic), RESTARTS, AGE; wide IP, NODE, ….
import { AGE, col, NAME, wide } from './columns'
import { humanDuration, since } from './duration'
import type { Printer } from './types'

/** The STATUS cell: init progress, a waiting or terminated reason, Terminating, or the phase. */
export function podStatus(pod: any): string {
  const status = pod.status ?? {}
  let reason: string = status.reason || status.phase || ''
  const inits: any[] = pod.spec?.initContainers ?? []
  let initializing = false
  ;(status.initContainerStatuses ?? []).forEach((c: any, i: number) => {
    if (initializing) return
    const t = c.state?.terminated
    const w = c.state?.waiting
    if (t && t.exitCode === 0) return
    initializing = true
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`
    else reason = `Init:${i}/${inits.length}`
  })
  if (!initializing) {
    let hasRunning = false
    const cs: any[] = status.containerStatuses ?? []
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]
      const w = c.state?.waiting
      const t = c.state?.terminated
      if (w?.reason) reason = w.reason
      else if (t?.reason) reason = t.reason
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`
      else if (c.ready && c.state?.running) hasRunning = true
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
      reason = ready ? 'Running' : 'NotReady'
    }
  }
  if (pod.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
  return reason
}

function restarts(pod: any, now: number): string {
  let count = 0
  let last = 0
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    count += c.restartCount ?? 0
    const finished = c.lastState?.terminated?.finishedAt
    if (finished) last = Math.max(last, Date.parse(finished))
  }
  return count > 0 && last > 0 ? `${count} (${humanDuration(now - last)} ago)` : String(count)
}

export const podPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    wide('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    wide('Node', 'Name of the Node that the Pod is running on.'),
    wide('Nominated Node', 'NominatedNodeName is set when this pod preempts other pods on the node.'),
    wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  row(pod, now) {
    const cs: any[] = pod.status?.containerStatuses ?? []
    const total = (pod.spec?.containers ?? []).length
    const ready = cs.filter((c) => c.ready).length
    const gates: any[] = pod.spec?.readinessGates ?? []
    const conds: any[] = pod.status?.conditions ?? []
    const gatesCell = gates.length ? `${gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>'
    return [
      pod.metadata.name,
      `${ready}/${total}`,
      podStatus(pod),
      restarts(pod, now),
      since(pod.metadata.creationTimestamp, now),
      pod.status?.podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      gatesCell,
    ]
  },
}
