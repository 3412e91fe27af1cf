// core/v1 Container and what it embeds: ports, env, resources, mounts, probes,
// lifecycle hooks and the container security context.
import { IntOrString, Quantity, quantityMap } from './meta'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  enumStr,
  int32,
  int64,
  mapList,
  mergeList,
  obj,
  ref,
  str,
} from './t'

const C = 'io.k8s.api.core.v1.'

export const ContainerPort = def(
  C + 'ContainerPort',
  obj(
    'A network port in a single container.',
    {
      name: str('An IANA_SVC_NAME for the port, unique within the pod; services can refer to it.'),
      hostPort: int32('Port to expose on the host (rarely needed).'),
      containerPort: int32('Port to expose on the pod IP address, 0 < x < 65536.'),
      protocol: enumStr(
        ['SCTP', 'TCP', 'UDP'],
        'Protocol for the port: TCP (default), UDP or SCTP.',
      ),
      hostIP: str('Host IP to bind the external port to.'),
    },
    ['containerPort'],
  ),
)

export const ObjectFieldSelector = def(
  C + 'ObjectFieldSelector',
  obj(
    'Selects a field of the pod, e.g. metadata.name or status.podIP.',
    {
      apiVersion: str('Version of the schema the fieldPath is written in; "v1" by default.'),
      fieldPath: str('Path of the field to select.'),
    },
    ['fieldPath'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
export const ResourceFieldSelector = def(
  C + 'ResourceFieldSelector',
  obj(
    'Selects a container resource (limits.cpu, requests.memory, ...) and its output format.',
    {
      containerName: str('Container name; required for volumes, optional for env vars.'),
      resource: str('Resource to select.'),
      divisor: ref(Quantity, 'Output format of the exposed resource; 1 by default.'),
    },
    ['resource'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
const keySelector = (what: string) =>
  def(
    C + `${what}KeySelector`,
    obj(
      `Selects a key of a ${what}.`,
      {
        name: str(`Name of the ${what}.`),
        key: str('The key to select.'),
        optional: bool(`Whether the ${what} or its key must exist.`),
      },
      ['key'],
      { 'x-kubernetes-map-type': 'atomic' },
    ),
  )
export const ConfigMapKeySelector = keySelector('ConfigMap')
export const SecretKeySelector = keySelector('Secret')

export const EnvVarSource = def(
  C + 'EnvVarSource',
  obj('Where an environment variable value comes from.', {
    fieldRef: ref(ObjectFieldSelector, 'A field of the pod.'),
    resourceFieldRef: ref(ResourceFieldSelector, 'A resource of the container.'),
    configMapKeyRef: ref(ConfigMapKeySelector, 'A key of a ConfigMap.'),
    secretKeyRef: ref(SecretKeySelector, 'A key of a secret in the pod namespace.'),
  }),
)
export const EnvVar = def(
  C + 'EnvVar',
  obj(
    'An environment variable present in a container.',
    {
      name: str('Name of the variable.'),
      value: str('Value; $(VAR_NAME) references to earlier variables are expanded.'),
      valueFrom: ref(EnvVarSource, 'Source of the value; cannot be used with a non-empty value.'),
    },
    ['name'],
  ),
)
const envSourceRef = (what: string) =>
  def(
    C + `${what}EnvSource`,
    obj(`Selects a ${what} whose keys become environment variables.`, {
      name: str(`Name of the ${what}.`),
      optional: bool(`Whether the ${what} must exist.`),
    }),
  )
export const EnvFromSource = def(
  C + 'EnvFromSource',
  obj('A source of a set of environment variables.', {
    prefix: str('Identifier prepended to each key.'),
    configMapRef: ref(envSourceRef('ConfigMap'), 'The ConfigMap to take variables from.'),
    secretRef: ref(envSourceRef('Secret'), 'The Secret to take variables from.'),
  }),
)

export const ResourceRequirements = def(
  C + 'ResourceRequirements',
  obj('Compute resource requirements.', {
    limits: quantityMap('Maximum amount of compute resources allowed.'),
    requests: quantityMap('Minimum amount of compute resources required; defaults to limits.'),
    claims: mapList(
      def(
        C + 'ResourceClaim',
        obj('A reference to a pod resource claim.', { name: str('Claim name.') }, ['name']),
      ),
      'Dynamically allocated resources used by the container.',
      ['name'],
    ),
  }),
)

export const VolumeMount = def(
  C + 'VolumeMount',
  obj(
    'Mounting of a volume within a container.',
    {
      name: str('Name of a volume of the pod.'),
      readOnly: bool('Mount read-only if true.'),
      mountPath: str('Path in the container where the volume is mounted; must not contain ":".'),
      subPath: str('Path within the volume to mount instead of its root.'),
      subPathExpr: str('Like subPath, with $(VAR_NAME) expansion.'),
      mountPropagation: str('How mounts propagate between host and container.'),
      recursiveReadOnly: str('Whether read-only mounts are recursively read-only.'),
    },
    ['name', 'mountPath'],
  ),
)
export const VolumeDevice = def(
  C + 'VolumeDevice',
  obj(
    'Mapping of a raw block device within a container.',
    {
      name: str('Name of a persistentVolumeClaim in the pod.'),
      devicePath: str('Path inside the container.'),
    },
    ['name', 'devicePath'],
  ),
)

export const ExecAction = def(
  C + 'ExecAction',
  obj('Runs a command in the container.', {
    command: atomicStrList('Command line to run; exit status 0 means healthy. Not run in a shell.'),
  }),
)
export const HTTPHeader = def(
  C + 'HTTPHeader',
  obj('A custom HTTP header.', { name: str('Header name.'), value: str('Header value.') }, [
    'name',
    'value',
  ]),
)
export const HTTPGetAction = def(
  C + 'HTTPGetAction',
  obj(
    'An HTTP GET request.',
    {
      path: str('Path to access.'),
      port: ref(IntOrString, 'Port number or name on the container.'),
      host: str('Host name; defaults to the pod IP.'),
      scheme: enumStr(['HTTP', 'HTTPS'], 'Scheme; HTTP by default.'),
      httpHeaders: atomicList(HTTPHeader, 'Custom request headers.'),
    },
    ['port'],
  ),
)
export const TCPSocketAction = def(
  C + 'TCPSocketAction',
  obj(
    'Opens a TCP connection.',
    {
      port: ref(IntOrString, 'Port number or name on the container.'),
      host: str('Host; defaults to the pod IP.'),
    },
    ['port'],
  ),
)
export const GRPCAction = def(
  C + 'GRPCAction',
  obj(
    'Calls the gRPC health checking protocol.',
    {
      port: int32('Port number of the gRPC service.'),
      service: str('Service name placed in the request.'),
    },
    ['port'],
  ),
)
export const Probe = def(
  C + 'Probe',
  obj('A health check performed on the container to decide whether it is alive or ready.', {
    exec: ref(ExecAction, 'A command to run.'),
    httpGet: ref(HTTPGetAction, 'An HTTP request to perform.'),
    tcpSocket: ref(TCPSocketAction, 'A TCP port to open.'),
    grpc: ref(GRPCAction, 'A gRPC health check.'),
    initialDelaySeconds: int32('Seconds after the container started before probes begin.'),
    timeoutSeconds: int32('Seconds after which the probe times out; 1 by default.'),
    periodSeconds: int32('How often, in seconds, to probe; 10 by default.'),
    successThreshold: int32('Consecutive successes needed after a failure; 1 by default.'),
    failureThreshold: int32('Consecutive failures needed to give up; 3 by default.'),
    terminationGracePeriodSeconds: int64(
      'Grace period used when the probe fails, overriding the pod value.',
    ),
  }),
)
export const LifecycleHandler = def(
  C + 'LifecycleHandler',
  obj('An action taken by a lifecycle hook.', {
    exec: ref(ExecAction, 'A command to run.'),
    httpGet: ref(HTTPGetAction, 'An HTTP request to perform.'),
    tcpSocket: ref(TCPSocketAction, 'Deprecated; kept for compatibility.'),
    sleep: def(
      C + 'SleepAction',
      obj('Sleeps for a while.', { seconds: int64('Seconds to sleep.') }, ['seconds']),
    ),
  }),
)
export const Lifecycle = def(
  C + 'Lifecycle',
  obj('Actions the system takes in response to container lifecycle events.', {
    postStart: ref(LifecycleHandler, 'Called right after the container is created.'),
    preStop: ref(LifecycleHandler, 'Called right before the container is terminated.'),
    stopSignal: str('Signal used to stop the container.'),
  }),
)

export const Capabilities = def(
  C + 'Capabilities',
  obj('POSIX capabilities to add to or drop from a container.', {
    add: atomicStrList('Capabilities to add.'),
    drop: atomicStrList('Capabilities to drop.'),
  }),
)
export const SELinuxOptions = def(
  C + 'SELinuxOptions',
  obj('SELinux labels applied to a container.', {
    user: str('SELinux user label.'),
    role: str('SELinux role label.'),
    type: str('SELinux type label.'),
    level: str('SELinux level label.'),
  }),
)
export const SeccompProfile = def(
  C + 'SeccompProfile',
  obj(
    'A seccomp profile.',
    {
      type: enumStr(['Localhost', 'RuntimeDefault', 'Unconfined'], 'Kind of profile.'),
      localhostProfile: str('Profile file on the node, for type Localhost.'),
    },
    ['type'],
  ),
)
export const SecurityContext = def(
  C + 'SecurityContext',
  obj('Security options applied to a container; they override the pod security context.', {
    capabilities: ref(Capabilities, 'Capabilities to add or drop.'),
    privileged: bool('Run the container in privileged mode.'),
    seLinuxOptions: ref(SELinuxOptions, 'SELinux context of the container.'),
    runAsUser: int64('UID to run the entrypoint as.'),
    runAsGroup: int64('GID to run the entrypoint as.'),
    runAsNonRoot: bool('Require the container to run as a non-root user.'),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
    allowPrivilegeEscalation: bool('Whether a process can gain more privileges than its parent.'),
    procMount: str('Type of proc mount to use.'),
    seccompProfile: ref(SeccompProfile, 'Seccomp options.'),
  }),
)

export const Container = def(
  C + 'Container',
  obj(
    'A single application container to run within a pod.',
    {
      name: str('Name of the container, a DNS label unique within the pod.'),
      image: str('Container image name.'),
      command: atomicStrList("Entrypoint array; the image's ENTRYPOINT is used if not given."),
      args: atomicStrList("Arguments to the entrypoint; the image's CMD is used if not given."),
      workingDir: str("Working directory; the image's default if not given."),
      ports: mergeList(ContainerPort, 'Ports to expose from the container.', 'containerPort', [
        'containerPort',
        'protocol',
      ]),
      envFrom: atomicList(EnvFromSource, 'Sources whose keys become environment variables.'),
      env: mergeList(EnvVar, 'Environment variables to set in the container.', 'name'),
      resources: ref(ResourceRequirements, 'Compute resources required by the container.'),
      resizePolicy: atomicList(
        def(
          C + 'ContainerResizePolicy',
          obj(
            'How a resource is resized.',
            {
              resourceName: str('Resource name.'),
              restartPolicy: str('NotRequired or RestartContainer.'),
            },
            ['resourceName', 'restartPolicy'],
          ),
        ),
        'Resize policy per resource.',
      ),
      restartPolicy: str('For init containers only: "Always" makes it a sidecar.'),
      volumeMounts: mergeList(
        VolumeMount,
        "Volumes to mount into the container's filesystem.",
        'mountPath',
        ['mountPath'],
      ),
      volumeDevices: mergeList(VolumeDevice, 'Block devices used by the container.', 'devicePath'),
      livenessProbe: ref(Probe, 'Periodic liveness check; the container restarts when it fails.'),
      readinessProbe: ref(
        Probe,
        'Periodic readiness check; the pod leaves service endpoints when it fails.',
      ),
      startupProbe: ref(Probe, 'Check that must succeed before the other probes start.'),
      lifecycle: ref(Lifecycle, 'Actions to take on container lifecycle events.'),
      terminationMessagePath: str(
        'File the termination message is read from; /dev/termination-log by default.',
      ),
      terminationMessagePolicy: enumStr(
        ['FallbackToLogsOnError', 'File'],
        'How the termination message is filled.',
      ),
      imagePullPolicy: enumStr(['Always', 'IfNotPresent', 'Never'], 'When to pull the image.'),
      securityContext: ref(SecurityContext, 'Security options for the container.'),
      stdin: bool('Allocate a buffer for stdin.'),
      stdinOnce: bool('Close stdin after the first attach ends.'),
      tty: bool('Allocate a TTY; needs stdin.'),
    },
    ['name'],
  ),
)
export const containerList = (description: string) => mergeList(Container, description, 'name')
