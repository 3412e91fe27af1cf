// Manifests to start from in the YAML editor, each showing one thing the
// cluster does. Images are from the simulated registry (worker/sim/registry).

export interface Example {
  id: string
  title: string
  /** What to watch for after applying it. */
  note: string
  yaml: string
}

export const EXAMPLES: Example[] = [
  {
    id: 'deployment',
    title: 'Deployment',
    note: 'Three nginx pods spread over the nodes.',
    yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 250m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /
            port: 80
`,
  },
  {
    id: 'service',
    title: 'Service',
    note: 'A ClusterIP Service for the web pods: watch its endpoints.',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`,
  },
  {
    id: 'loadbalancer',
    title: 'LoadBalancer Service',
    note: 'The simulated cloud gives it an external IP.',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: web-public
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`,
  },
  {
    id: 'configmap',
    title: 'ConfigMap',
    note: 'Configuration a pod can mount or read as environment.',
    yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  LOG_LEVEL: info
  config.yaml: |
    greeting: hello
    retries: 3
`,
  },
  {
    id: 'crashloop',
    title: 'Crash-looping pod',
    note: 'Exits after 5 s, again and again: CrashLoopBackOff with a growing back-off.',
    yaml: `apiVersion: v1
kind: Pod
metadata:
  name: crashloop
spec:
  containers:
  - name: app
    image: wheelhouse/crashloop:v1
`,
  },
  {
    id: 'unschedulable',
    title: 'Pod that cannot be scheduled',
    note: 'Asks for 64 CPUs: it stays Pending, and the Pending panel shows why, node by node.',
    yaml: `apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: "64"
        memory: 1Gi
`,
  },
  {
    id: 'memory-leak',
    title: 'Memory leak',
    note: 'Grows until its limit kills it: OOMKilled.',
    yaml: `apiVersion: v1
kind: Pod
metadata:
  name: leaky
spec:
  containers:
  - name: app
    image: wheelhouse/memory-leak:v1
    resources:
      limits:
        memory: 128Mi
`,
  },
]
