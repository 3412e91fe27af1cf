// The nodes' kubelets seen through real kubectl against a real local server,
// with the clock sped up through the Clock object as a workshop would.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Kubectl,
  kubectl,
  kubectlVersions,
  type LocalCluster,
  startLocalCluster,
} from '../support/local-cluster'

let cluster: LocalCluster
let k: Kubectl
beforeAll(async () => {
  cluster = await startLocalCluster('nodes')
  const newest = kubectlVersions().at(-1)!
  k = kubectl(newest.bin, cluster.kubeconfigFile)
  await k('patch', 'clock', 'cluster', '--type=merge', '-p', '{"spec":{"speed":20}}')
})
afterAll(async () => {
  await cluster?.stop()
})

const until = (args: string[], check: (out: string) => boolean, ms = 90_000) =>
  k.poll(args, check, ms)

/** Runs a long-lived kubectl (-w, -f) until its output satisfies check, or ms pass; returns the output. */
function watch(args: string[], check: (out: string) => boolean, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlVersions().at(-1)!.bin, args, {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigFile },
    })
    let out = ''
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`timed out: kubectl ${args.join(' ')}; output:\n${out}`))
    }, ms)
    child.stdout.on('data', (d) => {
      out += String(d)
      if (!check(out)) return
      clearTimeout(timer)
      child.kill()
      resolve(out)
    })
  })
}

const pod = (name: string, spec: string, node = 'worker-1') => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
${spec}`

const row = (out: string, name: string) =>
  out.split('\n').find((l) => l.startsWith(`${name} `)) ?? ''

describe('nodes with real kubectl', () => {
  it('shows three Ready worker nodes in three zones', async () => {
    const out = await until(
      ['get', 'nodes', '-L', 'topology.kubernetes.io/zone'],
      (o) => (o.match(/ Ready /g) ?? []).length === 3,
    )
    expect(out).toMatch(/worker-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+zone-a/)
    expect(out).toMatch(/worker-3\s+Ready.*zone-c/)
    const described = await k('describe', 'node', 'worker-1')
    expect(described).toMatch(/Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/)
    expect(described).toMatch(/PodCIDR:\s+10\.244\.\d+\.0\/24/)
    expect(described).toContain('Container Runtime Version:  containerd://1.7.24')
  })

  it('runs nginx to Running and 1/1 READY', async () => {
    await k.stdin(
      pod(
        'web',
        `  containers:\n  - name: nginx\n    image: nginx:1.27\n    readinessProbe:\n      httpGet: {path: /, port: 80}`,
      ),
      'apply',
      '-f',
      '-',
    )
    const out = await until(['get', 'pod', 'web'], (o) => /web\s+1\/1\s+Running\s+0/.test(o))
    expect(row(out, 'web')).toMatch(/1\/1\s+Running/)
    const wide = await k('get', 'pod', 'web', '-o', 'wide')
    expect(wide).toMatch(/10\.244\.1\.\d+\s+worker-1/)
  })

  it('shows ErrImagePull, then ImagePullBackOff, for an image that does not exist', async () => {
    await k.stdin(
      pod('missing', `  containers:\n  - name: app\n    image: nginx:does-not-exist`),
      'apply',
      '-f',
      '-',
    )
    // Each state is written as the kubelet reaches it; a watch sees them all, however fast the clock runs.
    await watch(
      ['get', 'pod', 'missing', '-w', '--no-headers'],
      (o) => o.includes('ErrImagePull') && o.includes('ImagePullBackOff'),
      60_000,
    )
    const described = await k('describe', 'pod', 'missing')
    expect(described).toContain('Failed to pull image "nginx:does-not-exist"')
    expect(described).toContain('Back-off pulling image "nginx:does-not-exist"')
  })

  it('shows CrashLoopBackOff with RESTARTS climbing for a crash-looping image', async () => {
    await k.stdin(
      pod('crash', `  containers:\n  - name: app\n    image: wheelhouse/crashloop:v1`),
      'apply',
      '-f',
      '-',
    )
    const out = await until(
      ['get', 'pod', 'crash', '--no-headers'],
      (o) => /CrashLoopBackOff\s+[2-9]/.test(o),
      90_000,
    )
    expect(out).toMatch(/0\/1\s+CrashLoopBackOff/)
    const json = JSON.parse(await k('get', 'pod', 'crash', '-o', 'json'))
    expect(json.status.containerStatuses[0].lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    })
    expect(await k('logs', 'crash', '--previous')).toContain('panic: could not connect to database')
    const described = await k('describe', 'pod', 'crash')
    expect(described).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/)
    expect(described).toContain('Back-off restarting failed container app in pod crash_default')
  })

  it("ends busybox sh -c 'echo hello; exit 3' in Error with exit code 3, and logs hello", async () => {
    await k.stdin(
      pod(
        'once',
        `  restartPolicy: Never\n  containers:\n  - name: sh\n    image: busybox:1.36\n    command: ['sh', '-c', 'echo hello; exit 3']`,
      ),
      'apply',
      '-f',
      '-',
    )
    await until(['get', 'pod', 'once', '--no-headers'], (o) => /0\/1\s+Error\s+0/.test(o))
    expect(
      await k(
        'get',
        'pod',
        'once',
        '-o',
        'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}',
      ),
    ).toBe('3')
    expect(await k('logs', 'once')).toBe('hello\n')
  })

  it('shows CreateContainerConfigError for a missing ConfigMap and starts once it exists', async () => {
    await k.stdin(
      pod(
        'cfg',
        `  containers:\n  - name: app\n    image: nginx:1.27\n    envFrom:\n    - configMapRef: {name: app-settings}`,
      ),
      'apply',
      '-f',
      '-',
    )
    await until(['get', 'pod', 'cfg', '--no-headers'], (o) =>
      o.includes('CreateContainerConfigError'),
    )
    await k('create', 'configmap', 'app-settings', '--from-literal=mode=fast')
    await until(['get', 'pod', 'cfg', '--no-headers'], (o) => /1\/1\s+Running/.test(o))
  })

  it('follows and tails logs with kubectl logs', async () => {
    await k.stdin(
      pod(
        'ticker',
        `  containers:\n  - name: sh\n    image: busybox:1.36\n    command: ['sh', '-c', 'while true; do echo tick; sleep 5; done']`,
      ),
      'apply',
      '-f',
      '-',
    )
    await until(['get', 'pod', 'ticker', '--no-headers'], (o) => o.includes('Running'))
    const out = await until(
      ['logs', 'ticker', '--tail=2', '--timestamps'],
      (o) => o.trim().split('\n').length === 2,
    )
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick$/m)
    // -f keeps the stream open, and new lines arrive as simulated time passes (one per 5 s, at 20×).
    const followed = await watch(
      ['logs', '-f', 'ticker', '--tail=0'],
      (o) => o.split('\n').filter((l) => l === 'tick').length >= 5,
      10_000,
    )
    expect(followed.split('\n').filter((l) => l === 'tick').length).toBeGreaterThanOrEqual(5)
  })

  it('waits for graceful termination on kubectl delete pod', async () => {
    await k.stdin(
      pod(
        'sleeper',
        `  terminationGracePeriodSeconds: 60\n  containers:\n  - name: sh\n    image: busybox:1.36\n    command: ['sleep', '3600']`,
      ),
      'apply',
      '-f',
      '-',
    )
    await until(['get', 'pod', 'sleeper', '--no-headers'], (o) => o.includes('Running'))
    const t = Date.now()
    await k('delete', 'pod', 'sleeper')
    // 60 s of grace at 20× is 3 s of wall time: kubectl waited for the kubelet to finish.
    expect(Date.now() - t).toBeGreaterThan(2_000)
    expect((await k.try('get', 'pod', 'sleeper')).stderr).toContain('NotFound')
  })

  it('stops renewing the Lease of a powered-off node and resumes when the fault is removed', async () => {
    const renewTime = () =>
      k('get', 'lease', '-n', 'kube-node-lease', 'worker-2', '-o', 'jsonpath={.spec.renewTime}')
    await until(['get', 'lease', '-n', 'kube-node-lease', 'worker-2', '-o', 'name'], (o) =>
      o.includes('worker-2'),
    )
    await k('annotate', 'node', 'worker-2', 'sim.wheelhouse.dev/fault=poweroff')
    await new Promise((r) => setTimeout(r, 1_000))
    const frozen = await renewTime()
    await new Promise((r) => setTimeout(r, 2_000)) // 40 s simulated: four renewals missed
    expect(await renewTime()).toBe(frozen)
    await k('annotate', 'node', 'worker-2', 'sim.wheelhouse.dev/fault-')
    await until(
      ['get', 'lease', '-n', 'kube-node-lease', 'worker-2', '-o', 'jsonpath={.spec.renewTime}'],
      (o) => o !== frozen && o !== '',
    )
  })
})
