// Chaos and clock controls. Each is an API write like any client's, so RBAC
// will govern who may use them: a node fault is the Node annotation
// sim.wheelhouse.dev/fault (merge patch), a broken Deployment a new image,
// the clock the Clock object clocks.sim.wheelhouse.dev/cluster (spec.speed,
// spec.paused). Results and errors read as kubectl prints them. A control the
// person's role does not allow is disabled, its tooltip saying what is missing.
import { useEffect, useRef, useState } from 'hono/jsx/dom'
import { type Api, ApiError, call, jsonPatch, mergePatch, objectPath } from './api'
import type { LiveFeed } from './live'
import { type Check, notAllowed, useCan } from './permissions'
import { podState } from './pod-state'
import { FAULT_ANNOTATION, summarizeNode } from './views/nodes'

type Obj = Record<string, any>

const CLOCK_PATH = '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster'
export const SPEEDS = [1, 10, 60] as const
const SIM = 'sim.wheelhouse.dev'
const CLOCK_PATCH: Check = { verb: 'patch', group: SIM, resource: 'clocks', name: 'cluster' }
const CLOCK_STEP: Check = { verb: 'create', group: SIM, resource: 'clocks', subresource: 'step', name: 'cluster' }
const NODE_PATCH: Check = { verb: 'patch', resource: 'nodes' }

/** An image that does not exist, and back: "nginx:1.27" ⇄ "nginx:1.27-broken". */
export function breakImage(image: string): string {
  const lastSlash = image.lastIndexOf('/')
  const hasTag = image.indexOf(':', lastSlash + 1) !== -1
  return hasTag ? `${image}-broken` : `${image}:broken`
}
export function fixImage(image: string): string | undefined {
  if (image.endsWith(':broken')) return image.slice(0, -':broken'.length)
  if (image.endsWith('-broken')) return image.slice(0, -'-broken'.length)
  return undefined
}

function useResult(): [string, boolean, (p: () => Promise<string>) => Promise<void>] {
  const [text, setText] = useState('')
  const [error, setError] = useState(false)
  const run = async (p: () => Promise<string>) => {
    try {
      setText(await p())
      setError(false)
    } catch (e) {
      setText(e instanceof ApiError ? e.message : `error: ${(e as Error).message}`)
      setError(true)
    }
  }
  return [text, error, run]
}

export function ClockControls({ feed, api }: { feed: LiveFeed; api: Api }) {
  const clock = [...feed.stores.clocks.values()].find((c) => c.metadata?.name === 'cluster')
  const speed: number = clock?.spec?.speed ?? 1
  const paused = !!clock?.spec?.paused
  const [anchor, setAnchor] = useState<{ sim: number; wall: number } | undefined>(undefined)
  const [, setTick] = useState(0)
  const [message, error, run] = useResult()
  const rv = clock?.metadata?.resourceVersion
  // The simulated now is computed when the Clock is read; anchor on it at each change of pace.
  const anchoredAt = useRef<string | undefined>(undefined)
  useEffect(() => {
    if (!rv || anchoredAt.current === rv) return
    anchoredAt.current = rv
    if (clock?.status?.now) setAnchor({ sim: Date.parse(clock.status.now), wall: Date.now() })
    else
      call(api, 'GET', CLOCK_PATH)
        .then((c) => c.status?.now && setAnchor({ sim: Date.parse(c.status.now), wall: Date.now() }))
        .catch(() => {})
  }, [rv])
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 1000)
    return () => clearInterval(t)
  }, [])
  const simNow = anchor ? anchor.sim + (paused ? 0 : (Date.now() - anchor.wall) * speed) : undefined
  const patch = (spec: Obj) => run(async () => (await mergePatch(api, CLOCK_PATH, { spec }), 'clock.sim.wheelhouse.dev/cluster patched'))
  const allowed = useCan(api, { patch: CLOCK_PATCH, step: CLOCK_STEP })
  const lock = (k: 'patch' | 'step') => (allowed[k] === false ? { disabled: true, title: notAllowed(k === 'patch' ? CLOCK_PATCH : CLOCK_STEP) } : {})
  return (
    <div class="clock" role="group" aria-label="Simulated clock">
      <span class="clock-now" title="Simulated time (UTC)" data-testid="sim-time">
        {simNow ? new Date(simNow).toISOString().slice(11, 19) : '--:--:--'}
        {paused && <span class="paused"> paused</span>}
      </span>
      {SPEEDS.map((s) => (
        <button type="button" key={s} class="seg" aria-pressed={String(speed === s)} onClick={() => patch({ speed: s })} title={`${s} simulated seconds per second`} {...lock('patch')}>
          {s}×
        </button>
      ))}
      <button type="button" class="seg" aria-pressed={String(paused)} onClick={() => patch({ paused: !paused })} {...lock('patch')}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        class="seg"
        title="Jump simulated time one minute ahead (clocks/step)"
        {...lock('step')}
        onClick={() => run(async () => (await call(api, 'POST', `${CLOCK_PATH}/step`, { apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'ClockStep', seconds: 60 }), 'clock.sim.wheelhouse.dev/cluster stepped 60s'))}
      >
        +1m
      </button>
      {error && (
        <span class="error" role="alert">
          {message}
        </span>
      )}
    </div>
  )
}

export function ChaosPanel({ feed, api, selectedPod }: { feed: LiveFeed; api: Api; selectedPod?: Obj }) {
  const [message, error, run] = useResult()
  const nodes = [...feed.stores.nodes.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name, undefined, { numeric: true }))
  const pods = [...feed.stores.pods.values()].filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => key(a).localeCompare(key(b)))
  const deployments = [...feed.stores.deployments.values()].sort((a, b) => key(a).localeCompare(key(b)))
  const [pod, setPod] = useState('')
  const [deploy, setDeploy] = useState('')
  useEffect(() => {
    if (selectedPod) setPod(key(selectedPod))
  }, [selectedPod?.metadata?.uid])
  const chosenPod = pods.find((x) => key(x) === pod)
  const chosenDeploy = deployments.find((x) => key(x) === (deploy || key(deployments[0] ?? {})))
  const podDelete: Check | undefined = chosenPod && { verb: 'delete', resource: 'pods', namespace: chosenPod.metadata.namespace }
  const deployPatch: Check | undefined = chosenDeploy && { verb: 'patch', group: 'apps', resource: 'deployments', namespace: chosenDeploy.metadata.namespace }
  const allowed = useCan(api, { node: NODE_PATCH, pod: podDelete, deploy: deployPatch })
  const nodeLock = allowed.node === false ? { title: notAllowed(NODE_PATCH) } : {}

  const fault = (node: string, value: string | null) =>
    run(async () => {
      await mergePatch(api, objectPath('v1', 'nodes', node), { metadata: { annotations: { [FAULT_ANNOTATION]: value } } })
      return `node/${node} patched`
    })
  const deletePod = () =>
    run(async () => {
      const p = pods.find((x) => key(x) === pod)
      if (!p) throw new Error('choose a pod first')
      await call(api, 'DELETE', objectPath('v1', 'pods', p.metadata.name, p.metadata.namespace))
      return `pod "${p.metadata.name}" deleted`
    })
  const setImages = (how: 'break' | 'fix') =>
    run(async () => {
      const d = deployments.find((x) => key(x) === (deploy || key(deployments[0] ?? {})))
      if (!d) throw new Error('choose a deployment first')
      const containers: Obj[] = d.spec?.template?.spec?.containers ?? []
      const ops = containers.flatMap((c, i) => {
        const image = how === 'break' ? (fixImage(c.image) ? undefined : breakImage(c.image)) : fixImage(c.image)
        return image ? [{ op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: image }] : []
      })
      if (!ops.length) return `deployment.apps/${d.metadata.name} ${how === 'break' ? 'is already broken' : 'has no broken image'}`
      await jsonPatch(api, objectPath('apps/v1', 'deployments', d.metadata.name, d.metadata.namespace), ops)
      return `deployment.apps/${d.metadata.name} image updated`
    })

  return (
    <div class="chaos">
      <section aria-labelledby="chaos-nodes-h">
        <h3 id="chaos-nodes-h">Nodes</h3>
        <ul class="chaos-nodes">
          {nodes.map((n) => {
            const s = summarizeNode(n)
            const name = n.metadata.name
            return (
              <li key={n.metadata.uid} data-chaos-node={name}>
                <span class="chaos-node-name">{name}</span>
                <span class={`badge tone-${s.fault ? 'bad' : s.tone}`}>{s.fault === 'poweroff' ? 'powered off' : s.fault === 'partition' ? 'partitioned' : (s.fault ?? s.label)}</span>
                <button type="button" onClick={() => fault(name, 'poweroff')} disabled={s.fault === 'poweroff' || allowed.node === false} {...nodeLock} aria-label={`Power off ${name}`}>
                  Power off
                </button>
                <button type="button" onClick={() => fault(name, 'partition')} disabled={s.fault === 'partition' || allowed.node === false} {...nodeLock} aria-label={`Partition ${name}`}>
                  Partition
                </button>
                <button type="button" onClick={() => fault(name, null)} disabled={!s.fault || allowed.node === false} {...nodeLock} aria-label={`Restore ${name}`}>
                  Restore
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      <section aria-labelledby="chaos-pods-h">
        <h3 id="chaos-pods-h">Pods</h3>
        <div class="row">
          <label class="sr-only" for="chaos-pod">
            Pod
          </label>
          <select id="chaos-pod" value={pod} onChange={(e: Event) => setPod((e.target as HTMLSelectElement).value)}>
            <option value="">choose a pod…</option>
            {pods.map((p) => (
              <option key={p.metadata.uid} value={key(p)}>
                {key(p)} ({podState(p).label})
              </option>
            ))}
          </select>
          <button type="button" onClick={deletePod} disabled={!pod || allowed.pod === false} title={allowed.pod === false && podDelete ? notAllowed(podDelete) : undefined}>
            Delete pod
          </button>
        </div>
      </section>
      <section aria-labelledby="chaos-deploy-h">
        <h3 id="chaos-deploy-h">Deployments</h3>
        <div class="row">
          <label class="sr-only" for="chaos-deploy">
            Deployment
          </label>
          <select id="chaos-deploy" value={deploy} onChange={(e: Event) => setDeploy((e.target as HTMLSelectElement).value)}>
            {deployments.map((d) => (
              <option key={d.metadata.uid} value={key(d)}>
                {key(d)} ({(d.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image).join(', ')})
              </option>
            ))}
          </select>
          <button type="button" onClick={() => setImages('break')} disabled={!deployments.length || allowed.deploy === false} title={allowed.deploy === false && deployPatch ? notAllowed(deployPatch) : undefined}>
            Break image
          </button>
          <button type="button" onClick={() => setImages('fix')} disabled={!deployments.length || allowed.deploy === false} title={allowed.deploy === false && deployPatch ? notAllowed(deployPatch) : undefined}>
            Fix image
          </button>
        </div>
      </section>
      <pre class={`result${error ? ' error' : ''}`} role="status" aria-live="polite">
        {message}
      </pre>
    </div>
  )
}

function key(o: Obj): string {
  return o.metadata ? `${o.metadata.namespace}/${o.metadata.name}` : ''
}
