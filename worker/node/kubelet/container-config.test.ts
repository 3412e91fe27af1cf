// A container's environment and files, as the kubelet resolves them, with
// upstream's messages for what is missing.
import { describe, expect, it } from 'vitest'
import {
  type ConfigLookup,
  expandVars,
  mountVolumes,
  podConfigReads,
  resolveContainerConfig,
} from './container-config'

type Obj = Record<string, any>
const facts = {
  nodeName: 'worker-1',
  hostIP: '172.18.0.3',
  podIP: '10.244.1.7',
  allocatable: { cpu: 4, memory: 16 * 2 ** 30 },
}
const b64 = (s: string) => btoa(s)

const objects: Record<string, Obj> = {
  'configmaps/default/app': { data: { mode: 'fast', 'app.conf': 'listen 80;' } },
  'secrets/default/creds': { data: { password: b64('hunter2'), user: b64('admin') } },
}
const lookup: ConfigLookup = (res, ns, name) => objects[`${res}/${ns}/${name}`] ?? null

function pod(container: Obj, extra: Obj = {}): Obj {
  return {
    metadata: { name: 'web-1', namespace: 'default', uid: 'u-1', labels: { app: 'web' } },
    spec: {
      serviceAccountName: 'builder',
      containers: [{ name: 'c', image: 'busybox', ...container }],
      ...extra,
    },
  }
}

describe('resolveContainerConfig', () => {
  it.each([
    {
      name: 'a plain value with $(VAR) expansion',
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: '$(A)-y' },
      ],
      want: { A: 'x', B: 'x-y' },
    },
    {
      name: 'configMapKeyRef',
      env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }],
      want: { MODE: 'fast' },
    },
    {
      name: 'secretKeyRef, decoded',
      env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
      want: { PW: 'hunter2' },
    },
    {
      name: 'fieldRef for name, namespace, podIP, nodeName, serviceAccountName, a label',
      env: [
        { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
      want: {
        N: 'web-1',
        NS: 'default',
        IP: '10.244.1.7',
        NODE: 'worker-1',
        SA: 'builder',
        APP: 'web',
      },
    },
    {
      name: 'resourceFieldRef: the limit, or node allocatable without one',
      resources: { limits: { memory: '128Mi' } },
      env: [
        {
          name: 'MEM',
          valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
        },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
      want: { MEM: '128', CPU: '4' },
    },
  ])('env: $name', ({ env, want, resources }) => {
    const r = resolveContainerConfig(
      pod({ env, resources }),
      { name: 'c', env, resources },
      lookup,
      facts,
    )
    expect(r.ok).toBe(true)
    if (r.ok === true) expect(r.env).toMatchObject(want)
  })

  it('envFrom with a prefix', () => {
    const c = {
      name: 'c',
      envFrom: [
        { configMapRef: { name: 'app' }, prefix: 'APP_' },
        { secretRef: { name: 'creds' } },
      ],
    }
    const r = resolveContainerConfig(pod(c), c, lookup, facts)
    expect(r).toMatchObject({
      ok: true,
      env: { APP_mode: 'fast', password: 'hunter2', user: 'admin' },
    })
  })

  it.each([
    {
      name: 'missing ConfigMap',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
      want: 'configmap "nope" not found',
    },
    {
      name: 'missing Secret',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }],
      want: 'secret "nope" not found',
    },
    {
      name: 'missing key',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'k' } } }],
      want: "couldn't find key k in ConfigMap default/app",
    },
    {
      name: 'missing secret key',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }],
      want: "couldn't find key k in Secret default/creds",
    },
  ])('CreateContainerConfigError: $name', ({ env, want }) => {
    const c = { name: 'c', env }
    expect(resolveContainerConfig(pod(c), c, lookup, facts)).toEqual({
      ok: false,
      mount: false,
      message: want,
    })
  })

  it('skips what is optional and absent', () => {
    const c = {
      name: 'c',
      env: [
        { name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
      ],
      envFrom: [{ secretRef: { name: 'gone', optional: true } }],
    }
    expect(resolveContainerConfig(pod(c), c, lookup, facts).ok).toBe(true)
  })

  it('asks to fetch what it has not seen yet', () => {
    const c = {
      name: 'c',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }],
    }
    expect(resolveContainerConfig(pod(c), c, () => undefined, facts)).toEqual({
      ok: 'fetch',
      reads: [{ resource: 'configmaps', namespace: 'default', name: 'app' }],
    })
  })

  it('mounts configMap, secret, projected and downwardAPI volumes at their paths, and the service account', () => {
    const c = {
      name: 'c',
      volumeMounts: [
        { name: 'cfg', mountPath: '/etc/config' },
        { name: 'sec', mountPath: '/etc/secret/' },
        { name: 'one', mountPath: '/etc/nginx/nginx.conf', subPath: 'app.conf' },
        { name: 'all', mountPath: '/etc/all' },
        { name: 'scratch', mountPath: '/tmp/scratch' },
      ],
    }
    const p = pod(c, {
      volumes: [
        { name: 'cfg', configMap: { name: 'app', items: [{ key: 'mode', path: 'mode.txt' }] } },
        { name: 'sec', secret: { secretName: 'creds' } },
        { name: 'one', configMap: { name: 'app' } },
        {
          name: 'all',
          projected: {
            sources: [
              { configMap: { name: 'app' } },
              {
                downwardAPI: {
                  items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }],
                },
              },
            ],
          },
        },
        { name: 'scratch', emptyDir: {} },
      ],
    })
    const r = resolveContainerConfig(p, c, lookup, facts)
    if (r.ok !== true) throw new Error(JSON.stringify(r))
    expect(r.files).toMatchObject({
      '/etc/config/mode.txt': 'fast',
      '/etc/secret/password': 'hunter2',
      '/etc/nginx/nginx.conf': 'listen 80;',
      '/etc/all/mode': 'fast',
      '/etc/all/labels': 'app="web"',
    })
    // Without the admission plugin's kube-api-access volume, no token is written.
    expect(Object.keys(r.files).some((f) => f.startsWith('/var/run/secrets/'))).toBe(false)
  })

  it('mounts the kube-api-access projected volume: token, ca.crt from kube-root-ca.crt, namespace', () => {
    const withCA: ConfigLookup = (res, ns, name) =>
      res === 'configmaps' && name === 'kube-root-ca.crt' ? { data: { 'ca.crt': 'PEM' } } : lookup(res, ns, name)
    const mount = { name: 'kube-api-access-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }
    const p = pod(
      { volumeMounts: [mount] },
      {
        volumes: [
          {
            name: 'kube-api-access-x7k2p',
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
        ],
      },
    )
    const r = resolveContainerConfig(p, p.spec.containers[0], withCA, facts)
    if (r.ok !== true) throw new Error(JSON.stringify(r))
    expect(r.files).toEqual({
      '/var/run/secrets/kubernetes.io/serviceaccount/token': 'simulated-token-for-system:serviceaccount:default:builder',
      '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt': 'PEM',
      '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'default',
    })
    // Until the root CA publisher has made kube-root-ca.crt, the volume cannot be set up.
    expect(mountVolumes(p, lookup, facts)).toMatchObject({ ok: false, mount: true })
  })

  it('fails a mount for a missing ConfigMap volume with the kubelet FailedMount wording', () => {
    const p = pod({}, { volumes: [{ name: 'cfg', configMap: { name: 'nope' } }] })
    expect(mountVolumes(p, lookup, facts)).toEqual({
      ok: false,
      mount: true,
      message: 'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found',
    })
  })

  it('lists every ConfigMap and Secret a pod refers to, once', () => {
    const p = pod(
      {
        env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }],
        envFrom: [{ secretRef: { name: 'creds' } }],
      },
      { volumes: [{ name: 'v', configMap: { name: 'app' } }] },
    )
    const reads = podConfigReads(p)
    expect(reads).toHaveLength(2)
    expect(reads).toEqual(
      expect.arrayContaining([
        { resource: 'configmaps', namespace: 'default', name: 'app' },
        { resource: 'secrets', namespace: 'default', name: 'creds' },
      ]),
    )
  })

  it('expands $(VAR), keeps unknown references and $$ escapes', () => {
    expect(expandVars('$(A) $(NOPE) $$(A)', { A: '1' })).toBe('1 $(NOPE) $(A)')
  })
})
