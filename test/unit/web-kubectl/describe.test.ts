// kubectl describe: the describers' layouts, byte for byte. Expectations are real
// kubectl 1.32's output against the same answers, except the ages of events and
// pods, which here come from the cluster's simulated clock (env.now) where real
// kubectl uses the wall clock.
import { describe, expect, it } from 'vitest'
import { richCluster } from './fixtures'
import { type Golden, run } from './run'

const DEMO: Golden[] = [
  { line: "describe pod web-7d4b9c8f6-abcde", code: 0, out: `Name:             web-7d4b9c8f6-abcde
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/172.18.0.3
Start Time:       Sun, 01 Mar 2026 11:50:01 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c8f6
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7d4b9c8f6
Containers:
  nginx:
    Container ID:   containerd://web-7d4b9c8f6-abcde
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0a1b2c
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Sun, 01 Mar 2026 11:50:08 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    Burstable
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  9m59s  default-scheduler  Successfully assigned default/web-7d4b9c8f6-abcde to worker-1
  Normal  Pulled     9m56s  kubelet            Container image "nginx:1.27" already present on machine
`, err: `` },
  { line: "describe pod big", code: 0, out: `Name:         big
Namespace:    default
Priority:     0
Node:         <none>
Labels:       run=big
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  big:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Requests:
      cpu:        64
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
`, err: `` },
  { line: "describe deploy web", code: 0, out: `Name:                   web
Namespace:              default
CreationTimestamp:      Sun, 01 Mar 2026 11:50:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=web
Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       80/TCP
    Host Port:  0/TCP
    Limits:
      memory:  256Mi
    Requests:
      cpu:         100m
      memory:      128Mi
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   web-7d4b9c8f6 (2/2 replicas created)
Events:          <none>
`, err: `` },
  { line: "describe rs", code: 0, out: `Name:           web-7d4b9c8f6
Namespace:      default
Selector:       app=web,pod-template-hash=7d4b9c8f6
Labels:         app=web
                pod-template-hash=7d4b9c8f6
Annotations:    deployment.kubernetes.io/desired-replicas: 2
                deployment.kubernetes.io/max-replicas: 3
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       2 current / 2 desired
Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
           pod-template-hash=7d4b9c8f6
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       80/TCP
    Host Port:  0/TCP
    Limits:
      memory:  256Mi
    Requests:
      cpu:         100m
      memory:      128Mi
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`, err: `` },
  { line: "describe svc web", code: 0, out: `Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.12.34
IPs:                      10.96.12.34
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
Endpoints:                10.244.1.5:80,10.244.2.7:80
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
`, err: `` },
  { line: "describe ns default", code: 0, out: `Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
`, err: `` },
  { line: "describe pods web", code: 0, out: `Name:             web-7d4b9c8f6-abcde
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/172.18.0.3
Start Time:       Sun, 01 Mar 2026 11:50:01 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c8f6
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7d4b9c8f6
Containers:
  nginx:
    Container ID:   containerd://web-7d4b9c8f6-abcde
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0a1b2c
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Sun, 01 Mar 2026 11:50:08 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    Burstable
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  9m59s  default-scheduler  Successfully assigned default/web-7d4b9c8f6-abcde to worker-1
  Normal  Pulled     9m56s  kubelet            Container image "nginx:1.27" already present on machine

Name:             web-7d4b9c8f6-fghij
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-2/172.18.0.4
Start Time:       Sun, 01 Mar 2026 11:50:01 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c8f6
Annotations:      <none>
Status:           Running
IP:               10.244.2.7
IPs:
  IP:           10.244.2.7
Controlled By:  ReplicaSet/web-7d4b9c8f6
Containers:
  nginx:
    Container ID:   containerd://web-7d4b9c8f6-fghij
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0a1b2c
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Sun, 01 Mar 2026 11:50:08 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    Burstable
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:                       <none>

`, err: `` },
  { line: "describe pods nope", code: 1, out: ``, err: `Error from server (NotFound): pods "nope" not found
` },
  { line: "describe endpointslices", code: 0, out: `Name:         web-x1y2z
Namespace:    default
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  10.244.1.5
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7d4b9c8f6-abcde
    NodeName:   worker-1
    Zone:       <unset>
  - Addresses:  10.244.2.7
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7d4b9c8f6-fghij
    NodeName:   worker-2
    Zone:       <unset>
Events:         <none>
`, err: `` },
  { line: "describe node worker-1", code: 0, out: `Name:               worker-1
Roles:              <none>
Labels:             kubernetes.io/hostname=worker-1
                    kubernetes.io/os=linux
                    topology.kubernetes.io/zone=zone-a
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Sun, 01 Mar 2026 10:00:00 +0000
Taints:             <none>
Unschedulable:      false
Lease:              Failed to get lease: leases.coordination.k8s.io "worker-1" not found
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:10 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.3
  Hostname:    worker-1
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16284Mi
  pods:               110
System Info:
  Machine ID:                 abc123
  System UUID:                a-b-c
  Boot ID:                    boot-1
  Kernel Version:             6.1.0
  OS Image:                   Wheelhouse Linux
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  wheelhouse://1.0
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         v1.32.0
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
ProviderID:                   wheelhouse://worker-1
Non-terminated Pods:          (1 in total)
  Namespace                   Name                   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                   ------------  ----------  ---------------  -------------  ---
  default                     web-7d4b9c8f6-abcde    100m (2%)     0 (0%)      128Mi (0%)       256Mi (1%)     10m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                100m (2%)   0 (0%)
  memory             128Mi (0%)  256Mi (1%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
`, err: `` },
]

const RICH: Golden[] = [
  { line: "describe pod crash", code: 0, out: `Name:             crash
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-3/172.18.0.5
Start Time:       Sun, 01 Mar 2026 11:45:01 +0000
Labels:           app=crash
Annotations:      note: restarts a lot
Status:           Running
IP:               10.244.3.9
IPs:
  IP:  10.244.3.9
Init Containers:
  setup:
    Container ID:  containerd://setup
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:1
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo ready > /work/ready
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Sun, 01 Mar 2026 11:45:02 +0000
      Finished:     Sun, 01 Mar 2026 11:45:03 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /work from work (rw)
Containers:
  app:
    Container ID:  containerd://app-7
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:1
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
    Args:
      echo starting; exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Sun, 01 Mar 2026 11:54:40 +0000
      Finished:     Sun, 01 Mar 2026 11:54:41 +0000
    Ready:          False
    Restart Count:  7
    Limits:
      cpu:     500m
      memory:  64Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Liveness:   http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3
    Readiness:  exec [cat /work/ready] delay=0s timeout=1s period=5s #success=1 #failure=3
    Environment Variables from:
      settings  ConfigMap  Optional: false
    Environment:
      MODE:      debug
      POD_NAME:  crash (v1:metadata.name)
      COLOR:     <set to the key 'color' of config map 'settings'>  Optional: false
      MEM:       67108864 (limits.memory)
    Mounts:
      /etc/app from config (ro)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
      /work from work (rw)
Conditions:
  Type           Status
  Ready          False 
  PodScheduled   True 
Volumes:
  work:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      settings
    Optional:  false
  kube-api-access-x7k2p:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              kubernetes.io/os=linux
Tolerations:                 op=Exists
                             dedicated=infra:NoExecute
Events:
  Type     Reason   Age                 From     Message
  ----     ------   ----                ----     -------
  Warning  BackOff  10s (x42 over 14m)  kubelet  Back-off restarting failed container app in pod crash_default(uid-crash)
`, err: `` },
  { line: "describe node worker-3", code: 0, out: `Name:               worker-3
Roles:              infra
Labels:             kubernetes.io/hostname=worker-3
                    node-role.kubernetes.io/infra=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Sun, 01 Mar 2026 10:00:00 +0000
Taints:             dedicated=infra:NoExecute
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  worker-3
  AcquireTime:     <unset>
  RenewTime:       Sun, 01 Mar 2026 11:59:55 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Sun, 01 Mar 2026 11:59:30 +0000   Sun, 01 Mar 2026 10:00:10 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.5
  Hostname:    worker-3
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16284Mi
  pods:               110
System Info:
  Machine ID:                 abc123
  System UUID:                a-b-c
  Boot ID:                    boot-1
  Kernel Version:             6.1.0
  OS Image:                   Wheelhouse Linux
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  wheelhouse://1.0
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         v1.32.0
PodCIDR:                      10.244.3.0/24
PodCIDRs:                     10.244.3.0/24
ProviderID:                   wheelhouse://worker-3
Non-terminated Pods:          (1 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     crash    250m (6%)     500m (12%)  64Mi (0%)        64Mi (0%)      15m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests   Limits
  --------           --------   ------
  cpu                250m (6%)  500m (12%)
  memory             64Mi (0%)  64Mi (0%)
  ephemeral-storage  0 (0%)     0 (0%)
Events:              <none>
`, err: `` },
]

describe('kubectl describe', () => {
  it.each(DEMO)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it.each(RICH)('$line (crash-looping pod, tainted node)', async (g) => {
    const r = await run(g.line, richCluster())
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('finds a pod\'s events by name, namespace and uid, as kubectl asks', async () => {
    const r = await run('describe pod web-7d4b9c8f6-abcde')
    const ev = r.cluster.requests.find((q) => q.path === '/api/v1/namespaces/default/events')!
    expect(ev.query.fieldSelector).toBe('involvedObject.name=web-7d4b9c8f6-abcde,involvedObject.namespace=default,involvedObject.uid=uid-web-7d4b9c8f6-abcde')
  })
})
