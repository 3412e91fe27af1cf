// Nodes as cards: allocatable against what the pods on it request (CPU and
// memory bars), zone, taints, conditions, faults and cordons, and its pods as
// small chips, so an eviction can be watched leaving one card for another.
import type { LiveFeed } from '../live'
import { podState } from '../pod-state'
import { allocatable, formatCpu, formatMemory, requestedByNode, type Resources } from '../quantity'
import { peerStyle, PeerTags, peersOn } from './people'

type Obj = Record<string, any>

export const FAULT_ANNOTATION = 'sim.wheelhouse.dev/fault'
const ZONE = 'topology.kubernetes.io/zone'
const INSTANCE_TYPE = 'node.kubernetes.io/instance-type'
const POOL = 'sim.wheelhouse.dev/nodepool'

export interface NodeSummary {
  ready: 'True' | 'False' | 'Unknown'
  label: string
  tone: 'ok' | 'bad' | 'unknown' | 'warn'
  fault?: string
  cordoned: boolean
  /** Conditions that are not as they should be (pressure, network unavailable). */
  problems: string[]
}

export function summarizeNode(node: Obj): NodeSummary {
  const conditions: Obj[] = node.status?.conditions ?? []
  const readyCond = conditions.find((c) => c.type === 'Ready')
  const ready = (readyCond?.status ?? 'Unknown') as NodeSummary['ready']
  const cordoned = !!node.spec?.unschedulable
  const fault = node.metadata?.annotations?.[FAULT_ANNOTATION] || undefined
  const problems = conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type as string)
  // As kubectl get nodes: Ready only when the condition is True, Unknown only without one.
  let label = !readyCond ? 'Unknown' : ready === 'True' ? 'Ready' : 'NotReady'
  if (cordoned) label += ',SchedulingDisabled'
  const tone = ready === 'True' ? (cordoned || problems.length ? 'warn' : 'ok') : ready === 'False' ? 'bad' : 'unknown'
  return { ready, label, tone, fault, cordoned, problems }
}

export function NodesView({ feed, onPod }: { feed: LiveFeed; onPod?: (pod: Obj) => void }) {
  const nodes = [...feed.stores.nodes.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name, undefined, { numeric: true }))
  const pods = [...feed.stores.pods.values()]
  const requested = requestedByNode(pods)
  const podsByNode = new Map<string, Obj[]>()
  for (const p of pods) {
    const n = p.spec?.nodeName
    if (!n) continue
    if (!podsByNode.has(n)) podsByNode.set(n, [])
    podsByNode.get(n)!.push(p)
  }
  return (
    <section class="panel nodes" aria-labelledby="nodes-h">
      <h2 id="nodes-h">
        Nodes <span class="count">{nodes.length}</span>
      </h2>
      {!feed.synced.has('nodes') && <p class="muted">Loading nodes…</p>}
      {feed.synced.has('nodes') && nodes.length === 0 && <p class="muted">No nodes.</p>}
      <div class="node-grid">
        {nodes.map((n) => (
          <NodeCard key={n.metadata.uid} feed={feed} node={n} requested={requested.get(n.metadata.name) ?? { cpu: 0, memory: 0 }} pods={podsByNode.get(n.metadata.name) ?? []} onPod={onPod} />
        ))}
      </div>
    </section>
  )
}

function NodeCard({ feed, node, requested, pods, onPod }: { feed: LiveFeed; node: Obj; requested: Resources; pods: Obj[]; onPod?: (pod: Obj) => void }) {
  const name: string = node.metadata.name
  const s = summarizeNode(node)
  const alloc = allocatable(node)
  const labels: Record<string, string> = node.metadata.labels ?? {}
  const zone = labels[ZONE]
  const taints: Obj[] = node.spec?.taints ?? []
  const peers = peersOn(feed, 'Node', name)
  const by = feed.faultBy.get(name)
  pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
  return (
    <article
      class={`node-card tone-${s.tone}${s.fault ? ' faulted' : ''}${peers.length ? ' peer-focus' : ''}`}
      style={peerStyle(peers)}
      tabindex={0}
      data-focus-kind="Node"
      data-focus-name={name}
      data-node={name}
      data-ready={s.ready}
      aria-label={`Node ${name}: ${s.label}${s.fault ? `, ${s.fault}` : ''}`}
    >
      <header>
        <h3>{name}</h3>
        <span class={`badge tone-${s.tone}`} data-testid="node-status">
          {s.label}
        </span>
        <PeerTags peers={peers} />
      </header>
      <p class="node-meta">
        {zone && <span title="topology.kubernetes.io/zone">{zone}</span>}
        {labels[INSTANCE_TYPE] && <span title={INSTANCE_TYPE}>{labels[INSTANCE_TYPE]}</span>}
        {labels[POOL] && <span title={POOL}>pool {labels[POOL]}</span>}
        {node.spec?.podCIDR && <span title="Pod CIDR">{node.spec.podCIDR}</span>}
        {s.fault && (
          <span class="fault" title={`sim.wheelhouse.dev/fault=${s.fault}${feed.isPerson(by) ? ` (by ${by})` : ''}`}>
            {s.fault === 'poweroff' ? 'powered off' : s.fault === 'partition' ? 'partitioned' : s.fault}
            {feed.isPerson(by) && <span class="by"> by {by}</span>}
          </span>
        )}
      </p>
      <Bar label="CPU" used={requested.cpu} total={alloc.cpu} format={formatCpu} />
      <Bar label="Memory" used={requested.memory} total={alloc.memory} format={formatMemory} />
      {(taints.length > 0 || s.problems.length > 0) && (
        <ul class="taints" aria-label="Taints and conditions">
          {taints.map((t) => (
            <li key={`${t.key}:${t.effect}`} class="taint" title="taint">
              {t.key}
              {t.value ? `=${t.value}` : ''}:{t.effect}
            </li>
          ))}
          {s.problems.map((p) => (
            <li key={p} class="condition" title="condition">
              {p}
            </li>
          ))}
        </ul>
      )}
      <ul class="node-pods" aria-label={`Pods on ${name}`}>
        {pods.map((p) => {
          const st = podState(p)
          return (
            <li key={p.metadata.uid}>
              <button
                type="button"
                class={`dot tone-${st.tone}`}
                data-focus-kind="Pod"
                data-focus-name={p.metadata.name}
                data-focus-ns={p.metadata.namespace}
                data-pod={p.metadata.name}
                data-state={st.label}
                title={`${p.metadata.namespace}/${p.metadata.name}: ${st.label}${st.restarts ? `, ${st.restarts} restarts` : ''}`}
                aria-label={`Pod ${p.metadata.name}: ${st.label}`}
                onClick={() => onPod?.(p)}
              />
            </li>
          )
        })}
      </ul>
    </article>
  )
}

function Bar({ label, used, total, format }: { label: string; used: number; total: number; format: (n: number) => string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0
  const over = total > 0 && used > total
  return (
    <div class="bar" role="meter" aria-label={`${label} requested`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={used}>
      <span class="bar-label">{label}</span>
      <span class="bar-track">
        <span class={`bar-fill${pct > 90 || over ? ' high' : pct > 70 ? ' mid' : ''}`} style={`width:${pct.toFixed(1)}%`} />
      </span>
      <span class="bar-value">
        {format(used)} / {format(total)}
      </span>
    </div>
  )
}
