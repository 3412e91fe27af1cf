// The command line around the commands: cobra's unknown-command suggestions,
// pflag's errors, global flags before the command, help, commands a browser
// cannot run, run and patch. Expectations are real kubectl 1.32's output where
// it has the command.
import { describe, expect, it } from 'vitest'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "foo", code: 1, out: ``, err: `error: unknown command "foo" for "kubectl"

Did you mean this?
	top
` },
  { line: "ge", code: 1, out: ``, err: `error: unknown command "ge" for "kubectl"

Did you mean this?
	set
	get
	cp
` },
  { line: "rollout foo", code: 1, out: ``, err: `error: unknown command "foo"
See 'kubectl rollout -h' for help and examples
` },
  { line: "rollout", code: 0, out: `Manage the rollout of a resource.

Available Commands:
  history  View rollout history
  pause    Mark the provided resource as paused
  restart  Restart a resource
  resume   Resume a paused resource
  status   Show the status of the rollout
  undo     Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND

Use "kubectl options" for a list of global command-line options (applies to all commands).
`, err: `` },
  { line: "run nginx --image=nginx --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: nginx
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
`, err: `` },
  { line: "run nginx --image=nginx --port=80 --env=A=1 --labels=x=y --dry-run=client -o json -- sleep 10", code: 0, out: `{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "nginx",
        "creationTimestamp": null,
        "labels": {
            "x": "y"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "nginx",
                "image": "nginx",
                "args": [
                    "sleep",
                    "10"
                ],
                "ports": [
                    {
                        "containerPort": 80
                    }
                ],
                "env": [
                    {
                        "name": "A",
                        "value": "1"
                    }
                ],
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
`, err: `` },
  { line: "run x --image=y --restart=Never --dry-run=client -o yaml --command -- sh -c 'echo hi'", code: 0, out: `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - command:
    - sh
    - -c
    - echo hi
    image: "y"
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status: {}
`, err: `` },
  { line: "run nginx", code: 1, out: ``, err: `error: required flag(s) "image" not set
` },
  { line: "run nginx --image=nginx", code: 0, out: `pod/nginx created
`, err: `` },
  { line: "patch deploy web -p '{\"spec\":{\"replicas\":4}}'", code: 0, out: `deployment.apps/web patched
`, err: `` },
  { line: "patch deploy web --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]' --dry-run=server -o name", code: 0, out: `deployment.apps/web
`, err: `` },
  { line: "patch deploy web -p '{\"spec\":{\"replicas\":2}}'", code: 0, out: `deployment.apps/web patched (no change)
`, err: `` },
  { line: "patch deploy web", code: 1, out: ``, err: `error: must specify --patch or --patch-file containing the contents of the patch
` },
  { line: "patch deploy web -p '{\"spec\":{\"replicas\":2}}' --type=foo", code: 1, out: ``, err: `error: --type must be one of [json merge strategic], not "foo"
` },
  { line: "get pods --foo", code: 1, out: ``, err: `error: unknown flag: --foo
See 'kubectl get --help' for usage.
` },
  { line: "get pods -x", code: 1, out: ``, err: `error: unknown shorthand flag: 'x' in -x
See 'kubectl get --help' for usage.
` },
  { line: "get pods -n", code: 1, out: ``, err: `error: flag needs an argument: 'n' in -n
See 'kubectl get --help' for usage.
` },
  { line: "scale --replicas=abc deploy/x", code: 1, out: ``, err: `error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax
` },
{ line: "exec -it web -- sh", code: 1, out: ``, err: `error: "kubectl exec" is not available in this browser terminal: the containers here are simulated and take no connections
` },
  { line: "get pods | grep web", code: 1, out: ``, err: `error: '|' is not supported here: this terminal runs one kubectl command
` },
  { line: "-n kube-system get cm", code: 0, out: ``, err: `No resources found in kube-system namespace.
` },
  { line: "kubectl --namespace=kube-system get pods", code: 0, out: ``, err: `No resources found in kube-system namespace.
` },
  { line: "version", code: 0, out: `Client Version: v1.32.0-wheelhouse
Kustomize Version: v5.5.0
Server Version: v1.32.0-wheelhouse
`, err: `` },
]

describe('kubectl command line', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('help lists the commands in kubectl\'s groups', async () => {
    const r = await run('help')
    expect(r.code).toBe(0)
    expect(r.out).toContain('Basic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n')
    expect(r.out).toContain('Other Commands:\n  api-resources   Print the supported API resources on the server\n')
  })

  it('an empty line prints the help, as kubectl does without arguments', async () => {
    const r = await run('')
    expect(r.out).toContain('kubectl controls the Kubernetes cluster manager.')
  })

  it('sends the bearer token and the page\'s headers with every request', async () => {
    const seen: Headers[] = []
    const { demoCluster } = await import('./fixtures')
    const { harness } = await import('./fake-cluster')
    const { kubectl } = await import('../../../web/src/kubectl/index')
    const c = demoCluster()
    const h = harness(c)
    const inner = c.fetch
    const env = { ...h.env, headers: { 'x-wheelhouse-session': 's-1' }, fetch: (async (input: RequestInfo | URL, init?: RequestInit) => (seen.push(new Headers(init?.headers)), inner(input as string, init))) as typeof fetch }
    await kubectl('get ns', env, h.io)
    expect(seen.length).toBeGreaterThan(0)
    for (const hd of seen) {
      expect(hd.get('authorization')).toBe('Bearer secret-token')
      expect(hd.get('x-wheelhouse-session')).toBe('s-1')
    }
  })
})
