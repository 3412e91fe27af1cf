// Real kubectl (1.27 and the newest available) against a real local server over TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Kubectl, kubectl, kubectlVersions, type LocalCluster, startLocalCluster } from '../support/local-cluster'

let cluster: LocalCluster
beforeAll(async () => {
  cluster = await startLocalCluster()
})
afterAll(async () => {
  await cluster?.stop()
})

const MANIFEST = (ns: string, image = 'nginx:1.25', replicas = 2) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: ${ns}
stringData:
  password: hunter2
`

for (const { label, bin } of kubectlVersions()) {
  describe(`kubectl ${label}`, () => {
    let k: Kubectl
    const ns = `e2e-${label.replace('.', '-')}`
    beforeAll(() => {
      k = kubectl(bin, cluster.kubeconfigFile)
    })

    it('discovers the API: api-resources, short names, categories', async () => {
      const out = await k('api-resources')
      for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^clocks\s+sim\.wheelhouse\.dev\/v1alpha1\s+false\s+Clock$/m])
        expect(out).toMatch(line)
      expect(await k('get', 'ns', 'default', '-o', 'name')).toBe('namespace/default\n')
    })

    it('creates a namespace and configmaps, lists them in every output form', async () => {
      expect(await k('create', 'namespace', ns)).toContain(`namespace/${ns} created`)
      await k('create', 'configmap', 'one', '--from-literal=a=1', '-n', ns)
      await k('create', 'configmap', 'two', '--from-literal=b=2', '-n', ns)
      await k('label', 'configmap', 'two', 'tier=back', '-n', ns)
      // kube-root-ca.crt is the root CA publisher's, in every namespace.
      expect(await k('get', 'cm', '-n', ns, '-o', 'name')).toBe('configmap/kube-root-ca.crt\nconfigmap/one\nconfigmap/two\n')
      expect(await k('get', 'cm', '-n', ns, '-l', 'tier=back', '-o', 'name')).toBe('configmap/two\n')
      expect(await k('get', 'cm', '-n', ns, '--field-selector', 'metadata.name=one', '-o', 'name')).toBe('configmap/one\n')
      expect(await k('get', 'cm', 'one', '-n', ns, '-o', 'jsonpath={.data.a}')).toBe('1')
      const json = JSON.parse(await k('get', 'cm', 'one', '-n', ns, '-o', 'json'))
      expect(json).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'one', namespace: ns }, data: { a: '1' } })
      expect(await k('get', 'cm', 'one', '-n', ns, '-o', 'yaml')).toContain('kind: ConfigMap')
      const all = await k('get', 'cm', '-A')
      expect(all).toMatch(new RegExp(`^${ns}\\s+one\\s+1\\s+\\S+$`, 'm'))
      expect(await k('get', 'cm', '-n', ns, '--show-labels')).toMatch(/^two\s+1\s+\S+\s+tier=back$/m)
      expect(await k('get', 'ns', ns, '-o', 'wide')).toMatch(new RegExp(`^NAME\\s+STATUS\\s+AGE\\n${ns}\\s+Active\\s+\\d+s$`, 'm'))
    })

    it('applies a multi-document manifest, then re-applies an edit as a strategic merge', async () => {
      const out = await k.stdin(MANIFEST(ns), 'apply', '-f', '-')
      for (const line of ['deployment.apps/web created', 'service/web created', 'configmap/settings created', 'secret/creds created']) expect(out).toContain(line)
      const again = await k.stdin(MANIFEST(ns, 'nginx:1.26', 3), 'apply', '-f', '-')
      expect(again).toContain('deployment.apps/web configured')
      expect(again).toContain('configmap/settings unchanged')
      const d = JSON.parse(await k('get', 'deploy', 'web', '-n', ns, '-o', 'json'))
      expect(d.spec.template.spec.containers).toHaveLength(1)
      expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26')
      expect(d.spec.replicas).toBe(3)
      expect(d.metadata.generation).toBe(2)
      expect(JSON.parse(await k('get', 'secret', 'creds', '-n', ns, '-o', 'json')).data).toEqual({ password: 'aHVudGVyMg==' })
      expect(await k('explain', 'deployment.spec.strategy')).toContain('DeploymentStrategy')
    })

    it('patches with all three types, labels, annotates and scales', async () => {
      await k('patch', 'deploy', 'web', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]')
      await k('patch', 'deploy', 'web', '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}')
      await k('patch', 'deploy', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}')
      await k('annotate', 'deploy', 'web', '-n', ns, 'owner=team-a')
      await k('label', 'deploy', 'web', '-n', ns, 'env=test')
      let d = JSON.parse(await k('get', 'deploy', 'web', '-n', ns, '-o', 'json'))
      expect(d.spec.replicas).toBe(4)
      expect(d.metadata.labels).toMatchObject({ app: 'web', tier: 'front', env: 'test' })
      expect(d.metadata.annotations.owner).toBe('team-a')
      expect(d.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual(['nginx:1.27'])
      expect(await k('scale', 'deploy', 'web', '-n', ns, '--replicas=2')).toContain('deployment.apps/web scaled')
      d = JSON.parse(await k('get', 'deploy', 'web', '-n', ns, '-o', 'json'))
      expect(d.spec.replicas).toBe(2)
      expect(await k('get', 'deploy', '-n', ns, '-l', 'env=test', '-o', 'name')).toBe('deployment.apps/web\n')
    })

    it('creates a deployment and a configmap imperatively (protobuf bodies on 1.32+)', async () => {
      expect(await k('create', 'deployment', 'imp', '--image=nginx:1.25', '--replicas=2', '-n', ns)).toContain('deployment.apps/imp created')
      expect(await k('create', 'configmap', 'imp', '--from-literal=k=v', '-n', ns)).toContain('configmap/imp created')
      const d = JSON.parse(await k('get', 'deploy', 'imp', '-n', ns, '-o', 'json'))
      expect(d.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'imp' } } })
      expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' })
    })

    it('applies server-side, and reports a conflict with another manager', async () => {
      const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: ${ns}\ndata:\n  a: "1"\n`
      expect(await k.stdin(cm, 'apply', '--server-side', '-f', '-')).toContain('configmap/ssa serverside-applied')
      await k('patch', 'cm', 'ssa', '-n', ns, '--type=merge', '-p', '{"data":{"a":"2"}}', '--field-manager=other')
      const conflict = await k.stdin(cm, 'apply', '--server-side', '-f', '-').catch((e: Error) => e.message)
      expect(conflict).toMatch(/conflict/i)
      expect(conflict).toContain('other')
      expect(await k.stdin(cm, 'apply', '--server-side', '--force-conflicts', '-f', '-')).toContain('serverside-applied')
      expect(await k('get', 'cm', 'ssa', '-n', ns, '-o', 'jsonpath={.data.a}')).toBe('1')
    })

    it('watches ADDED, MODIFIED and DELETED with get -w', async () => {
      const watch = k('get', 'cm', '-n', ns, '-w', '--output-watch-events', '--request-timeout=6s').catch((e: { stdout?: string }) => e.stdout ?? '')
      await new Promise((r) => setTimeout(r, 1_500))
      await k('create', 'configmap', 'watched', '--from-literal=a=1', '-n', ns)
      await k('label', 'configmap', 'watched', 'x=y', '-n', ns)
      await k('delete', 'configmap', 'watched', '-n', ns)
      const out = await watch
      expect(out).toMatch(/^ADDED\s+watched/m)
      expect(out).toMatch(/^MODIFIED\s+watched/m)
      expect(out).toMatch(/^DELETED\s+watched/m)
    })

    it('describes, answers auth can-i and whoami', async () => {
      const desc = await k('describe', 'deploy', 'web', '-n', ns)
      expect(desc).toMatch(/^Name:\s+web$/m)
      expect(desc).toMatch(/^Namespace:\s+/m)
      expect((await k('auth', 'can-i', 'create', 'pods', '-n', ns)).trim()).toBe('yes')
      expect(await k('auth', 'can-i', '--list', '-n', ns)).toContain('*.*')
      expect(await k('auth', 'whoami')).toMatch(/^Username\s+kubernetes-admin$/m)
    })

    it('creates a service-account token (protobuf on 1.32+) that authenticates as the account', async () => {
      const token = (await k('create', 'token', 'default', '-n', 'default')).trim()
      expect(token.split('.')).toHaveLength(3)
      // --token overrides the kubeconfig user's own token.
      const who = await k('--token', token, 'auth', 'whoami')
      expect(who).toMatch(/^Username\s+system:serviceaccount:default:default$/m)
      expect(who).toMatch(/^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m)
      // Authenticated is not authorized: a new service account may only discover and ask.
      const denied = await k.try('--token', token, 'get', 'ns', 'default', '-o', 'name')
      expect(denied.code).toBe(1)
      expect(denied.stderr).toContain('Error from server (Forbidden): namespaces "default" is forbidden: User "system:serviceaccount:default:default" cannot get resource "namespaces" in API group "" in the namespace "default"')
      const cannot = await k.try('--token', token, 'auth', 'can-i', 'list', 'pods', '-n', 'default')
      expect([cannot.code, cannot.stdout]).toEqual([1, 'no\n'])
      // --as is impersonation: the admin may, and the answer is the account's.
      const asAccount = await k.try('auth', 'can-i', 'list', 'pods', '-n', 'default', '--as=system:serviceaccount:default:default')
      expect([asAccount.code, asAccount.stdout]).toEqual([1, 'no\n'])
      const asUser = await k.try('--token', token, 'auth', 'can-i', 'list', 'pods', '--as=bob')
      expect(asUser.stderr).toContain('users "bob" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "users" in API group "" at the cluster scope')
      expect(await k('auth', 'whoami')).toMatch(/^Username\s+kubernetes-admin$/m)
      const bad = await k.try('--token', `${token.slice(0, -4)}AAAA`, 'get', 'ns')
      expect(bad.stderr).toMatch(/Unauthorized|must be logged in/)
      const short = await k.try('create', 'token', 'default', '-n', 'default', '--duration=5m')
      expect(short.stderr).toContain('TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes')
      const missing = await k.try('create', 'token', 'nobody', '-n', 'default')
      expect(missing.stderr).toContain('serviceaccounts "nobody" not found')
    })

    it('refuses a stale replace with 409 Conflict', async () => {
      const stale = await k('get', 'cm', 'one', '-n', ns, '-o', 'json')
      await k('annotate', 'cm', 'one', 'note=changed', '-n', ns)
      const out = await k.stdin(stale, 'replace', '-f', '-').catch((e: Error) => e.message)
      expect(out).toContain('Operation cannot be fulfilled on configmaps "one": the object has been modified; please apply your changes to the latest version and try again')
    })

    it('deletes a namespace and waits until it is gone', async () => {
      const out = await k('delete', 'namespace', ns, '--timeout=60s')
      expect(out).toContain(`namespace "${ns}" deleted`)
      const after = await k.try('get', 'namespace', ns)
      expect(after.stderr).toContain(`namespaces "${ns}" not found`)
    })
  })
}
