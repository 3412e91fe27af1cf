// kubectl explain over the server's OpenAPI v3: as real kubectl 1.32 printed
// it for the same documents (its plaintext template, word wrapping at 76).
import { describe, expect, it } from 'vitest'
import { wrapString } from '../../../web/src/kubectl/explain'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "explain deployment", code: 0, out: `GROUP:      apps
KIND:       Deployment
VERSION:    v1

DESCRIPTION:
    Declarative updates for pods and ReplicaSets.
    
FIELDS:
  apiVersion	<string>
    Versioned schema of this representation, e.g. "apps/v1".

  kind	<string>
    REST resource this object represents, in CamelCase.

  metadata	<ObjectMeta>
    Standard object's metadata.

  spec	<DeploymentSpec>
    Desired behavior of the deployment.

  status	<DeploymentStatus>
    Most recently observed status of the deployment (read-only).


`, err: `` },
  { line: "explain deployment.spec.strategy", code: 0, out: `GROUP:      apps
KIND:       Deployment
VERSION:    v1

FIELD: strategy <DeploymentStrategy>


DESCRIPTION:
    How to replace existing pods.
    How existing pods are replaced by new ones.
    
FIELDS:
  rollingUpdate	<RollingUpdateDeployment>
    Rolling update parameters, for type RollingUpdate.

  type	<string>
    Recreate or RollingUpdate (default).


`, err: `` },
  { line: "explain pods.spec.containers", code: 0, out: `KIND:       Pod
VERSION:    v1

FIELD: containers <[]Container>


DESCRIPTION:
    The containers of the pod; at least one.
    A single application container to run within a pod.
    
FIELDS:
  args	<[]string>
    Arguments to the entrypoint; the image's CMD is used if not given.

  command	<[]string>
    Entrypoint array; the image's ENTRYPOINT is used if not given.

  env	<[]EnvVar>
    Environment variables to set in the container.

  envFrom	<[]EnvFromSource>
    Sources whose keys become environment variables.

  image	<string>
    Container image name.

  imagePullPolicy	<string>
  enum: Always, IfNotPresent, Never
    When to pull the image.

  lifecycle	<Lifecycle>
    Actions to take on container lifecycle events.

  livenessProbe	<Probe>
    Periodic liveness check; the container restarts when it fails.

  name	<string> -required-
    Name of the container, a DNS label unique within the pod.

  ports	<[]ContainerPort>
    Ports to expose from the container.

  readinessProbe	<Probe>
    Periodic readiness check; the pod leaves service endpoints when it fails.

  resizePolicy	<[]ContainerResizePolicy>
    Resize policy per resource.

  resources	<ResourceRequirements>
    Compute resources required by the container.

  restartPolicy	<string>
    For init containers only: "Always" makes it a sidecar.

  securityContext	<SecurityContext>
    Security options for the container.

  startupProbe	<Probe>
    Check that must succeed before the other probes start.

  stdin	<boolean>
    Allocate a buffer for stdin.

  stdinOnce	<boolean>
    Close stdin after the first attach ends.

  terminationMessagePath	<string>
    File the termination message is read from; /dev/termination-log by default.

  terminationMessagePolicy	<string>
  enum: FallbackToLogsOnError, File
    How the termination message is filled.

  tty	<boolean>
    Allocate a TTY; needs stdin.

  volumeDevices	<[]VolumeDevice>
    Block devices used by the container.

  volumeMounts	<[]VolumeMount>
    Volumes to mount into the container's filesystem.

  workingDir	<string>
    Working directory; the image's default if not given.


`, err: `` },
  { line: "explain pod.spec.containers.imagePullPolicy", code: 0, out: `KIND:       Pod
VERSION:    v1

FIELD: imagePullPolicy <string>
ENUM:
    Always
    IfNotPresent
    Never

DESCRIPTION:
    When to pull the image.
    

`, err: `` },
  { line: "explain svc.spec.type", code: 0, out: `KIND:       Service
VERSION:    v1

FIELD: type <string>
ENUM:
    ClusterIP
    ExternalName
    LoadBalancer
    NodePort

DESCRIPTION:
    How the service is exposed.
    

`, err: `` },
  { line: "explain deploy --recursive", code: 0, out: `GROUP:      apps
KIND:       Deployment
VERSION:    v1

DESCRIPTION:
    Declarative updates for pods and ReplicaSets.
    
FIELDS:
  apiVersion	<string>
  kind	<string>
  metadata	<ObjectMeta>
    annotations	<map[string]string>
    creationTimestamp	<string>
    deletionGracePeriodSeconds	<integer>
    deletionTimestamp	<string>
    finalizers	<[]string>
    generateName	<string>
    generation	<integer>
    labels	<map[string]string>
    managedFields	<[]ManagedFieldsEntry>
      apiVersion	<string>
      fieldsType	<string>
      fieldsV1	<FieldsV1>
      manager	<string>
      operation	<string>
      subresource	<string>
      time	<string>
    name	<string>
    namespace	<string>
    ownerReferences	<[]OwnerReference>
      apiVersion	<string> -required-
      blockOwnerDeletion	<boolean>
      controller	<boolean>
      kind	<string> -required-
      name	<string> -required-
      uid	<string> -required-
    resourceVersion	<string>
    selfLink	<string>
    uid	<string>
  spec	<DeploymentSpec>
    minReadySeconds	<integer>
    paused	<boolean>
    progressDeadlineSeconds	<integer>
    replicas	<integer>
    revisionHistoryLimit	<integer>
    selector	<LabelSelector> -required-
      matchExpressions	<[]LabelSelectorRequirement>
        key	<string> -required-
        operator	<string> -required-
        values	<[]string>
      matchLabels	<map[string]string>
    strategy	<DeploymentStrategy>
      rollingUpdate	<RollingUpdateDeployment>
        maxSurge	<string>
        maxUnavailable	<string>
      type	<string>
    template	<PodTemplateSpec> -required-
      metadata	<ObjectMeta>
        annotations	<map[string]string>
        creationTimestamp	<string>
        deletionGracePeriodSeconds	<integer>
        deletionTimestamp	<string>
        finalizers	<[]string>
        generateName	<string>
        generation	<integer>
        labels	<map[string]string>
        managedFields	<[]ManagedFieldsEntry>
          apiVersion	<string>
          fieldsType	<string>
          fieldsV1	<FieldsV1>
          manager	<string>
          operation	<string>
          subresource	<string>
          time	<string>
        name	<string>
        namespace	<string>
        ownerReferences	<[]OwnerReference>
          apiVersion	<string> -required-
          blockOwnerDeletion	<boolean>
          controller	<boolean>
          kind	<string> -required-
          name	<string> -required-
          uid	<string> -required-
        resourceVersion	<string>
        selfLink	<string>
        uid	<string>
      spec	<PodSpec>
        activeDeadlineSeconds	<integer>
        affinity	<Affinity>
          nodeAffinity	<NodeAffinity>
            preferredDuringSchedulingIgnoredDuringExecution	<[]PreferredSchedulingTerm>
              preference	<NodeSelectorTerm> -required-
                matchExpressions	<[]NodeSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  enum: DoesNotExist, Exists, Gt, In, ....
                  values	<[]string>
                matchFields	<[]NodeSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  enum: DoesNotExist, Exists, Gt, In, ....
                  values	<[]string>
              weight	<integer> -required-
            requiredDuringSchedulingIgnoredDuringExecution	<NodeSelector>
              nodeSelectorTerms	<[]NodeSelectorTerm> -required-
                matchExpressions	<[]NodeSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  enum: DoesNotExist, Exists, Gt, In, ....
                  values	<[]string>
                matchFields	<[]NodeSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  enum: DoesNotExist, Exists, Gt, In, ....
                  values	<[]string>
          podAffinity	<PodAffinity>
            preferredDuringSchedulingIgnoredDuringExecution	<[]WeightedPodAffinityTerm>
              podAffinityTerm	<PodAffinityTerm> -required-
                labelSelector	<LabelSelector>
                  matchExpressions	<[]LabelSelectorRequirement>
                    key	<string> -required-
                    operator	<string> -required-
                    values	<[]string>
                  matchLabels	<map[string]string>
                matchLabelKeys	<[]string>
                mismatchLabelKeys	<[]string>
                namespaceSelector	<LabelSelector>
                  matchExpressions	<[]LabelSelectorRequirement>
                    key	<string> -required-
                    operator	<string> -required-
                    values	<[]string>
                  matchLabels	<map[string]string>
                namespaces	<[]string>
                topologyKey	<string> -required-
              weight	<integer> -required-
            requiredDuringSchedulingIgnoredDuringExecution	<[]PodAffinityTerm>
              labelSelector	<LabelSelector>
                matchExpressions	<[]LabelSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  values	<[]string>
                matchLabels	<map[string]string>
              matchLabelKeys	<[]string>
              mismatchLabelKeys	<[]string>
              namespaceSelector	<LabelSelector>
                matchExpressions	<[]LabelSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  values	<[]string>
                matchLabels	<map[string]string>
              namespaces	<[]string>
              topologyKey	<string> -required-
          podAntiAffinity	<PodAntiAffinity>
            preferredDuringSchedulingIgnoredDuringExecution	<[]WeightedPodAffinityTerm>
              podAffinityTerm	<PodAffinityTerm> -required-
                labelSelector	<LabelSelector>
                  matchExpressions	<[]LabelSelectorRequirement>
                    key	<string> -required-
                    operator	<string> -required-
                    values	<[]string>
                  matchLabels	<map[string]string>
                matchLabelKeys	<[]string>
                mismatchLabelKeys	<[]string>
                namespaceSelector	<LabelSelector>
                  matchExpressions	<[]LabelSelectorRequirement>
                    key	<string> -required-
                    operator	<string> -required-
                    values	<[]string>
                  matchLabels	<map[string]string>
                namespaces	<[]string>
                topologyKey	<string> -required-
              weight	<integer> -required-
            requiredDuringSchedulingIgnoredDuringExecution	<[]PodAffinityTerm>
              labelSelector	<LabelSelector>
                matchExpressions	<[]LabelSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  values	<[]string>
                matchLabels	<map[string]string>
              matchLabelKeys	<[]string>
              mismatchLabelKeys	<[]string>
              namespaceSelector	<LabelSelector>
                matchExpressions	<[]LabelSelectorRequirement>
                  key	<string> -required-
                  operator	<string> -required-
                  values	<[]string>
                matchLabels	<map[string]string>
              namespaces	<[]string>
              topologyKey	<string> -required-
        automountServiceAccountToken	<boolean>
        containers	<[]Container> -required-
          args	<[]string>
          command	<[]string>
          env	<[]EnvVar>
            name	<string> -required-
            value	<string>
            valueFrom	<EnvVarSource>
              configMapKeyRef	<ConfigMapKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
              fieldRef	<ObjectFieldSelector>
                apiVersion	<string>
                fieldPath	<string> -required-
              resourceFieldRef	<ResourceFieldSelector>
                containerName	<string>
                divisor	<string>
                resource	<string> -required-
              secretKeyRef	<SecretKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
          envFrom	<[]EnvFromSource>
            configMapRef	<ConfigMapEnvSource>
              name	<string>
              optional	<boolean>
            prefix	<string>
            secretRef	<SecretEnvSource>
              name	<string>
              optional	<boolean>
          image	<string>
          imagePullPolicy	<string>
          enum: Always, IfNotPresent, Never
          lifecycle	<Lifecycle>
            postStart	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            preStop	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            stopSignal	<string>
          livenessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          name	<string> -required-
          ports	<[]ContainerPort>
            containerPort	<integer> -required-
            hostIP	<string>
            hostPort	<integer>
            name	<string>
            protocol	<string>
            enum: SCTP, TCP, UDP
          readinessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          resizePolicy	<[]ContainerResizePolicy>
            resourceName	<string> -required-
            restartPolicy	<string> -required-
          resources	<ResourceRequirements>
            claims	<[]ResourceClaim>
              name	<string> -required-
            limits	<map[string]string>
            requests	<map[string]string>
          restartPolicy	<string>
          securityContext	<SecurityContext>
            allowPrivilegeEscalation	<boolean>
            capabilities	<Capabilities>
              add	<[]string>
              drop	<[]string>
            privileged	<boolean>
            procMount	<string>
            readOnlyRootFilesystem	<boolean>
            runAsGroup	<integer>
            runAsNonRoot	<boolean>
            runAsUser	<integer>
            seLinuxOptions	<SELinuxOptions>
              level	<string>
              role	<string>
              type	<string>
              user	<string>
            seccompProfile	<SeccompProfile>
              localhostProfile	<string>
              type	<string> -required-
              enum: Localhost, RuntimeDefault, Unconfined
          startupProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          stdin	<boolean>
          stdinOnce	<boolean>
          terminationMessagePath	<string>
          terminationMessagePolicy	<string>
          enum: FallbackToLogsOnError, File
          tty	<boolean>
          volumeDevices	<[]VolumeDevice>
            devicePath	<string> -required-
            name	<string> -required-
          volumeMounts	<[]VolumeMount>
            mountPath	<string> -required-
            mountPropagation	<string>
            name	<string> -required-
            readOnly	<boolean>
            recursiveReadOnly	<string>
            subPath	<string>
            subPathExpr	<string>
          workingDir	<string>
        dnsConfig	<PodDNSConfig>
          nameservers	<[]string>
          options	<[]PodDNSConfigOption>
            name	<string>
            value	<string>
          searches	<[]string>
        dnsPolicy	<string>
        enum: ClusterFirst, ClusterFirstWithHostNet, Default, None
        enableServiceLinks	<boolean>
        ephemeralContainers	<[]Container>
          args	<[]string>
          command	<[]string>
          env	<[]EnvVar>
            name	<string> -required-
            value	<string>
            valueFrom	<EnvVarSource>
              configMapKeyRef	<ConfigMapKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
              fieldRef	<ObjectFieldSelector>
                apiVersion	<string>
                fieldPath	<string> -required-
              resourceFieldRef	<ResourceFieldSelector>
                containerName	<string>
                divisor	<string>
                resource	<string> -required-
              secretKeyRef	<SecretKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
          envFrom	<[]EnvFromSource>
            configMapRef	<ConfigMapEnvSource>
              name	<string>
              optional	<boolean>
            prefix	<string>
            secretRef	<SecretEnvSource>
              name	<string>
              optional	<boolean>
          image	<string>
          imagePullPolicy	<string>
          enum: Always, IfNotPresent, Never
          lifecycle	<Lifecycle>
            postStart	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            preStop	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            stopSignal	<string>
          livenessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          name	<string> -required-
          ports	<[]ContainerPort>
            containerPort	<integer> -required-
            hostIP	<string>
            hostPort	<integer>
            name	<string>
            protocol	<string>
            enum: SCTP, TCP, UDP
          readinessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          resizePolicy	<[]ContainerResizePolicy>
            resourceName	<string> -required-
            restartPolicy	<string> -required-
          resources	<ResourceRequirements>
            claims	<[]ResourceClaim>
              name	<string> -required-
            limits	<map[string]string>
            requests	<map[string]string>
          restartPolicy	<string>
          securityContext	<SecurityContext>
            allowPrivilegeEscalation	<boolean>
            capabilities	<Capabilities>
              add	<[]string>
              drop	<[]string>
            privileged	<boolean>
            procMount	<string>
            readOnlyRootFilesystem	<boolean>
            runAsGroup	<integer>
            runAsNonRoot	<boolean>
            runAsUser	<integer>
            seLinuxOptions	<SELinuxOptions>
              level	<string>
              role	<string>
              type	<string>
              user	<string>
            seccompProfile	<SeccompProfile>
              localhostProfile	<string>
              type	<string> -required-
              enum: Localhost, RuntimeDefault, Unconfined
          startupProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          stdin	<boolean>
          stdinOnce	<boolean>
          terminationMessagePath	<string>
          terminationMessagePolicy	<string>
          enum: FallbackToLogsOnError, File
          tty	<boolean>
          volumeDevices	<[]VolumeDevice>
            devicePath	<string> -required-
            name	<string> -required-
          volumeMounts	<[]VolumeMount>
            mountPath	<string> -required-
            mountPropagation	<string>
            name	<string> -required-
            readOnly	<boolean>
            recursiveReadOnly	<string>
            subPath	<string>
            subPathExpr	<string>
          workingDir	<string>
        hostAliases	<[]HostAlias>
          hostnames	<[]string>
          ip	<string> -required-
        hostIPC	<boolean>
        hostNetwork	<boolean>
        hostPID	<boolean>
        hostUsers	<boolean>
        hostname	<string>
        imagePullSecrets	<[]LocalObjectReference>
          name	<string>
        initContainers	<[]Container>
          args	<[]string>
          command	<[]string>
          env	<[]EnvVar>
            name	<string> -required-
            value	<string>
            valueFrom	<EnvVarSource>
              configMapKeyRef	<ConfigMapKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
              fieldRef	<ObjectFieldSelector>
                apiVersion	<string>
                fieldPath	<string> -required-
              resourceFieldRef	<ResourceFieldSelector>
                containerName	<string>
                divisor	<string>
                resource	<string> -required-
              secretKeyRef	<SecretKeySelector>
                key	<string> -required-
                name	<string>
                optional	<boolean>
          envFrom	<[]EnvFromSource>
            configMapRef	<ConfigMapEnvSource>
              name	<string>
              optional	<boolean>
            prefix	<string>
            secretRef	<SecretEnvSource>
              name	<string>
              optional	<boolean>
          image	<string>
          imagePullPolicy	<string>
          enum: Always, IfNotPresent, Never
          lifecycle	<Lifecycle>
            postStart	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            preStop	<LifecycleHandler>
              exec	<ExecAction>
                command	<[]string>
              httpGet	<HTTPGetAction>
                host	<string>
                httpHeaders	<[]HTTPHeader>
                  name	<string> -required-
                  value	<string> -required-
                path	<string>
                port	<string> -required-
                scheme	<string>
                enum: HTTP, HTTPS
              sleep	<SleepAction>
                seconds	<integer> -required-
              tcpSocket	<TCPSocketAction>
                host	<string>
                port	<string> -required-
            stopSignal	<string>
          livenessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          name	<string> -required-
          ports	<[]ContainerPort>
            containerPort	<integer> -required-
            hostIP	<string>
            hostPort	<integer>
            name	<string>
            protocol	<string>
            enum: SCTP, TCP, UDP
          readinessProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          resizePolicy	<[]ContainerResizePolicy>
            resourceName	<string> -required-
            restartPolicy	<string> -required-
          resources	<ResourceRequirements>
            claims	<[]ResourceClaim>
              name	<string> -required-
            limits	<map[string]string>
            requests	<map[string]string>
          restartPolicy	<string>
          securityContext	<SecurityContext>
            allowPrivilegeEscalation	<boolean>
            capabilities	<Capabilities>
              add	<[]string>
              drop	<[]string>
            privileged	<boolean>
            procMount	<string>
            readOnlyRootFilesystem	<boolean>
            runAsGroup	<integer>
            runAsNonRoot	<boolean>
            runAsUser	<integer>
            seLinuxOptions	<SELinuxOptions>
              level	<string>
              role	<string>
              type	<string>
              user	<string>
            seccompProfile	<SeccompProfile>
              localhostProfile	<string>
              type	<string> -required-
              enum: Localhost, RuntimeDefault, Unconfined
          startupProbe	<Probe>
            exec	<ExecAction>
              command	<[]string>
            failureThreshold	<integer>
            grpc	<GRPCAction>
              port	<integer> -required-
              service	<string>
            httpGet	<HTTPGetAction>
              host	<string>
              httpHeaders	<[]HTTPHeader>
                name	<string> -required-
                value	<string> -required-
              path	<string>
              port	<string> -required-
              scheme	<string>
              enum: HTTP, HTTPS
            initialDelaySeconds	<integer>
            periodSeconds	<integer>
            successThreshold	<integer>
            tcpSocket	<TCPSocketAction>
              host	<string>
              port	<string> -required-
            terminationGracePeriodSeconds	<integer>
            timeoutSeconds	<integer>
          stdin	<boolean>
          stdinOnce	<boolean>
          terminationMessagePath	<string>
          terminationMessagePolicy	<string>
          enum: FallbackToLogsOnError, File
          tty	<boolean>
          volumeDevices	<[]VolumeDevice>
            devicePath	<string> -required-
            name	<string> -required-
          volumeMounts	<[]VolumeMount>
            mountPath	<string> -required-
            mountPropagation	<string>
            name	<string> -required-
            readOnly	<boolean>
            recursiveReadOnly	<string>
            subPath	<string>
            subPathExpr	<string>
          workingDir	<string>
        nodeName	<string>
        nodeSelector	<map[string]string>
        os	<PodOS>
          name	<string> -required-
        overhead	<map[string]string>
        preemptionPolicy	<string>
        enum: Never, PreemptLowerPriority
        priority	<integer>
        priorityClassName	<string>
        readinessGates	<[]PodReadinessGate>
          conditionType	<string> -required-
        resources	<ResourceRequirements>
          claims	<[]ResourceClaim>
            name	<string> -required-
          limits	<map[string]string>
          requests	<map[string]string>
        restartPolicy	<string>
        enum: Always, Never, OnFailure
        runtimeClassName	<string>
        schedulerName	<string>
        schedulingGates	<[]PodSchedulingGate>
          name	<string> -required-
        securityContext	<PodSecurityContext>
          fsGroup	<integer>
          fsGroupChangePolicy	<string>
          runAsGroup	<integer>
          runAsNonRoot	<boolean>
          runAsUser	<integer>
          seLinuxOptions	<SELinuxOptions>
            level	<string>
            role	<string>
            type	<string>
            user	<string>
          seccompProfile	<SeccompProfile>
            localhostProfile	<string>
            type	<string> -required-
            enum: Localhost, RuntimeDefault, Unconfined
          supplementalGroups	<[]integer>
          sysctls	<[]Sysctl>
            name	<string> -required-
            value	<string> -required-
        serviceAccount	<string>
        serviceAccountName	<string>
        setHostnameAsFQDN	<boolean>
        shareProcessNamespace	<boolean>
        subdomain	<string>
        terminationGracePeriodSeconds	<integer>
        tolerations	<[]Toleration>
          effect	<string>
          enum: NoExecute, NoSchedule, PreferNoSchedule
          key	<string>
          operator	<string>
          enum: Equal, Exists
          tolerationSeconds	<integer>
          value	<string>
        topologySpreadConstraints	<[]TopologySpreadConstraint>
          labelSelector	<LabelSelector>
            matchExpressions	<[]LabelSelectorRequirement>
              key	<string> -required-
              operator	<string> -required-
              values	<[]string>
            matchLabels	<map[string]string>
          matchLabelKeys	<[]string>
          maxSkew	<integer> -required-
          minDomains	<integer>
          nodeAffinityPolicy	<string>
          nodeTaintsPolicy	<string>
          topologyKey	<string> -required-
          whenUnsatisfiable	<string> -required-
          enum: DoNotSchedule, ScheduleAnyway
        volumes	<[]Volume>
          configMap	<ConfigMapVolumeSource>
            defaultMode	<integer>
            items	<[]KeyToPath>
              key	<string> -required-
              mode	<integer>
              path	<string> -required-
            name	<string>
            optional	<boolean>
          csi	<CSIVolumeSource>
            driver	<string> -required-
            fsType	<string>
            nodePublishSecretRef	<LocalObjectReference>
              name	<string>
            readOnly	<boolean>
            volumeAttributes	<map[string]string>
          downwardAPI	<DownwardAPIVolumeSource>
            defaultMode	<integer>
            items	<[]DownwardAPIVolumeFile>
              fieldRef	<ObjectFieldSelector>
                apiVersion	<string>
                fieldPath	<string> -required-
              mode	<integer>
              path	<string> -required-
              resourceFieldRef	<ResourceFieldSelector>
                containerName	<string>
                divisor	<string>
                resource	<string> -required-
          emptyDir	<EmptyDirVolumeSource>
            medium	<string>
            sizeLimit	<string>
          ephemeral	<EphemeralVolumeSource>
            volumeClaimTemplate	<PersistentVolumeClaimTemplate>
              metadata	<ObjectMeta>
                annotations	<map[string]string>
                creationTimestamp	<string>
                deletionGracePeriodSeconds	<integer>
                deletionTimestamp	<string>
                finalizers	<[]string>
                generateName	<string>
                generation	<integer>
                labels	<map[string]string>
                managedFields	<[]ManagedFieldsEntry>
                  apiVersion	<string>
                  fieldsType	<string>
                  fieldsV1	<FieldsV1>
                  manager	<string>
                  operation	<string>
                  subresource	<string>
                  time	<string>
                name	<string>
                namespace	<string>
                ownerReferences	<[]OwnerReference>
                  apiVersion	<string> -required-
                  blockOwnerDeletion	<boolean>
                  controller	<boolean>
                  kind	<string> -required-
                  name	<string> -required-
                  uid	<string> -required-
                resourceVersion	<string>
                selfLink	<string>
                uid	<string>
              spec	<PersistentVolumeClaimSpec> -required-
                accessModes	<[]string>
                resources	<VolumeResourceRequirements>
                  limits	<map[string]string>
                  requests	<map[string]string>
                selector	<LabelSelector>
                  matchExpressions	<[]LabelSelectorRequirement>
                    key	<string> -required-
                    operator	<string> -required-
                    values	<[]string>
                  matchLabels	<map[string]string>
                storageClassName	<string>
                volumeAttributesClassName	<string>
                volumeMode	<string>
                volumeName	<string>
          hostPath	<HostPathVolumeSource>
            path	<string> -required-
            type	<string>
          name	<string> -required-
          nfs	<NFSVolumeSource>
            path	<string> -required-
            readOnly	<boolean>
            server	<string> -required-
          persistentVolumeClaim	<PersistentVolumeClaimVolumeSource>
            claimName	<string> -required-
            readOnly	<boolean>
          projected	<ProjectedVolumeSource>
            defaultMode	<integer>
            sources	<[]VolumeProjection>
              configMap	<ConfigMapProjection>
                items	<[]KeyToPath>
                  key	<string> -required-
                  mode	<integer>
                  path	<string> -required-
                name	<string>
                optional	<boolean>
              downwardAPI	<DownwardAPIProjection>
                items	<[]DownwardAPIVolumeFile>
                  fieldRef	<ObjectFieldSelector>
                    apiVersion	<string>
                    fieldPath	<string> -required-
                  mode	<integer>
                  path	<string> -required-
                  resourceFieldRef	<ResourceFieldSelector>
                    containerName	<string>
                    divisor	<string>
                    resource	<string> -required-
              secret	<SecretProjection>
                items	<[]KeyToPath>
                  key	<string> -required-
                  mode	<integer>
                  path	<string> -required-
                name	<string>
                optional	<boolean>
              serviceAccountToken	<ServiceAccountTokenProjection>
                audience	<string>
                expirationSeconds	<integer>
                path	<string> -required-
          secret	<SecretVolumeSource>
            defaultMode	<integer>
            items	<[]KeyToPath>
              key	<string> -required-
              mode	<integer>
              path	<string> -required-
            optional	<boolean>
            secretName	<string>
  status	<DeploymentStatus>
    availableReplicas	<integer>
    collisionCount	<integer>
    conditions	<[]DeploymentCondition>
      lastTransitionTime	<string>
      lastUpdateTime	<string>
      message	<string>
      reason	<string>
      status	<string> -required-
      type	<string> -required-
    observedGeneration	<integer>
    readyReplicas	<integer>
    replicas	<integer>
    terminatingReplicas	<integer>
    unavailableReplicas	<integer>
    updatedReplicas	<integer>

`, err: `` },
  { line: "explain deployment.spec.nope", code: 1, out: `GROUP:      apps
KIND:       Deployment
VERSION:    v1

`, err: `error: field "nope" does not exist
` },
  { line: "explain foo", code: 1, out: ``, err: `the server doesn't have a resource type "foo"
` },
  { line: "explain", code: 1, out: ``, err: `error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.
` },
  { line: "explain deployments.apps.spec.replicas", code: 0, out: `GROUP:      apps
KIND:       Deployment
VERSION:    v1

FIELD: replicas <integer>


DESCRIPTION:
    Number of desired pods; 1 by default.
    

`, err: `` },
  { line: "explain pods.metadata.labels", code: 0, out: `KIND:       Pod
VERSION:    v1

FIELD: labels <map[string]string>


DESCRIPTION:
    Key/value pairs used to organize and select objects.
    

`, err: `` },
]

describe('kubectl explain', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it.each([
    ['short words stay on one line', 'a b c', 10, 'a b c'],
    ['breaks at the last space before the limit', 'aaaa bbbb cccc', 10, 'aaaa bbbb\ncccc'],
    ['a word longer than the limit stays whole', 'a verylongwordindeed b', 8, 'a\nverylongwordindeed\nb'],
    ['keeps explicit newlines', 'one\ntwo three', 5, 'one\ntwo\nthree'],
  ])('wraps as go-wordwrap does: %s', (_name, text, lim, want) => {
    expect(wrapString(text, lim)).toBe(want)
  })
})
