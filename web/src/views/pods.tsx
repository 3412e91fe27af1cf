// Pods as chips coloured by state (kubectl's STATUS column), with ready counts
// and restarts, grouped by namespace and then by owner (Deployment, StatefulSet,
// Job…, or none).
import type { LiveFeed } from '../live'
import { podOwner, podState } from '../pod-state'
import { peerStyle, PeerTags, peersOn } from './people'

type Obj = Record<string, any>

interface Group {
  namespace: string
  owners: Map<string, { kind: string; name: string; pods: Obj[] }>
}

export function groupPods(pods: Iterable<Obj>): Group[] {
  const byNs = new Map<string, Group>()
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? 'default'
    let g = byNs.get(ns)
    if (!g) byNs.set(ns, (g = { namespace: ns, owners: new Map() }))
    const o = podOwner(p)
    const key = `${o.kind}/${o.name}`
    let og = g.owners.get(key)
    if (!og) g.owners.set(key, (og = { ...o, pods: [] }))
    og.pods.push(p)
  }
  // Workloads first, system namespaces last.
  const rank = (ns: string) => (ns.startsWith('kube-') ? 1 : 0)
  return [...byNs.values()].sort((a, b) => rank(a.namespace) - rank(b.namespace) || a.namespace.localeCompare(b.namespace))
}

export function PodsView({ feed, onPod }: { feed: LiveFeed; onPod?: (pod: Obj) => void }) {
  const groups = groupPods(feed.stores.pods.values())
  const total = feed.stores.pods.size
  return (
    <section class="panel pods" aria-labelledby="pods-h">
      <h2 id="pods-h">
        Pods <span class="count">{total}</span>
      </h2>
      {feed.synced.has('pods') && total === 0 && <p class="muted">No pods yet. Try the terminal: kubectl create deployment web --image=nginx --replicas=3</p>}
      {groups.map((g) => (
        <details key={g.namespace} class="ns-group" open={!g.namespace.startsWith('kube-')}>
          <summary>
            <span class="ns">{g.namespace}</span> <span class="count">{[...g.owners.values()].reduce((n, o) => n + o.pods.length, 0)}</span>
          </summary>
          {[...g.owners.values()]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((o) => (
              <div key={`${o.kind}/${o.name}`} class="owner-group" data-owner={`${o.kind}/${o.name}`}>
                <h3 class="owner">
                  <span class="owner-kind">{o.kind}</span> {o.name}
                  <OwnerBy feed={feed} kind={o.kind} name={o.name} namespace={g.namespace} />
                </h3>
                <ul class="chips">
                  {o.pods
                    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
                    .map((p) => (
                      <PodChip key={p.metadata.uid} feed={feed} pod={p} prefix={o.kind === 'Pod' ? '' : o.name} onPod={onPod} />
                    ))}
                </ul>
              </div>
            ))}
        </details>
      ))}
    </section>
  )
}

/** "changed by Ada" on a Deployment a person changed last (scaled, new image…). */
function OwnerBy({ feed, kind, name, namespace }: { feed: LiveFeed; kind: string; name: string; namespace: string }) {
  if (kind !== 'Deployment') return null
  const d = [...feed.stores.deployments.values()].find((x) => x.metadata.name === name && x.metadata.namespace === namespace)
  const by = d && feed.by.get(d.metadata.uid)
  if (!by || !feed.isPerson(by)) return null
  const color = feed.people.find((p) => p.name === by)?.color
  return (
    <span class="owner-by" style={color ? `--who:${color}` : undefined}>
      {' '}
      · {d.spec?.replicas ?? 1} wanted, last changed by <strong>{by}</strong>
    </span>
  )
}

function PodChip({ feed, pod, prefix, onPod }: { feed: LiveFeed; pod: Obj; prefix: string; onPod?: (pod: Obj) => void }) {
  const st = podState(pod)
  const name: string = pod.metadata.name
  const ns: string = pod.metadata.namespace
  // The pod's own part of its name: "web-7d4b9c-x2k4p" under Deployment web shows "7d4b9c-x2k4p".
  const short = prefix && name.startsWith(`${prefix}-`) ? name.slice(prefix.length + 1) : name
  const peers = peersOn(feed, 'Pod', name, ns)
  const by = feed.by.get(pod.metadata.uid)
  const node = pod.spec?.nodeName
  return (
    <li>
      <button
        type="button"
        class={`chip tone-${st.tone}${peers.length ? ' peer-focus' : ''}`}
        style={peerStyle(peers)}
        data-focus-kind="Pod"
        data-focus-name={name}
        data-focus-ns={ns}
        data-pod={name}
        data-state={st.label}
        title={`${ns}/${name}\n${st.label}, ready ${st.ready}/${st.total}, ${st.restarts} restarts${node ? `\non ${node}` : ''}${pod.status?.podIP ? ` (${pod.status.podIP})` : ''}${by ? `\nlast change by ${by}` : ''}`}
        onClick={() => onPod?.(pod)}
      >
        <span class="chip-name">{short}</span>
        <span class="chip-state">{st.label}</span>
        {st.total > 1 && (
          <span class="chip-ready" title="ready containers">
            {st.ready}/{st.total}
          </span>
        )}
        {st.restarts > 0 && (
          <span class="chip-restarts" title={`${st.restarts} restarts`}>
            ↻{st.restarts}
          </span>
        )}
        {node && <span class="chip-node">{node}</span>}
        <PeerTags peers={peers} />
      </button>
    </li>
  )
}
