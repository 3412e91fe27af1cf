// Pods the scheduler has not placed, each with its "why": the last attempt's
// message (as in the FailedScheduling event) and, node by node, the filter
// that rejected it, from the SchedulingDecision objects (sim.wheelhouse.dev).
import type { LiveFeed } from '../live'
import { peerStyle, PeerTags, peersOn } from './people'

type Obj = Record<string, any>

export function pendingPods(pods: Iterable<Obj>): Obj[] {
  return [...pods]
    .filter((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && (p.status?.phase ?? 'Pending') === 'Pending')
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))
}

/** The last attempt of the decision about this pod, if any. */
export function lastAttempt(decisions: Iterable<Obj>, pod: Obj): Obj | undefined {
  for (const d of decisions) if (d.spec?.podUID === pod.metadata.uid) return d.status?.attempts?.at(-1)
  return undefined
}

export function PendingView({ feed }: { feed: LiveFeed }) {
  const pending = pendingPods(feed.stores.pods.values())
  if (pending.length === 0) return null
  const decisions = [...feed.stores.schedulingdecisions.values()]
  return (
    <section class="panel pending" aria-labelledby="pending-h">
      <h2 id="pending-h">
        Pending <span class="count">{pending.length}</span>
      </h2>
      <ul class="pending-list">
        {pending.map((p) => {
          const { name, namespace } = p.metadata
          const a = lastAttempt(decisions, p)
          const peers = peersOn(feed, 'Pod', name, namespace)
          const rejected: Obj[] = a?.rejected ?? []
          return (
            <li
              key={p.metadata.uid}
              class={`pending-pod${peers.length ? ' peer-focus' : ''}`}
              style={peerStyle(peers)}
              tabindex={0}
              data-focus-kind="Pod"
              data-focus-name={name}
              data-focus-ns={namespace}
              data-pending={name}
            >
              <div class="pending-head">
                <strong>{name}</strong> <span class="muted">{namespace}</span>
                <PeerTags peers={peers} />
              </div>
              <p class="why">{a?.message || (a ? `${a.result}` : 'waiting for the scheduler…')}</p>
              {rejected.length > 0 && (
                <table class="why-nodes">
                  <caption class="sr-only">Why each node was rejected</caption>
                  <thead>
                    <tr>
                      <th scope="col">Node</th>
                      <th scope="col">Filter</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rejected.map((r) => (
                      <tr key={r.node}>
                        <td>{r.node}</td>
                        <td>{r.plugin}</td>
                        <td>{(r.reasons ?? []).join('; ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {a && a.nodes !== undefined && (
                <p class="muted small">
                  {a.feasible ?? 0} of {a.nodes} nodes feasible
                  {a.evaluated !== undefined && a.evaluated !== a.nodes ? ` (${a.evaluated} evaluated)` : ''}
                </p>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
