// kubectl get: tables from the server's Table responses and the -o printers.
// Expectations are real kubectl 1.32's output against the same answers (see
// serve-fake.mjs), byte for byte.
import { describe, expect, it } from 'vitest'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "get pods", code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE
big                   0/1     Pending   0          2m
web-7d4b9c8f6-abcde   1/1     Running   0          10m
web-7d4b9c8f6-fghij   1/1     Running   0          10m
`, err: `` },
  { line: "get pods -o wide", code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
big                   0/1     Pending   0          2m    <none>       <none>     <none>           <none>
web-7d4b9c8f6-abcde   1/1     Running   0          10m   10.244.1.5   worker-1   <none>           <none>
web-7d4b9c8f6-fghij   1/1     Running   0          10m   10.244.2.7   worker-2   <none>           <none>
`, err: `` },
  { line: "get all", code: 0, out: `NAME                      READY   STATUS    RESTARTS   AGE
pod/big                   0/1     Pending   0          2m
pod/web-7d4b9c8f6-abcde   1/1     Running   0          10m
pod/web-7d4b9c8f6-fghij   1/1     Running   0          10m

NAME                 TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
service/kubernetes   ClusterIP   10.96.0.1     <none>        443/TCP   121m
service/web          ClusterIP   10.96.12.34   <none>        80/TCP    9m50s

NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/web   2/2     2            2           10m

NAME                            DESIRED   CURRENT   READY   AGE
replicaset.apps/web-7d4b9c8f6   2         2         2       10m
`, err: `` },
  { line: "get deploy,svc", code: 0, out: `NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/web   2/2     2            2           10m

NAME                 TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
service/kubernetes   ClusterIP   10.96.0.1     <none>        443/TCP   121m
service/web          ClusterIP   10.96.12.34   <none>        80/TCP    9m50s
`, err: `` },
  { line: "get pods -A", code: 0, out: `NAMESPACE   NAME                  READY   STATUS    RESTARTS   AGE
default     big                   0/1     Pending   0          2m
default     web-7d4b9c8f6-abcde   1/1     Running   0          10m
default     web-7d4b9c8f6-fghij   1/1     Running   0          10m
`, err: `` },
  { line: "get pods --show-labels", code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE   LABELS
big                   0/1     Pending   0          2m    run=big
web-7d4b9c8f6-abcde   1/1     Running   0          10m   app=web,pod-template-hash=7d4b9c8f6
web-7d4b9c8f6-fghij   1/1     Running   0          10m   app=web,pod-template-hash=7d4b9c8f6
`, err: `` },
  { line: "get pods web-7d4b9c8f6-abcde nope", code: 1, out: `NAME                  READY   STATUS    RESTARTS   AGE
web-7d4b9c8f6-abcde   1/1     Running   0          10m
`, err: `Error from server (NotFound): pods "nope" not found
` },
  { line: "get foo", code: 1, out: ``, err: `error: the server doesn't have a resource type "foo"
` },
  { line: "get", code: 1, out: ``, err: `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples
` },
  { line: "get pods -l app=web -o name", code: 0, out: `pod/web-7d4b9c8f6-abcde
pod/web-7d4b9c8f6-fghij
`, err: `` },
  { line: "get cm settings -o yaml", code: 0, out: `apiVersion: v1
data:
  app.properties: |
    a=1
    b=2
  color: blue
kind: ConfigMap
metadata:
  creationTimestamp: "2026-03-01T11:55:00Z"
  name: settings
  namespace: default
  resourceVersion: "113"
  uid: uid-9
`, err: `` },
  { line: "get cm -n kube-system", code: 0, out: ``, err: `No resources found in kube-system namespace.
` },
  { line: "get pods -L app,run --no-headers", code: 0, out: `big                   0/1   Pending   0     2m          big
web-7d4b9c8f6-abcde   1/1   Running   0     10m   web   
web-7d4b9c8f6-fghij   1/1   Running   0     10m   web   
`, err: `` },
  { line: "get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP", code: 0, out: `NAME                  IP
big                   <none>
web-7d4b9c8f6-abcde   10.244.1.5
web-7d4b9c8f6-fghij   10.244.2.7
`, err: `` },
  { line: "get pods --sort-by=.metadata.creationTimestamp", code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE
web-7d4b9c8f6-abcde   1/1     Running   0          10m
web-7d4b9c8f6-fghij   1/1     Running   0          10m
big                   0/1     Pending   0          2m
`, err: `` },
  { line: "get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}'", code: 0, out: `big	Pending
web-7d4b9c8f6-abcde	Running
web-7d4b9c8f6-fghij	Running
`, err: `` },
  { line: "get nodes -o jsonpath='{.items[*].status.addresses[?(@.type==\"InternalIP\")].address}'", code: 0, out: `172.18.0.3 172.18.0.4`, err: `` },
  { line: "get pods x -A", code: 1, out: ``, err: `error: a resource cannot be retrieved by name across all namespaces
` },
  { line: "get pods --foo", code: 1, out: ``, err: `error: unknown flag: --foo
See 'kubectl get --help' for usage.
` },
  { line: "get pods -o bogus", code: 1, out: ``, err: `error: unable to match a printer suitable for the output format "bogus", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml
` },
  { line: "get svc,pods -o name", code: 0, out: `service/kubernetes
service/web
pod/big
pod/web-7d4b9c8f6-abcde
pod/web-7d4b9c8f6-fghij
`, err: `` },
  { line: "get deploy web -o json", code: 0, out: `{
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "annotations": {
            "deployment.kubernetes.io/revision": "1"
        },
        "creationTimestamp": "2026-03-01T11:50:00Z",
        "generation": 1,
        "labels": {
            "app": "web"
        },
        "name": "web",
        "namespace": "default",
        "resourceVersion": "105",
        "uid": "uid-deploy"
    },
    "spec": {
        "progressDeadlineSeconds": 600,
        "replicas": 2,
        "revisionHistoryLimit": 10,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "strategy": {
            "rollingUpdate": {
                "maxSurge": "25%",
                "maxUnavailable": "25%"
            },
            "type": "RollingUpdate"
        },
        "template": {
            "metadata": {
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "image": "nginx:1.27",
                        "name": "nginx",
                        "ports": [
                            {
                                "containerPort": 80,
                                "protocol": "TCP"
                            }
                        ],
                        "resources": {
                            "limits": {
                                "memory": "256Mi"
                            },
                            "requests": {
                                "cpu": "100m",
                                "memory": "128Mi"
                            }
                        }
                    }
                ]
            }
        }
    },
    "status": {
        "availableReplicas": 2,
        "conditions": [
            {
                "lastTransitionTime": "2026-03-01T11:50:20Z",
                "lastUpdateTime": "2026-03-01T11:50:20Z",
                "message": "Deployment has minimum availability.",
                "reason": "MinimumReplicasAvailable",
                "status": "True",
                "type": "Available"
            },
            {
                "lastTransitionTime": "2026-03-01T11:50:00Z",
                "lastUpdateTime": "2026-03-01T11:50:20Z",
                "message": "ReplicaSet \\"web-7d4b9c8f6\\" has successfully progressed.",
                "reason": "NewReplicaSetAvailable",
                "status": "True",
                "type": "Progressing"
            }
        ],
        "observedGeneration": 1,
        "readyReplicas": 2,
        "replicas": 2,
        "updatedReplicas": 2
    }
}
`, err: `` },
]

describe('kubectl get', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('asks for Tables with kubectl\'s Accept header and pages with limit=500', async () => {
    const r = await run('get pods')
    const list = r.cluster.requests.find((q) => q.path === '/api/v1/namespaces/default/pods')!
    expect(list.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')
    expect(list.query).toEqual({ limit: '500' })
  })
})
