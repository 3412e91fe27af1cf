// Hand-written PatchSchemas for the patch tests, mirroring the
// x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key annotations of
// the upstream OpenAPI for Deployment → PodTemplateSpec → PodSpec and Node.

import type { PatchSchema } from './schema'

const str: PatchSchema = { type: 'string' }
const int: PatchSchema = { type: 'integer' }
const stringMap: PatchSchema = { type: 'object', additionalProperties: str }

export const objectMetaSchema: PatchSchema = {
  type: 'object',
  properties: {
    name: str,
    namespace: str,
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: str, patchStrategy: 'merge', listType: 'set' },
    ownerReferences: {
      type: 'array',
      patchStrategy: 'merge',
      patchMergeKey: 'uid',
      listType: 'map',
      listMapKeys: ['uid'],
      items: { type: 'object', properties: { uid: str, kind: str, name: str } },
    },
  },
}

const containerSchema: PatchSchema = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    args: { type: 'array', items: str, listType: 'atomic' },
    env: {
      type: 'array',
      patchStrategy: 'merge',
      patchMergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
      items: {
        type: 'object',
        properties: { name: str, value: str, valueFrom: { type: 'object', properties: {} } },
      },
    },
    ports: {
      type: 'array',
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
      items: { type: 'object', properties: { containerPort: int, name: str, protocol: str } },
    },
    volumeMounts: {
      type: 'array',
      patchStrategy: 'merge',
      patchMergeKey: 'mountPath',
      listType: 'map',
      listMapKeys: ['mountPath'],
      items: {
        type: 'object',
        properties: { name: str, mountPath: str, readOnly: { type: 'boolean' } },
      },
    },
    resources: {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: { type: 'int-or-string' } },
        requests: { type: 'object', additionalProperties: { type: 'int-or-string' } },
      },
    },
  },
}

const containerList: PatchSchema = {
  type: 'array',
  patchStrategy: 'merge',
  patchMergeKey: 'name',
  listType: 'map',
  listMapKeys: ['name'],
  items: containerSchema,
}

export const podSpecSchema: PatchSchema = {
  type: 'object',
  properties: {
    containers: containerList,
    initContainers: containerList,
    volumes: {
      type: 'array',
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
      items: {
        type: 'object',
        properties: {
          name: str,
          emptyDir: { type: 'object', properties: {} },
          configMap: { type: 'object', properties: { name: str } },
        },
      },
    },
    tolerations: {
      type: 'array',
      listType: 'atomic',
      items: { type: 'object', properties: { key: str, operator: str, effect: str, value: str } },
    },
    nodeSelector: { ...stringMap, mapType: 'atomic' },
    nodeName: str,
  },
}

export const deploymentSchema: PatchSchema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMetaSchema,
    spec: {
      type: 'object',
      properties: {
        replicas: int,
        selector: { type: 'object', properties: { matchLabels: stringMap } },
        strategy: {
          type: 'object',
          patchStrategy: 'retainKeys',
          properties: {
            type: str,
            rollingUpdate: {
              type: 'object',
              properties: {
                maxSurge: { type: 'int-or-string' },
                maxUnavailable: { type: 'int-or-string' },
              },
            },
          },
        },
        template: {
          type: 'object',
          properties: { metadata: objectMetaSchema, spec: podSpecSchema },
        },
      },
    },
  },
}

export const nodeSchema: PatchSchema = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMetaSchema,
    spec: {
      type: 'object',
      properties: {
        unschedulable: { type: 'boolean' },
        podCIDRs: { type: 'array', items: str, patchStrategy: 'merge', listType: 'set' },
        // NodeSpec.taints carries no patch strategy: kubectl taint sends the whole list.
        taints: {
          type: 'array',
          listType: 'atomic',
          items: { type: 'object', properties: { key: str, value: str, effect: str } },
        },
      },
    },
  },
}

/** A Deployment as the server stores it, for tests to patch. */
export function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'busybox', args: ['sleep', 'infinity'] },
          ],
          tolerations: [{ key: 'old', operator: 'Exists' }],
          nodeSelector: { disk: 'ssd', zone: 'a' },
        },
      },
    },
  }
}

/** A Node as the server stores it. */
export function node(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDRs: ['10.0.0.0/24'] },
  }
}

/** Freezes a value deeply, so a test fails if a patch function mutates its input. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const e of Object.values(v)) deepFreeze(e)
    Object.freeze(v)
  }
  return v
}
