import { beforeEach, describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import { deploymentController, syncDeployment } from './deployment'
import { POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY } from './deployment-util'
import {
  DEPLOYMENTS,
  PODS,
  REPLICASETS,
  keyOf,
  splitKey,
  type ControllerContext,
  type DeleteOptions,
  type KindRef,
  type ListOptions,
  type Obj,
} from './framework/types'
import { selectorMatches, type LabelSelector } from './label-selector'

/**
 * Like upstream's fake clientset: objects in Maps, resourceVersion
 * preconditions, status writes that keep the spec, and every write recorded
 * and routed through the controller's watches into a work queue.
 */
class FakeContext implements ControllerContext {
  now = Date.parse('2024-05-01T10:00:00Z')
  readonly store = new Map<KindRef, Map<string, Obj>>()
  readonly writes: { verb: string; kind: KindRef; name: string }[] = []
  readonly events: { type: string; reason: string; message: string }[] = []
  readonly requeues: { key: string; ms: number; at: number }[] = []
  readonly queue: string[] = []
  #rv = 1
  #uid = 1

  #map(kind: KindRef) {
    let m = this.store.get(kind)
    if (!m) this.store.set(kind, (m = new Map()))
    return m
  }
  #current: string | undefined
  #notify(kind: KindRef, obj: Obj, _old: Obj | undefined, deleted: boolean) {
    // As the manager does: no old object, and a sync's own writes don't requeue its key.
    for (const k of deploymentController.watches[kind]?.(obj, undefined, deleted) ?? [])
      if (k !== this.#current && !this.queue.includes(k)) this.queue.push(k)
  }
  get(kind: KindRef, namespace: string | undefined, name: string) {
    const o = this.#map(kind).get(`${namespace}/${name}`)
    return o && structuredClone(o)
  }
  list(kind: KindRef, opts: ListOptions = {}) {
    return [...this.#map(kind).values()]
      .filter((o) => !opts.namespace || o.metadata.namespace === opts.namespace)
      .filter(
        (o) =>
          !opts.labelSelector ||
          selectorMatches(opts.labelSelector as LabelSelector, o.metadata.labels),
      )
      .map((o) => structuredClone(o))
  }
  create(kind: KindRef, obj: Obj) {
    const m = this.#map(kind)
    if (m.has(keyOf(obj)))
      throw Object.assign(new Error(`"${obj.metadata.name}" already exists`), {
        status: { reason: 'AlreadyExists' },
      })
    const o = structuredClone(obj)
    Object.assign(o.metadata, {
      uid: `uid-${this.#uid++}`,
      creationTimestamp: rfc3339(this.now),
      resourceVersion: String(this.#rv++),
      generation: 1,
    })
    m.set(keyOf(o), o)
    this.writes.push({ verb: 'create', kind, name: o.metadata.name })
    this.#notify(kind, o, undefined, false)
    return structuredClone(o)
  }
  #replace(kind: KindRef, obj: Obj, verb: string, make: (cur: Obj) => Obj) {
    const cur = this.#map(kind).get(keyOf(obj))
    if (!cur) throw Object.assign(new Error('not found'), { status: { reason: 'NotFound' } })
    if (obj.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw Object.assign(new Error('conflict'), { status: { reason: 'Conflict' } })
    const next = make(cur)
    next.metadata.resourceVersion = String(this.#rv++)
    this.#map(kind).set(keyOf(next), next)
    this.writes.push({ verb, kind, name: next.metadata.name })
    this.#notify(kind, next, cur, false)
    return structuredClone(next)
  }
  update(kind: KindRef, obj: Obj) {
    return this.#replace(kind, obj, 'update', (cur) => {
      const next = structuredClone(obj)
      next.status = structuredClone(cur.status)
      const specChanged = JSON.stringify(next.spec) !== JSON.stringify(cur.spec)
      next.metadata.generation = (cur.metadata.generation ?? 1) + (specChanged ? 1 : 0)
      return next
    })
  }
  updateStatus(kind: KindRef, obj: Obj) {
    return this.#replace(kind, obj, 'updateStatus', (cur) => {
      // As the API server's status strategy: only status, labels and annotations move.
      const next = structuredClone(cur)
      next.status = structuredClone(obj.status)
      next.metadata.labels = structuredClone(obj.metadata.labels)
      next.metadata.annotations = structuredClone(obj.metadata.annotations)
      return next
    })
  }
  delete(kind: KindRef, namespace: string | undefined, name: string, _opts?: DeleteOptions) {
    const m = this.#map(kind)
    const cur = m.get(`${namespace}/${name}`)
    if (!cur) throw Object.assign(new Error('not found'), { status: { reason: 'NotFound' } })
    m.delete(`${namespace}/${name}`)
    this.writes.push({ verb: 'delete', kind, name })
    this.#notify(kind, cur, undefined, true)
  }
  event(_obj: Obj, type: 'Normal' | 'Warning', reason: string, message: string) {
    this.events.push({ type, reason, message })
  }
  requeueAfter(key: string, ms: number) {
    this.requeues.push({ key, ms, at: this.now })
  }

  /** Runs queued keys until the controller stops writing. */
  drain() {
    for (let i = 0; this.queue.length; i++) {
      if (i > 200) throw new Error(`no fixed point: ${this.queue.join(', ')}`)
      this.#current = this.queue.shift()!
      try {
        deploymentController.sync(this.#current, this)
      } finally {
        this.#current = undefined
      }
    }
  }
  /** A user's write of the Deployment (a kubectl apply/edit). */
  editDeployment(f: (d: Obj) => void) {
    const d = this.get(DEPLOYMENTS, 'default', 'web')!
    f(d)
    this.update(DEPLOYMENTS, d)
  }
  deployment() {
    return this.get(DEPLOYMENTS, 'default', 'web')!
  }
  replicaSets() {
    return this.list(REPLICASETS, { namespace: 'default' }).sort((a, b) =>
      a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp),
    )
  }
  /** The ReplicaSet whose pods run image. */
  rsFor(image: string) {
    return this.replicaSets().find((rs) => rs.spec.template.spec.containers[0].image === image)
  }
}

/**
 * A stand-in for the ReplicaSet controller and kubelets: pods follow each
 * ReplicaSet's spec at once; deleted ones go at once, new ones become
 * available on the next tick (or at once when instant), and never when stuck.
 */
function replicaSetTick(
  ctx: FakeContext,
  opts: { instant?: boolean; stuck?: (rs: Obj) => boolean } = {},
) {
  for (const rs of ctx.list(REPLICASETS)) {
    const want = rs.spec.replicas ?? 0
    const cur = rs.status?.replicas ?? 0
    let available = rs.status?.availableReplicas ?? 0
    // Scale-down removes unavailable pods first, as upstream's getPodsToDelete ranks them.
    if (cur > want) available = Math.min(available, want)
    else available = opts.instant ? want : cur
    if (opts.stuck?.(rs)) available = Math.min(rs.status?.availableReplicas ?? 0, want)
    const pods = ctx
      .list(PODS, { namespace: rs.metadata.namespace })
      .filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)
    for (const p of pods.slice(want)) ctx.delete(PODS, p.metadata.namespace, p.metadata.name)
    for (let i = pods.length; i < want; i++)
      ctx.create(PODS, {
        metadata: {
          name: `${rs.metadata.name}-${ctx.now}-${i}`,
          namespace: rs.metadata.namespace,
          labels: rs.spec.template.metadata.labels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid,
              controller: true,
            },
          ],
        },
        status: { phase: 'Running' },
      })
    const status = {
      replicas: want,
      readyReplicas: available,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    }
    if (JSON.stringify(status) !== JSON.stringify(rs.status))
      ctx.updateStatus(REPLICASETS, { ...rs, status })
  }
}

function newDeployment(ctx: FakeContext, spec: Record<string, any> = {}) {
  ctx.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: {} },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      },
      ...spec,
    },
  })
  ctx.drain()
}

/** Alternates controller syncs and ReplicaSet ticks, checking after each tick; returns the ticks taken. */
function runToCompletion(
  ctx: FakeContext,
  check: () => void = () => {},
  opts: { instant?: boolean } = {},
) {
  for (let tick = 1; tick <= 50; tick++) {
    ctx.drain()
    ctx.now += 1000
    replicaSetTick(ctx, opts)
    check()
    ctx.drain()
    const d = ctx.deployment()
    const progressing = d.status?.conditions?.find((c: Obj) => c.type === 'Progressing')
    if (
      progressing?.reason === 'NewReplicaSetAvailable' &&
      d.status.updatedReplicas === d.spec.replicas &&
      d.status.replicas === d.spec.replicas
    )
      return tick
  }
  throw new Error('rollout did not complete')
}

const condition = (d: Obj, type: string) => d.status?.conditions?.find((c: Obj) => c.type === type)

let ctx: FakeContext
beforeEach(() => {
  ctx = new FakeContext()
})

describe('a first rollout', () => {
  it('creates web-<hash> with the hash label, owner and annotations, then reports completion', () => {
    newDeployment(ctx)
    const [rs] = ctx.replicaSets()
    const hash = rs!.metadata.labels[POD_TEMPLATE_HASH]
    expect(rs!.metadata.name).toBe(`web-${hash}`)
    expect(rs!.spec.replicas).toBe(10)
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash })
    expect(rs!.spec.template.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash })
    expect(rs!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: ctx.deployment().metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    expect(rs!.metadata.annotations).toEqual({
      [REVISION]: '1',
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    })
    expect(ctx.events).toEqual([
      {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set web-${hash} from 0 to 10`,
      },
    ])
    let d = ctx.deployment()
    expect(d.metadata.annotations[REVISION]).toBe('1')
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "web-${hash}"`,
    })
    expect(condition(d, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    })

    runToCompletion(ctx, undefined, { instant: true })
    d = ctx.deployment()
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 10,
      updatedReplicas: 10,
      readyReplicas: 10,
      availableReplicas: 10,
    })
    expect(d.status.unavailableReplicas).toBeUndefined()
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    })
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    })
  })

  it('refuses an empty selector with SelectingAll', () => {
    newDeployment(ctx, { selector: {} })
    expect(ctx.replicaSets()).toEqual([])
    expect(ctx.events).toContainEqual({
      type: 'Warning',
      reason: 'SelectingAll',
      message: 'This deployment is selecting all pods. A non-empty selector is required.',
    })
    expect(ctx.deployment().status.observedGeneration).toBe(1)
  })
})

describe('rolling update from nginx:1.25 to nginx:1.26 (10 replicas, 25%/25%)', () => {
  for (const instant of [true, false])
    it(`stays within 8 available and 13 pods at every step (${instant ? 'instant' : 'one tick late'} availability)`, () => {
      newDeployment(ctx)
      runToCompletion(ctx, undefined, { instant: true })
      ctx.events.length = 0
      ctx.editDeployment((d) => {
        d.spec.template.spec.containers[0].image = 'nginx:1.26'
        d.metadata.annotations['kubernetes.io/change-cause'] =
          'kubectl set image deployment/web nginx=nginx:1.26'
      })
      const seen: [number, number][] = []
      const ticks = runToCompletion(
        ctx,
        () => {
          const rss = ctx.replicaSets()
          const pods = rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0)
          const available = rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0)
          seen.push([pods, available])
          expect(pods).toBeLessThanOrEqual(13)
          expect(available).toBeGreaterThanOrEqual(8)
          expect(ctx.list(PODS).length).toBeLessThanOrEqual(13)
        },
        { instant },
      )
      expect(ticks).toBeGreaterThan(1)
      const oldRS = ctx.rsFor('nginx:1.25')!
      const newRS = ctx.rsFor('nginx:1.26')!
      expect(oldRS.spec.replicas).toBe(0)
      expect(newRS.spec.replicas).toBe(10)
      expect(newRS.metadata.annotations[REVISION]).toBe('2')
      expect(newRS.metadata.annotations['kubernetes.io/change-cause']).toBe(
        'kubectl set image deployment/web nginx=nginx:1.26',
      )
      expect(ctx.deployment().metadata.annotations[REVISION]).toBe('2')
      // Surge first, then old down by what availability allows.
      expect(ctx.events.slice(0, 2).map((e) => e.message)).toEqual([
        `Scaled up replica set ${newRS.metadata.name} from 0 to 3`,
        `Scaled down replica set ${oldRS.metadata.name} from 10 to 8`,
      ])
      expect(ctx.events.every((e) => e.reason === 'ScalingReplicaSet' && e.type === 'Normal')).toBe(
        true,
      )
    })

  it('undo writes the old template back: the old ReplicaSet is reused with the next revision', () => {
    newDeployment(ctx)
    runToCompletion(ctx, undefined, { instant: true })
    ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26'))
    runToCompletion(ctx, undefined, { instant: true })
    const first = ctx.rsFor('nginx:1.25')!
    // What kubectl rollout undo does: the RS's template, its hash label dropped.
    ctx.editDeployment((d) => {
      d.spec.template = structuredClone(first.spec.template)
      delete d.spec.template.metadata.labels[POD_TEMPLATE_HASH]
    })
    runToCompletion(ctx, undefined, { instant: true })
    expect(ctx.replicaSets()).toHaveLength(2)
    const reused = ctx.rsFor('nginx:1.25')!
    expect(reused.metadata.uid).toBe(first.metadata.uid)
    expect(reused.spec.replicas).toBe(10)
    expect(reused.metadata.annotations[REVISION]).toBe('3')
    expect(reused.metadata.annotations[REVISION_HISTORY]).toBe('1')
    expect(ctx.rsFor('nginx:1.26')!.spec.replicas).toBe(0)
    expect(ctx.deployment().metadata.annotations[REVISION]).toBe('3')
  })
})

describe('pause', () => {
  it('a paused Deployment does not roll, but scales; resuming rolls', () => {
    newDeployment(ctx)
    runToCompletion(ctx, undefined, { instant: true })
    ctx.editDeployment((d) => (d.spec.paused = true))
    ctx.drain()
    expect(condition(ctx.deployment(), 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    })
    ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26'))
    ctx.drain()
    replicaSetTick(ctx)
    ctx.drain()
    expect(ctx.replicaSets()).toHaveLength(1)
    ctx.editDeployment((d) => (d.spec.replicas = 12))
    ctx.drain()
    expect(ctx.replicaSets().map((rs) => rs.spec.replicas)).toEqual([12])
    expect(ctx.events.at(-1)?.message).toMatch(/^Scaled up replica set web-\w+ from 10 to 12$/)
    expect(ctx.deployment().status.observedGeneration).toBe(ctx.deployment().metadata.generation)

    ctx.editDeployment((d) => (d.spec.paused = false))
    ctx.drain()
    expect(ctx.rsFor('nginx:1.26')).toBeDefined()
    runToCompletion(ctx, undefined, { instant: true })
    expect(ctx.rsFor('nginx:1.26')!.spec.replicas).toBe(12)
  })
})

describe('proportional scaling mid-rollout', () => {
  it('shares the added replicas by size, leftovers to the largest', () => {
    newDeployment(ctx)
    runToCompletion(ctx, undefined, { instant: true })
    ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26'))
    ctx.drain()
    // Surge to 3 and old down to 8 in one sync; the next waits for the ReplicaSets to report.
    expect([
      ctx.rsFor('nginx:1.25')!.spec.replicas,
      ctx.rsFor('nginx:1.26')!.spec.replicas,
    ]).toEqual([8, 3])
    ctx.events.length = 0
    ctx.editDeployment((d) => (d.spec.replicas = 20))
    ctx.drain()
    const old = ctx.rsFor('nginx:1.25')!
    const cur = ctx.rsFor('nginx:1.26')!
    // 20 + 5 surge = 25 allowed, 14 to add: old 8·25/13 → 15 (+7), new 3·25/13 → 6 (+3),
    // and the 4 left over go to the largest.
    expect([old.spec.replicas, cur.spec.replicas]).toEqual([19, 6])
    expect(old.metadata.annotations['deployment.kubernetes.io/max-replicas']).toBe('25')
    expect(cur.metadata.annotations['deployment.kubernetes.io/desired-replicas']).toBe('20')
    expect(ctx.events.slice(0, 2).map((e) => e.message)).toEqual([
      `Scaled up replica set ${old.metadata.name} from 8 to 19`,
      `Scaled up replica set ${cur.metadata.name} from 3 to 6`,
    ])
    runToCompletion(ctx, undefined, { instant: true })
    expect(ctx.rsFor('nginx:1.26')!.spec.replicas).toBe(20)
  })
})

describe('progress deadline', () => {
  it('asks to be looked at when the deadline passes, then reports ProgressDeadlineExceeded', () => {
    newDeployment(ctx, { progressDeadlineSeconds: 60 })
    runToCompletion(ctx, undefined, { instant: true })
    ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26'))
    const stuck = (rs: Obj) => rs.spec.template.spec.containers[0].image === 'nginx:1.26'
    for (let i = 0; i < 3; i++) {
      ctx.drain()
      ctx.now += 1000
      replicaSetTick(ctx, { stuck })
    }
    ctx.drain()
    const name = ctx.rsFor('nginx:1.26')!.metadata.name
    const last = ctx.requeues.at(-1)!
    expect(last.key).toBe('default/web')
    const lastUpdate = Date.parse(condition(ctx.deployment(), 'Progressing').lastUpdateTime)
    expect(last.ms).toBe(lastUpdate + 60_000 - last.at + 1000)
    ctx.now = last.at + last.ms - 1000
    syncDeployment('default/web', ctx)
    // Not yet: the deadline is exclusive.
    expect(condition(ctx.deployment(), 'Progressing').reason).toBe('ReplicaSetUpdated')
    ctx.now = last.at + last.ms
    syncDeployment('default/web', ctx)
    expect(condition(ctx.deployment(), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${name}" has timed out progressing.`,
    })
  })
})

describe('history', () => {
  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest revision first', () => {
    newDeployment(ctx, { revisionHistoryLimit: 1 })
    runToCompletion(ctx, undefined, { instant: true })
    for (const image of ['nginx:1.26', 'nginx:1.27']) {
      ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = image))
      runToCompletion(ctx, undefined, { instant: true })
      ctx.drain()
    }
    expect(ctx.replicaSets().map((rs) => rs.spec.template.spec.containers[0].image)).toEqual([
      'nginx:1.26',
      'nginx:1.27',
    ])
    expect(ctx.writes).toContainEqual({
      verb: 'delete',
      kind: REPLICASETS,
      name: expect.any(String),
    })
  })
})

describe('Recreate', () => {
  it('scales old to 0, waits for its last pod to go, then creates the new ReplicaSet at full size', () => {
    newDeployment(ctx, { strategy: { type: 'Recreate' }, replicas: 3 })
    runToCompletion(ctx, undefined, { instant: true })
    const old = ctx.rsFor('nginx:1.25')!
    ctx.editDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26'))
    ctx.drain()
    expect(ctx.rsFor('nginx:1.25')!.spec.replicas).toBe(0)
    expect(ctx.rsFor('nginx:1.26')).toBeUndefined()
    // A pod of the old ReplicaSet still terminating after the ReplicaSet reports none.
    // (terminating pods aren't counted in status.replicas).
    const [lingering, ...rest] = ctx.list(PODS)
    for (const p of rest) ctx.delete(PODS, 'default', p.metadata.name)
    ctx.drain()
    const oldNow = ctx.rsFor('nginx:1.25')!
    ctx.updateStatus(REPLICASETS, {
      ...oldNow,
      status: { replicas: 0, observedGeneration: oldNow.metadata.generation },
    })
    ctx.drain()
    expect(ctx.rsFor('nginx:1.25')!.status.replicas).toBe(0)
    expect(ctx.rsFor('nginx:1.26')).toBeUndefined()
    // Its deletion wakes the Deployment through the "rs:" key.
    ctx.delete(PODS, 'default', lingering!.metadata.name)
    expect(ctx.queue).toEqual([`rs:default/${old.metadata.name}`])
    ctx.drain()
    expect(ctx.rsFor('nginx:1.26')!.spec.replicas).toBe(3)
    expect(ctx.events.at(-1)!.message).toBe(
      `Scaled up replica set ${ctx.rsFor('nginx:1.26')!.metadata.name} from 0 to 3`,
    )
  })
})

describe('watches', () => {
  const rs = (ref?: Record<string, any>): Obj => ({
    metadata: {
      name: 'web-abc',
      namespace: 'ns',
      labels: { app: 'web' },
      ...(ref ? { ownerReferences: [ref] } : {}),
    },
  })
  const owner = (name: string, uid: string) => ({ kind: 'Deployment', name, uid, controller: true })
  const pod = {
    metadata: {
      name: 'p',
      namespace: 'ns',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', uid: 'u', controller: true }],
    },
  }
  const cases: {
    name: string
    kind: KindRef
    obj: Obj
    old?: Obj
    deleted: boolean
    want: string[]
  }[] = [
    {
      name: 'a deployment: itself',
      kind: DEPLOYMENTS,
      obj: { metadata: { name: 'web', namespace: 'ns' } },
      deleted: false,
      want: ['ns/web'],
    },
    {
      name: 'an owned ReplicaSet: its Deployment',
      kind: REPLICASETS,
      obj: rs(owner('web', 'u1')),
      deleted: false,
      want: ['ns/web'],
    },
    {
      name: 'a deleted owned ReplicaSet',
      kind: REPLICASETS,
      obj: rs(owner('web', 'u1')),
      deleted: true,
      want: ['ns/web'],
    },
    {
      name: 'a change of owner: both',
      kind: REPLICASETS,
      obj: rs(owner('b', 'u2')),
      old: rs(owner('a', 'u1')),
      deleted: false,
      want: ['ns/b', 'ns/a'],
    },
    {
      name: 'released: the former owner and the adopters',
      kind: REPLICASETS,
      obj: rs(),
      old: rs(owner('a', 'u1')),
      deleted: false,
      want: ['ns/a', 'rs:ns/web-abc'],
    },
    {
      name: 'an orphan: resolved in sync',
      kind: REPLICASETS,
      obj: rs(),
      deleted: false,
      want: ['rs:ns/web-abc'],
    },
    {
      name: 'owned by something else',
      kind: REPLICASETS,
      obj: rs({ kind: 'Rollout', name: 'x', uid: 'r', controller: true }),
      deleted: false,
      want: [],
    },
    {
      name: 'a deleted pod: its ReplicaSet',
      kind: PODS,
      obj: pod,
      deleted: true,
      want: ['rs:ns/web-abc'],
    },
    { name: 'an updated pod: nothing', kind: PODS, obj: pod, old: pod, deleted: false, want: [] },
    {
      name: 'a deleted bare pod: nothing',
      kind: PODS,
      obj: { metadata: { name: 'p', namespace: 'ns' } },
      deleted: true,
      want: [],
    },
  ]
  for (const c of cases)
    it(c.name, () =>
      expect(deploymentController.watches[c.kind]!(c.obj, c.old, c.deleted)).toEqual(c.want),
    )

  it('an "rs:" key of an orphan syncs (and adopts for) the Deployments selecting it', () => {
    newDeployment(ctx, { replicas: 1 })
    const mine = ctx.replicaSets()[0]!
    ctx.create(REPLICASETS, {
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'old' }] },
        },
      },
    })
    expect(ctx.queue).toEqual(['rs:default/stray'])
    ctx.drain()
    const stray = ctx.get(REPLICASETS, 'default', 'stray')!
    expect(stray.metadata.ownerReferences[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    })
    expect(splitKey(keyOf(mine)).name).toBe(mine.metadata.name)
  })
})

describe('hash collisions', () => {
  it('a foreign ReplicaSet holding the name bumps collisionCount and the next try takes another name', () => {
    newDeployment(ctx, { replicas: 0 })
    const taken = ctx.replicaSets()[0]!
    ctx.delete(DEPLOYMENTS, 'default', 'web')
    ctx.drain()
    ctx.store.get(REPLICASETS)!.get(keyOf(taken))!.metadata.ownerReferences = []
    ctx.store.get(REPLICASETS)!.get(keyOf(taken))!.metadata.labels = { other: 'x' }
    ctx.store.get(REPLICASETS)!.get(keyOf(taken))!.spec.template.spec.containers[0].image = 'other'
    expect(() => newDeployment(ctx, { replicas: 0 })).toThrow(/already exists/)
    expect(ctx.deployment().status.collisionCount).toBe(1)
    ctx.drain()
    syncDeployment('default/web', ctx)
    const mine = ctx.replicaSets().filter((rs) => rs.metadata.name !== taken.metadata.name)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.metadata.name).not.toBe(taken.metadata.name)
  })
})
