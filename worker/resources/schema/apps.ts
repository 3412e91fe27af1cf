// apps/v1 Deployment and ReplicaSet, and autoscaling/v1 Scale (their /scale).
import { IntOrString, LabelSelector, Time, metadataField, typeMeta } from './meta'
import { PodTemplateSpec } from './pod'
import { bool, def, int32, int64, mergeList, obj, ref, str } from './t'

const A = 'io.k8s.api.apps.v1.'

// Workload conditions share one shape; only the definition name differs.
const workloadCondition = (name: string) =>
  def(
    A + name,
    obj(
      'A condition of the workload at a point in time.',
      {
        type: str('Condition type, e.g. Available, Progressing or ReplicaFailure.'),
        status: str('True, False or Unknown.'),
        lastUpdateTime: ref(Time, 'Last time the condition was updated.'),
        lastTransitionTime: ref(Time, 'Last time the status changed.'),
        reason: str('Reason for the last transition.'),
        message: str('Detail of the last transition.'),
      },
      ['type', 'status'],
    ),
  )
const DeploymentStrategy = def(
  A + 'DeploymentStrategy',
  obj('How existing pods are replaced by new ones.', {
    type: str('Recreate or RollingUpdate (default).'),
    rollingUpdate: ref(
      def(
        A + 'RollingUpdateDeployment',
        obj('Parameters of a rolling update.', {
          maxUnavailable: ref(
            IntOrString,
            'Pods that may be unavailable during the update: a number or a percentage; 25% by default.',
          ),
          maxSurge: ref(
            IntOrString,
            'Pods that may be created above the desired count: a number or a percentage; 25% by default.',
          ),
        }),
      ),
      'Rolling update parameters, for type RollingUpdate.',
    ),
  }),
)

const DeploymentSpec = def(
  A + 'DeploymentSpec',
  obj(
    'Desired behavior of a deployment.',
    {
      replicas: int32('Number of desired pods; 1 by default.'),
      selector: ref(LabelSelector, 'Label selector for the pods; must match the template labels.'),
      template: ref(PodTemplateSpec, 'Template of the pods to create.'),
      strategy: {
        ...ref(DeploymentStrategy, 'How to replace existing pods.'),
        'x-kubernetes-patch-strategy': 'retainKeys',
      },
      minReadySeconds: int32('Seconds a new pod must be ready before it counts as available.'),
      revisionHistoryLimit: int32('Old ReplicaSets kept for rollback; 10 by default.'),
      paused: bool('Whether the deployment is paused.'),
      progressDeadlineSeconds: int32(
        'Seconds before a stalled rollout is reported as failed; 600 by default.',
      ),
    },
    ['selector', 'template'],
  ),
)
const DeploymentStatus = def(
  A + 'DeploymentStatus',
  obj('Most recently observed status of a deployment.', {
    observedGeneration: int64('Generation observed by the deployment controller.'),
    replicas: int32('Pods targeted by the deployment.'),
    updatedReplicas: int32('Pods with the desired template.'),
    readyReplicas: int32('Pods that are ready.'),
    availableReplicas: int32('Pods available for at least minReadySeconds.'),
    unavailableReplicas: int32('Pods still needed for full capacity.'),
    terminatingReplicas: int32('Pods being terminated.'),
    conditions: mergeList(
      workloadCondition('DeploymentCondition'),
      'Latest observations of the deployment.',
      'type',
    ),
    collisionCount: int32('Count of hash collisions for the deployment.'),
  }),
)
export const Deployment = def(
  A + 'Deployment',
  obj('Declarative updates for pods and ReplicaSets.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(DeploymentSpec, 'Desired behavior of the deployment.'),
    status: ref(DeploymentStatus, 'Most recently observed status of the deployment (read-only).'),
  }),
)

const ReplicaSetSpec = def(
  A + 'ReplicaSetSpec',
  obj(
    'Desired behavior of a ReplicaSet.',
    {
      replicas: int32('Number of desired pods; 1 by default.'),
      minReadySeconds: int32('Seconds a new pod must be ready before it counts as available.'),
      selector: ref(LabelSelector, 'Label selector for the pods.'),
      template: ref(PodTemplateSpec, 'Template of the pods to create.'),
    },
    ['selector'],
  ),
)
const ReplicaSetStatus = def(
  A + 'ReplicaSetStatus',
  obj(
    'Most recently observed status of a ReplicaSet.',
    {
      replicas: int32('Most recently observed number of pods.'),
      fullyLabeledReplicas: int32('Pods whose labels match the template labels.'),
      readyReplicas: int32('Pods that are ready.'),
      availableReplicas: int32('Pods available for at least minReadySeconds.'),
      terminatingReplicas: int32('Pods being terminated.'),
      observedGeneration: int64('Generation observed by the controller.'),
      conditions: mergeList(
        workloadCondition('ReplicaSetCondition'),
        'Latest observations of the ReplicaSet.',
        'type',
      ),
    },
    ['replicas'],
  ),
)
export const ReplicaSet = def(
  A + 'ReplicaSet',
  obj('Ensures that a number of pod replicas run at any given time.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(ReplicaSetSpec, 'Desired behavior of the ReplicaSet.'),
    status: ref(ReplicaSetStatus, 'Most recently observed status of the ReplicaSet (read-only).'),
  }),
)

export const Scale = def(
  'io.k8s.api.autoscaling.v1.Scale',
  obj('A scaling request for a resource.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(
      def(
        'io.k8s.api.autoscaling.v1.ScaleSpec',
        obj('Desired scale.', { replicas: int32('Desired number of instances.') }),
      ),
      'Desired scale of the object.',
    ),
    status: ref(
      def(
        'io.k8s.api.autoscaling.v1.ScaleStatus',
        obj(
          'Current scale.',
          {
            replicas: int32('Actual number of instances.'),
            selector: str('Label selector of the pods, in string form.'),
          },
          ['replicas'],
        ),
      ),
      'Current status of the scale (read-only).',
    ),
  }),
)
