// NodePorts: the pod's hostPorts must be free on the node. A hostIP of
// 0.0.0.0 (or none) claims the port on every address, so it conflicts with
// any use of that protocol/port, and any specific address conflicts with it.
import { skip, success, unschedulable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Status } from '../../framework/types'
import { hostPorts } from '../../framework/node-info'

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports"

const WILDCARD = '0.0.0.0'

interface HostPort {
  protocol: string
  ip: string
  port: string
}

/** "protocol/hostIP/port", as node-info.ts writes usedPorts. */
function parse(key: string): HostPort {
  const first = key.indexOf('/')
  const last = key.lastIndexOf('/')
  return {
    protocol: key.slice(0, first),
    ip: key.slice(first + 1, last),
    port: key.slice(last + 1),
  }
}

function conflicts(want: HostPort, used: HostPort): boolean {
  if (want.protocol !== used.protocol || want.port !== used.port) return false
  return want.ip === WILDCARD || used.ip === WILDCARD || want.ip === used.ip
}

export function fitsPorts(wanted: string[], node: NodeInfo): boolean {
  if (wanted.length === 0 || node.usedPorts.size === 0) return true
  const used = [...node.usedPorts].map(parse)
  return wanted.map(parse).every((w) => !used.some((u) => conflicts(w, u)))
}

const STATE_KEY = 'PreFilterNodePorts'

export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  preFilter(state, pod) {
    const wanted = hostPorts(pod)
    // No host ports: nothing can conflict, skip Filter as upstream does.
    if (wanted.length === 0) return skip()
    state.write(STATE_KEY, wanted)
    return undefined
  },
  filter(state, pod: Obj, node): Status {
    const wanted = state.read<string[]>(STATE_KEY) ?? hostPorts(pod)
    return fitsPorts(wanted, node) ? success() : unschedulable(ERR_REASON_PORTS)
  },
}
