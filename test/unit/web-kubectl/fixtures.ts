// A small cluster as our server would hold it: two nodes, the web Deployment
// with its ReplicaSet and pods, a pending pod, Services, a ConfigMap, events.
import { ago, FakeCluster } from './fake-cluster'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>

export function node(name: string, ip: string, cidr: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: ago(7200),
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': name === 'worker-1' ? 'zone-a' : 'zone-b' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      ...extra.metadata,
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `wheelhouse://${name}`, ...extra.spec },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '100Gi', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '100Gi', memory: '16284Mi', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(30), lastTransitionTime: ago(7200), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: ago(30), lastTransitionTime: ago(7200), reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: ago(30), lastTransitionTime: ago(7200), reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: ago(30), lastTransitionTime: ago(7190), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: { machineID: 'abc123', systemUUID: 'a-b-c', bootID: 'boot-1', kernelVersion: '6.1.0', osImage: 'Wheelhouse Linux', containerRuntimeVersion: 'wheelhouse://1.0', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
      ...extra.status,
    },
  }
}

export function webPod(name: string, nodeName: string, ip: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: ago(600),
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: 'uid-rs', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      nodeName,
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      ...extra.spec,
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: ago(595) },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ago(598) },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: ago(590) },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: ago(590) },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(599) },
      ],
      hostIP: nodeName === 'worker-1' ? '172.18.0.3' : '172.18.0.4',
      hostIPs: [{ ip: nodeName === 'worker-1' ? '172.18.0.3' : '172.18.0.4' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ago(599),
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: 'nginx',
          state: { running: { startedAt: ago(592) } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'docker.io/library/nginx:1.27',
          imageID: 'docker.io/library/nginx@sha256:0a1b2c',
          containerID: `containerd://${name}`,
          started: true,
        },
      ],
      ...extra.status,
    },
  }
}

export function demoCluster(): FakeCluster {
  const c = new FakeCluster()
  c.add(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(7300), labels: { 'kubernetes.io/metadata.name': 'default' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', creationTimestamp: ago(7300), labels: { 'kubernetes.io/metadata.name': 'kube-system' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    node('worker-1', '172.18.0.3', '10.244.1.0/24'),
    node('worker-2', '172.18.0.4', '10.244.2.0/24'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-deploy', generation: 1, creationTimestamp: ago(600), labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', lastUpdateTime: ago(580), lastTransitionTime: ago(580), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
          { type: 'Progressing', status: 'True', lastUpdateTime: ago(580), lastTransitionTime: ago(600), reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-7d4b9c8f6" has successfully progressed.' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-7d4b9c8f6',
        namespace: 'default',
        uid: 'uid-rs',
        creationTimestamp: ago(600),
        labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
        annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3', 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deploy', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' } },
        template: { metadata: { labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }] } },
      },
      status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
    },
    webPod('web-7d4b9c8f6-abcde', 'worker-1', '10.244.1.5'),
    webPod('web-7d4b9c8f6-fghij', 'worker-2', '10.244.2.7'),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big', namespace: 'default', creationTimestamp: ago(120), labels: { run: 'big' } },
      spec: { containers: [{ name: 'big', image: 'busybox', resources: { requests: { cpu: '64' } } }], restartPolicy: 'Always', schedulerName: 'default-scheduler', priority: 0 },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: ago(120), reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.' }],
        qosClass: 'Burstable',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ago(7300), labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(590), labels: { app: 'web' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-x1y2z', namespace: 'default', creationTimestamp: ago(590), labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'worker-1', targetRef: { kind: 'Pod', name: 'web-7d4b9c8f6-abcde', namespace: 'default' } },
        { addresses: ['10.244.2.7'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'worker-2', targetRef: { kind: 'Pod', name: 'web-7d4b9c8f6-fghij', namespace: 'default' } },
      ],
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default', creationTimestamp: ago(300) }, data: { color: 'blue', 'app.properties': 'a=1\nb=2\n' } },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-7d4b9c8f6-abcde.1', namespace: 'default', creationTimestamp: ago(599) },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c8f6-abcde', uid: 'uid-web-7d4b9c8f6-abcde', apiVersion: 'v1' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-7d4b9c8f6-abcde to worker-1',
      source: { component: 'default-scheduler' },
      firstTimestamp: ago(599),
      lastTimestamp: ago(599),
      count: 1,
      type: 'Normal',
      reportingComponent: 'default-scheduler',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web-7d4b9c8f6-abcde.2', namespace: 'default', creationTimestamp: ago(596) },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c8f6-abcde', uid: 'uid-web-7d4b9c8f6-abcde', apiVersion: 'v1', fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: ago(596),
      lastTimestamp: ago(596),
      count: 1,
      type: 'Normal',
    },
  )
  for (const [pod, ip] of [['web-7d4b9c8f6-abcde', '10.244.0.1'], ['web-7d4b9c8f6-fghij', '10.244.0.9']])
    c.logs.set(`default/${pod}/nginx`, `/docker-entrypoint.sh: Configuration complete; ready for start up\n${ip} - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n${ip} - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"\n`)
  return c
}

/** demoCluster plus a crash-looping pod with env, volumes and probes, a cordoned tainted node and a node Lease. */
export function richCluster(): FakeCluster {
  const c = demoCluster()
  c.add(
    node('worker-3', '172.18.0.5', '10.244.3.0/24', {
      metadata: { labels: { 'kubernetes.io/hostname': 'worker-3', 'node-role.kubernetes.io/infra': '' } },
      spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ago(60) }, { key: 'dedicated', value: 'infra', effect: 'NoExecute' }] },
    }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease', creationTimestamp: ago(7300) }, status: { phase: 'Active' } },
    { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'worker-3', namespace: 'kube-node-lease', creationTimestamp: ago(7200) }, spec: { holderIdentity: 'worker-3', leaseDurationSeconds: 40, renewTime: '2026-03-01T11:59:55.123456Z' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crash', namespace: 'default', uid: 'uid-crash', creationTimestamp: ago(900), labels: { app: 'crash' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n', note: 'restarts a lot' } },
      spec: {
        nodeName: 'worker-3',
        initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo ready > /work/ready'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sh', '-c'],
            args: ['echo starting; exit 1'],
            env: [
              { name: 'MODE', value: 'debug' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
            ],
            envFrom: [{ configMapRef: { name: 'settings' } }],
            resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
            readinessProbe: { exec: { command: ['cat', '/work/ready'] }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
            volumeMounts: [
              { name: 'work', mountPath: '/work' },
              { name: 'config', mountPath: '/etc/app', readOnly: true },
              { name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'work', emptyDir: {} },
          { name: 'config', configMap: { name: 'settings' } },
          { name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }], defaultMode: 420 } },
        ],
        restartPolicy: 'Always',
        serviceAccountName: 'default',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoExecute' }, { operator: 'Exists' }],
        priority: 0,
      },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: ago(850), reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(900) },
        ],
        hostIP: '172.18.0.5',
        podIP: '10.244.3.9',
        podIPs: [{ ip: '10.244.3.9' }],
        startTime: ago(899),
        initContainerStatuses: [{ name: 'setup', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ago(898), finishedAt: ago(897), containerID: 'containerd://setup' } }, lastState: {}, ready: true, restartCount: 0, image: 'docker.io/library/busybox:1.36', imageID: 'docker.io/library/busybox@sha256:1', containerID: 'containerd://setup' }],
        containerStatuses: [
          {
            name: 'app',
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app pod=crash_default(uid-crash)' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(320), finishedAt: ago(319), containerID: 'containerd://app-7' } },
            ready: false,
            restartCount: 7,
            image: 'docker.io/library/busybox:1.36',
            imageID: 'docker.io/library/busybox@sha256:1',
            containerID: 'containerd://app-7',
            started: false,
          },
        ],
      },
    },
    ...apiDeployment(),
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'crash.backoff', namespace: 'default', creationTimestamp: ago(850) },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'crash', uid: 'uid-crash', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod crash_default(uid-crash)',
      source: { component: 'kubelet', host: 'worker-3' },
      firstTimestamp: ago(850),
      lastTimestamp: ago(10),
      count: 42,
      type: 'Warning',
    },
  )
  c.logs.set('default/crash/setup', '')
  c.logs.set('default/crash/app', 'starting\n')
  c.logs.set('default/crash/app/previous', 'starting\nerror: cannot open /work/ready\n')
  return c
}

/** The api Deployment at revision 2 (nginx:1.26 → 1.27), its two ReplicaSets, and the paused Deployment "frozen". */
function apiDeployment(): Obj[] {
  const template = (image: string, hash?: string) => ({ metadata: { labels: { app: 'api', ...(hash ? { 'pod-template-hash': hash } : {}) } }, spec: { containers: [{ name: 'api', image, imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always' } })
  const rs = (name: string, hash: string, image: string, rev: string, replicas: number, cause: string, age: number): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', creationTimestamp: ago(age), labels: { app: 'api', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': rev, 'kubernetes.io/change-cause': cause }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'uid-api', controller: true, blockOwnerDeletion: true }] },
    spec: { replicas, selector: { matchLabels: { app: 'api', 'pod-template-hash': hash } }, template: template(image, hash) },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
  })
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'default', uid: 'uid-api', generation: 2, creationTimestamp: ago(3000), labels: { app: 'api' }, annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'kubectl set image deploy/api api=nginx:1.27' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: template('nginx:1.27'), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
      status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
    },
    rs('api-5f6c7d8b9', '5f6c7d8b9', 'nginx:1.26', '1', 0, 'kubectl create deployment api --image=nginx:1.26', 3000),
    rs('api-6b7c8d9f0', '6b7c8d9f0', 'nginx:1.27', '2', 1, 'kubectl set image deploy/api api=nginx:1.27', 1000),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'frozen', namespace: 'default', uid: 'uid-frozen', generation: 3, creationTimestamp: ago(3000), labels: { app: 'frozen' } },
      spec: { replicas: 1, paused: true, selector: { matchLabels: { app: 'frozen' } }, template: { metadata: { labels: { app: 'frozen' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      status: { observedGeneration: 2, replicas: 1, updatedReplicas: 0, availableReplicas: 1 },
    },
  ]
}

/** Watch events for pods: a pod becomes not ready, the pending one goes, a new one comes. */
export function scriptPodWatch(c: FakeCluster): void {
  const abcde = structuredClone(c.get('v1', 'Pod', 'web-7d4b9c8f6-abcde', 'default')!)
  abcde.metadata.resourceVersion = '201'
  abcde.status.containerStatuses[0].ready = false
  abcde.status.containerStatuses[0].restartCount = 1
  abcde.status.conditions[2].status = 'False'
  const big = structuredClone(c.get('v1', 'Pod', 'big', 'default')!)
  big.metadata.resourceVersion = '202'
  const fresh = webPod('web-7d4b9c8f6-klmno', 'worker-2', '10.244.2.8', { status: { phase: 'Pending', conditions: [], containerStatuses: [{ name: 'nginx', state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: 'nginx:1.27', imageID: '' }] } })
  fresh.metadata.resourceVersion = '203'
  fresh.metadata.uid = 'uid-klmno'
  fresh.metadata.creationTimestamp = ago(1)
  c.watchEvents.set('pods', [
    { type: 'MODIFIED', object: abcde },
    { type: 'DELETED', object: big },
    { type: 'ADDED', object: fresh },
  ])
}

/** Watch events for the named pod "big": the initial event a watch from resourceVersion 0 replays, then a change. */
export function scriptBigWatch(c: FakeCluster): void {
  const big = c.get('v1', 'Pod', 'big', 'default')!
  const later = structuredClone(big)
  later.metadata.resourceVersion = '210'
  later.metadata.labels = { ...later.metadata.labels, tier: 'batch' }
  c.watchEvents.set('pods', [
    { type: 'ADDED', object: big },
    { type: 'MODIFIED', object: later },
  ])
}
