import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import type { Attributes } from './attributes'
import {
  admitServiceAccount,
  DEFAULT_API_TOKEN_MOUNT_PATH,
  type ServiceAccountLookup,
} from './service-account'

type O = any

const sa = (name: string, extra: O = {}): O => ({
  ...extra,
  metadata: { name, namespace: 'team', ...(extra.metadata ?? {}) },
})
const accounts =
  (...list: O[]): ServiceAccountLookup =>
  (ns, name) =>
    list.find((s) => s.metadata.namespace === ns && s.metadata.name === name)
const pod = (spec: O, metadata: O = {}): O => ({
  metadata: { name: 'web', namespace: 'team', ...metadata },
  spec,
})
const create = (object: O, extra: Partial<Attributes> = {}): Attributes => ({
  operation: 'CREATE',
  group: '',
  resource: 'pods',
  namespace: 'team',
  object,
  ...extra,
})
const fixedName = (prefix: string) => `${prefix}x7k2p`
const MOUNT = {
  name: 'kube-api-access-x7k2p',
  readOnly: true,
  mountPath: DEFAULT_API_TOKEN_MOUNT_PATH,
}

function refusal(fn: () => unknown): O {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return e.status
    throw e
  }
  throw new Error('admitted')
}

describe('ServiceAccount admission: mounting the token', () => {
  it('runs as default and mounts the projected token volume into every container', () => {
    const p = pod({
      containers: [{ name: 'app' }, { name: 'log' }],
      initContainers: [{ name: 'setup' }],
    })
    admitServiceAccount(create(p), accounts(sa('default')), fixedName)
    expect(p.spec.serviceAccountName).toBe('default')
    expect(p.spec.volumes).toEqual([
      {
        name: 'kube-api-access-x7k2p',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [
                  {
                    path: 'namespace',
                    fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                  },
                ],
              },
            },
          ],
        },
      },
    ])
    for (const c of [...p.spec.containers, ...p.spec.initContainers])
      expect(c.volumeMounts).toEqual([MOUNT])
  })

  it('the volume name has five random characters by default', () => {
    const p = pod({ containers: [{ name: 'app' }] })
    admitServiceAccount(create(p), accounts(sa('default')))
    expect(p.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it('a container with something at the token path keeps it; others still mount', () => {
    const own = { name: 'mine', mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }
    const p = pod({
      containers: [{ name: 'app', volumeMounts: [own] }, { name: 'log' }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    })
    admitServiceAccount(create(p), accounts(sa('default')), fixedName)
    expect(p.spec.containers[0].volumeMounts).toEqual([own])
    expect(p.spec.containers[1].volumeMounts).toEqual([MOUNT])
    expect(p.spec.volumes.map((v: O) => v.name)).toEqual(['mine', 'kube-api-access-x7k2p'])
  })

  it('no volume when every container has its own mount there', () => {
    const p = pod({
      containers: [
        { name: 'app', volumeMounts: [{ name: 'x', mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }] },
      ],
    })
    admitServiceAccount(create(p), accounts(sa('default')), fixedName)
    expect(p.spec.volumes).toBeUndefined()
  })

  it('an existing kube-api-access volume is reused, not added again', () => {
    const p = pod({
      containers: [{ name: 'app' }],
      volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [] } }],
    })
    admitServiceAccount(create(p), accounts(sa('default')), fixedName)
    expect(p.spec.volumes).toHaveLength(1)
    expect(p.spec.containers[0].volumeMounts).toEqual([{ ...MOUNT, name: 'kube-api-access-abcde' }])
  })

  const automount: { name: string; pod?: boolean; sa?: boolean; want: boolean }[] = [
    { name: 'the pod opts out', pod: false, want: false },
    { name: 'the account opts out', sa: false, want: false },
    { name: 'the pod opts in over the account', pod: true, sa: false, want: true },
  ]
  for (const t of automount)
    it(t.name, () => {
      const p = pod({
        containers: [{ name: 'app' }],
        ...(t.pod !== undefined ? { automountServiceAccountToken: t.pod } : {}),
      })
      const account = sa(
        'default',
        t.sa !== undefined ? { automountServiceAccountToken: t.sa } : {},
      )
      admitServiceAccount(create(p), accounts(account), fixedName)
      expect(p.spec.volumes !== undefined).toBe(t.want)
    })

  it('copies the account image pull secrets when the pod names none', () => {
    const account = sa('builder', { imagePullSecrets: [{ name: 'registry' }] })
    const p = pod({ serviceAccountName: 'builder', containers: [{ name: 'app' }] })
    admitServiceAccount(create(p), accounts(account), fixedName)
    expect(p.spec.imagePullSecrets).toEqual([{ name: 'registry' }])
    const own = pod({
      serviceAccountName: 'builder',
      imagePullSecrets: [{ name: 'mine' }],
      containers: [{ name: 'app' }],
    })
    admitServiceAccount(create(own), accounts(account), fixedName)
    expect(own.spec.imagePullSecrets).toEqual([{ name: 'mine' }])
  })

  it('leaves updates and other kinds alone', () => {
    const p = pod({ containers: [{ name: 'app' }] })
    admitServiceAccount({ ...create(p), operation: 'UPDATE', oldObject: p }, accounts(), fixedName)
    admitServiceAccount(
      create(p, { resource: 'replicasets', group: 'apps' }),
      accounts(),
      fixedName,
    )
    expect(p.spec).toEqual({ containers: [{ name: 'app' }] })
  })
})

describe('ServiceAccount admission: refusals', () => {
  const cases: { name: string; attrs: Attributes; accounts: O[]; want: string }[] = [
    {
      name: 'the account does not exist',
      attrs: create(pod({ serviceAccountName: 'builder', containers: [{ name: 'app' }] })),
      accounts: [sa('default')],
      want: 'pods "web" is forbidden: error looking up service account team/builder: serviceaccount "builder" not found',
    },
    {
      name: 'no default account yet; a generated name shows as its prefix',
      attrs: create(
        pod(
          { containers: [{ name: 'app' }] },
          { name: 'web-7d9f-x2m4p', generateName: 'web-7d9f-' },
        ),
      ),
      accounts: [],
      want: 'pods "web-7d9f-" is forbidden: error looking up service account team/default: serviceaccount "default" not found',
    },
    {
      name: 'a secret volume the account does not list, under enforce-mountable-secrets',
      attrs: create(
        pod({
          containers: [{ name: 'app' }],
          volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
        }),
      ),
      accounts: [
        sa('default', {
          metadata: { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
          secrets: [{ name: 'other' }],
        }),
      ],
      want: 'pods "web" is forbidden: volume with secret.secretName="db" is not allowed because service account default does not reference that secret',
    },
    {
      name: 'a secret env var likewise',
      attrs: create(
        pod({
          containers: [
            {
              name: 'app',
              env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
            },
          ],
        }),
      ),
      accounts: [
        sa('default', {
          metadata: { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
        }),
      ],
      want: 'pods "web" is forbidden: container app with envVar PASSWORD referencing secret.secretName="db" is not allowed because service account default does not reference that secret',
    },
    {
      name: 'an image pull secret likewise',
      attrs: create(
        pod({ containers: [{ name: 'app' }], imagePullSecrets: [{ name: 'registry' }] }),
      ),
      accounts: [
        sa('default', {
          metadata: { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
        }),
      ],
      want: 'pods "web" is forbidden: imagePullSecrets[0].name="registry" is not allowed because service account default does not reference that imagePullSecret',
    },
    {
      name: 'a mirror pod may not name an account',
      attrs: create(
        pod(
          { serviceAccountName: 'default', containers: [{ name: 'app' }] },
          { annotations: { 'kubernetes.io/config.mirror': 'x' } },
        ),
      ),
      accounts: [sa('default')],
      want: 'pods "web" is forbidden: a mirror pod may not reference service accounts',
    },
    {
      name: 'a mirror pod may not use secrets',
      attrs: create(
        pod(
          { containers: [{ name: 'app' }], volumes: [{ name: 's', secret: { secretName: 'x' } }] },
          { annotations: { 'kubernetes.io/config.mirror': 'x' } },
        ),
      ),
      accounts: [],
      want: 'pods "web" is forbidden: a mirror pod may not reference secrets',
    },
  ]
  for (const t of cases)
    it(t.name, () => {
      expect(
        refusal(() => admitServiceAccount(t.attrs, accounts(...t.accounts), fixedName)),
      ).toMatchObject({
        code: 403,
        reason: 'Forbidden',
        message: t.want,
      })
    })

  it('the enforced account admits the secrets it lists', () => {
    const account = sa('default', {
      metadata: { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
      secrets: [{ name: 'db' }],
    })
    const p = pod({
      containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'db' } }] }],
      volumes: [{ name: 'c', secret: { secretName: 'db' } }],
    })
    expect(() => admitServiceAccount(create(p), accounts(account), fixedName)).not.toThrow()
  })
})
