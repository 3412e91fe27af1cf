// Runs the browser kubectl against a fake cluster and returns what it printed.
// Times print in local time as kubectl does: pin the zone so expectations hold anywhere.
;(globalThis as { process?: { env: Record<string, string> } }).process!.env.TZ = 'UTC'
import { kubectl } from '../../../web/src/kubectl/index'
import { type FakeCluster, harness } from './fake-cluster'
import { demoCluster } from './fixtures'

export interface Golden {
  line: string
  code: number
  out: string
  err: string
  stdin?: string
}

export async function run(line: string, cluster: FakeCluster = demoCluster(), opts: { stdin?: string; signal?: AbortSignal; namespace?: string } = {}) {
  const h = harness(cluster, opts.namespace)
  const code = await kubectl(line, h.env, h.io, { stdin: opts.stdin, signal: opts.signal })
  return { code, out: h.out(), err: h.err(), cluster }
}
