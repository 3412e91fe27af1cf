// The cluster's simulated network as the API server's TrafficRun and
// DNSLookup see it: the store's view, the nodes' data plane, and errors
// turned into results the API answers with.
import type { Simulation, SimulationResult } from '../apiserver/handlers/simulation'
import type { Objects } from '../apiserver/objects'
import { nslookupOutput, resolve, type RecordType, searchList } from './dns'
import { type Dataplane, sendTraffic, TrafficError } from './traffic'
import { networkView } from './view'

export interface NetworkDeps {
  objects(): Objects
  dataplane: Dataplane
  /** Uniform in [0, 1): the load balancer's and the resolver's choices. */
  random(): number
}

export function clusterNetwork(deps: NetworkDeps): Simulation {
  return {
    async traffic(namespace, spec): Promise<SimulationResult> {
      try {
        const status = await sendTraffic(spec, namespace, networkView(deps.objects()), deps.dataplane, deps.random)
        return { ok: true, status }
      } catch (err) {
        if (err instanceof TrafficError) return { ok: false, code: err.code, reason: err.reason, message: err.message }
        throw err
      }
    },
    dns(namespace, spec): SimulationResult {
      const view = networkView(deps.objects())
      if (spec.from?.pod && !view.pod(namespace, spec.from.pod))
        return { ok: false, code: 404, reason: 'NotFound', message: `pods "${spec.from.pod}" not found` }
      const type: RecordType = spec.type ?? 'A'
      const a = resolve(view, spec.name, type, searchList(namespace))
      return { ok: true, status: { rcode: a.rcode, name: a.name, answers: a.answers, output: nslookupOutput(spec.name, a) } }
    },
  }
}
