import { describe, expect, it } from 'vitest'
import {
  deepFreeze,
  deployment,
  deploymentSchema,
  node,
  nodeSchema,
  podSpecSchema,
} from './fixtures.test-helpers'
import { PatchError, type PatchSchema } from './schema'
import { applyStrategicMergePatch } from './strategic-merge-patch'

type Obj = Record<string, any>

/** A fresh copy of `base` changed by `edit`, for spelling out expected results. */
function edited(base: Obj, edit: (o: Obj) => void): Obj {
  const o = structuredClone(base)
  edit(o)
  return o
}
const podSpec = (d: Obj): Obj => d.spec.template.spec

interface Case {
  name: string
  doc: unknown
  patch: unknown
  schema?: PatchSchema
  want: unknown
}

const cases: Case[] = [
  {
    name: 'kubectl apply: changed image with $setElementOrder',
    doc: deployment(),
    patch: {
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}\n',
        },
      },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] =
        '{"kind":"Deployment"}\n'
      podSpec(d).containers[0].image = 'nginx:1.26'
    }),
  },
  {
    name: 'kubectl apply: order list naming only some containers keeps server-only ones',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[0].image = 'nginx:1.26'
    }),
  },
  {
    name: 'kubectl apply: removing a container with $patch: delete',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ $patch: 'delete', name: 'sidecar' }],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers.splice(1, 1)
    }),
  },
  {
    name: '$patch: delete without an order list',
    doc: deployment(),
    patch: { spec: { template: { spec: { containers: [{ name: 'nginx', $patch: 'delete' }] } } } },
    want: edited(deployment(), (d) => {
      podSpec(d).containers.splice(0, 1)
    }),
  },
  {
    name: 'env merges by name: change one, add one in $setElementOrder order',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [
              {
                name: 'nginx',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }, { name: 'B' }],
                // kubectl lists patch elements in the order of the order list.
                env: [
                  { name: 'C', value: '3' },
                  { name: 'B', value: 'two' },
                ],
              },
            ],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[0].env = [
        { name: 'A', value: '1' },
        { name: 'C', value: '3' },
        { name: 'B', value: 'two' },
      ]
    }),
  },
  {
    name: 'env: removing a variable with null and $patch: delete',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'nginx', env: [{ name: 'A', value: null, $patch: 'delete' }] }],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[0].env = [{ name: 'B', value: '2' }]
    }),
  },
  {
    name: 'a new element without $setElementOrder goes in front, as upstream (kubectl patch)',
    doc: deployment(),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'redis', image: 'redis' }] } } },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers.unshift({ name: 'redis', image: 'redis' })
    }),
  },
  {
    name: 'an updated element keeps its place among server-only elements',
    doc: deployment(),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:2' }] } } },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[1].image = 'busybox:2'
    }),
  },
  {
    name: 'ports merge by containerPort',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'nginx',
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
                ports: [
                  { containerPort: 80, name: 'http' },
                  { containerPort: 443, name: 'https' },
                ],
              },
            ],
          },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[0].ports = [
        { containerPort: 80, protocol: 'TCP', name: 'http' },
        { containerPort: 443, name: 'https' },
      ]
    }),
  },
  {
    name: '$setElementOrder interleaves server-only elements by live position',
    doc: {
      spec: {
        containers: [
          { name: 'a', image: 'a' },
          { name: 'x', image: 'x' },
          { name: 'b', image: 'b' },
        ],
      },
    },
    schema: { type: 'object', properties: { spec: podSpecSchema } },
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
    want: {
      spec: {
        containers: [
          { name: 'x', image: 'x' },
          { name: 'b', image: 'b' },
          { name: 'a', image: 'a' },
        ],
      },
    },
  },
  {
    name: 'volumes: $retainKeys inside an element switches the volume source',
    doc: {
      spec: {
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    },
    schema: { type: 'object', properties: { spec: podSpecSchema } },
    patch: {
      spec: {
        volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'data' }],
      },
    },
    want: {
      spec: {
        volumes: [
          { name: 'data', configMap: { name: 'cm' } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    },
  },
  {
    name: 'volumeMounts merge by mountPath',
    doc: {
      spec: {
        containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      },
    },
    schema: { type: 'object', properties: { spec: podSpecSchema } },
    patch: {
      spec: {
        containers: [
          {
            name: 'c',
            '$setElementOrder/volumeMounts': [{ mountPath: '/data' }, { mountPath: '/cfg' }],
            volumeMounts: [
              { mountPath: '/data', readOnly: true },
              { mountPath: '/cfg', name: 'cfg' },
            ],
          },
        ],
      },
    },
    want: {
      spec: {
        containers: [
          {
            name: 'c',
            volumeMounts: [
              { name: 'data', mountPath: '/data', readOnly: true },
              { mountPath: '/cfg', name: 'cfg' },
            ],
          },
        ],
      },
    },
  },
  {
    name: 'tolerations (no merge strategy) are replaced wholesale',
    doc: deployment(),
    patch: {
      spec: { template: { spec: { tolerations: [{ key: 'new', operator: 'Exists' }] } } },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).tolerations = [{ key: 'new', operator: 'Exists' }]
    }),
  },
  {
    name: 'args (atomic list of strings) are replaced, not unioned',
    doc: deployment(),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'sidecar', args: ['sleep', '10'] }] } } },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers[1].args = ['sleep', '10']
    }),
  },
  {
    name: 'finalizer added with $setElementOrder goes last',
    doc: { metadata: { name: 'x', finalizers: ['a'] } },
    schema: deploymentSchema,
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'b'], finalizers: ['b'] } },
    want: { metadata: { name: 'x', finalizers: ['a', 'b'] } },
  },
  {
    name: 'finalizer added by a plain patch: union, new value first as upstream',
    doc: { metadata: { name: 'x', finalizers: ['a'] } },
    schema: deploymentSchema,
    patch: { metadata: { finalizers: ['b', 'a'] } },
    want: { metadata: { name: 'x', finalizers: ['b', 'a'] } },
  },
  {
    name: 'finalizer removed with $deleteFromPrimitiveList',
    doc: { metadata: { name: 'x', finalizers: ['a', 'b', 'c'] } },
    schema: deploymentSchema,
    patch: {
      metadata: {
        '$setElementOrder/finalizers': ['a', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
      },
    },
    want: { metadata: { name: 'x', finalizers: ['a', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList on a missing list does nothing',
    doc: { metadata: { name: 'x' } },
    schema: deploymentSchema,
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: { metadata: { name: 'x' } },
  },
  {
    name: 'all finalizers removed with null',
    doc: { metadata: { name: 'x', finalizers: ['a'] } },
    schema: deploymentSchema,
    patch: { metadata: { finalizers: null } },
    want: { metadata: { name: 'x' } },
  },
  {
    name: '$retainKeys: strategy switched from RollingUpdate to Recreate',
    doc: deployment(),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    want: edited(deployment(), (d) => {
      d.spec.strategy = { type: 'Recreate' }
    }),
  },
  {
    name: '$retainKeys without the null drops the unlisted keys too',
    doc: deployment(),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: edited(deployment(), (d) => {
      d.spec.strategy = { type: 'Recreate' }
    }),
  },
  {
    name: 'labels merge key by key; null deletes one',
    doc: deployment(),
    patch: { metadata: { labels: { tier: 'frontend', app: null } } },
    want: edited(deployment(), (d) => {
      d.metadata.labels = { tier: 'frontend' }
    }),
  },
  {
    name: 'scale-style scalar change',
    doc: deployment(),
    patch: { spec: { replicas: 5 } },
    want: edited(deployment(), (d) => {
      d.spec.replicas = 5
    }),
  },
  {
    name: '$patch: replace on an object replaces it',
    doc: deployment(),
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'replace', disk: 'hdd' } } } } },
    want: edited(deployment(), (d) => {
      podSpec(d).nodeSelector = { disk: 'hdd' }
    }),
  },
  {
    name: '$patch: delete on an object leaves it empty, as upstream',
    doc: deployment(),
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'delete' } } } } },
    want: edited(deployment(), (d) => {
      podSpec(d).nodeSelector = {}
    }),
  },
  {
    name: '$patch: replace element replaces the whole merging list',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'only:1' }] },
        },
      },
    },
    want: edited(deployment(), (d) => {
      podSpec(d).containers = [{ name: 'only', image: 'only:1' }]
    }),
  },
  {
    name: 'a new subtree is stored without its nulls and directives',
    doc: { metadata: { name: 'x' } },
    schema: deploymentSchema,
    patch: {
      metadata: { labels: { a: 'b', c: null } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i', env: null }] } } },
    },
    want: {
      metadata: { name: 'x', labels: { a: 'b' } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    },
  },
  {
    name: 'a "$" key is data in a map (annotations), as upstream',
    doc: { metadata: { name: 'x' } },
    schema: deploymentSchema,
    patch: { metadata: { annotations: { $odd: 'kept' } } },
    want: { metadata: { name: 'x', annotations: { $odd: 'kept' } } },
  },
  {
    name: 'cordon',
    doc: node(),
    schema: nodeSchema,
    patch: { spec: { unschedulable: true } },
    want: edited(node(), (n) => {
      n.spec.unschedulable = true
    }),
  },
  {
    name: 'taint added: kubectl taint sends the whole list',
    doc: edited(node(), (n) => {
      n.spec.taints = [{ key: 'a', value: '1', effect: 'NoSchedule' }]
    }),
    schema: nodeSchema,
    patch: {
      spec: {
        taints: [
          { effect: 'NoSchedule', key: 'a', value: '1' },
          { effect: 'NoExecute', key: 'b', value: '2' },
        ],
      },
    },
    want: edited(node(), (n) => {
      n.spec.taints = [
        { effect: 'NoSchedule', key: 'a', value: '1' },
        { effect: 'NoExecute', key: 'b', value: '2' },
      ]
    }),
  },
  {
    name: 'uncordon removes the field with null',
    doc: edited(node(), (n) => {
      n.spec.unschedulable = true
    }),
    schema: nodeSchema,
    patch: { spec: { unschedulable: null } },
    want: node(),
  },
  {
    name: 'without a schema, lists are replaced as in a JSON merge patch',
    doc: { spec: { items: [{ name: 'a', v: 1 }], m: { a: 1, b: 2 } } },
    schema: undefined,
    patch: { spec: { items: [{ name: 'b' }], m: { a: null, c: 3 } } },
    want: { spec: { items: [{ name: 'b' }], m: { b: 2, c: 3 } } },
  },
  {
    name: 'a field the schema does not know merges as JSON merge patch',
    doc: deployment(),
    patch: { status: { conditions: [{ type: 'Available' }] } },
    want: edited(deployment(), (d) => {
      d.status = { conditions: [{ type: 'Available' }] }
    }),
  },
]

describe('applyStrategicMergePatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const doc = deepFreeze(structuredClone(c.doc))
      const patch = deepFreeze(structuredClone(c.patch))
      const schema = 'schema' in c ? c.schema : deploymentSchema
      expect(applyStrategicMergePatch(doc, patch, schema)).toStrictEqual(c.want)
    })
  }
})

interface ErrorCase {
  name: string
  doc: unknown
  patch: unknown
  message: string | RegExp
  malformed: boolean
}

const errorCases: ErrorCase[] = [
  {
    name: 'a patch that is not an object',
    doc: deployment(),
    patch: [1],
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    malformed: true,
  },
  {
    name: 'an unknown $patch value on an object',
    doc: deployment(),
    patch: { spec: { strategy: { $patch: 'frobnicate' } } },
    message: 'unknown patch type: frobnicate in map: map[$patch:frobnicate]',
    malformed: true,
  },
  {
    name: 'an unknown $patch value on a list element',
    doc: deployment(),
    patch: { spec: { template: { spec: { containers: [{ name: 'nginx', $patch: 'nope' }] } } } },
    message: /^unknown patch type: nope/,
    malformed: true,
  },
  {
    name: 'an unknown $ directive',
    doc: deployment(),
    patch: { spec: { $frobnicate: ['x'] } },
    message: /\$frobnicate/,
    malformed: true,
  },
  {
    name: '$retainKeys that is not a list',
    doc: deployment(),
    patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } },
    message: 'invalid patch format of retainKeys',
    malformed: true,
  },
  {
    name: 'a patched key missing from $retainKeys',
    doc: deployment(),
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } },
    message: 'invalid patch format of retainKeys',
    malformed: true,
  },
  {
    name: '$deleteFromPrimitiveList that is not a list',
    doc: deployment(),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } },
    message: 'invalid patch format of primitive list',
    malformed: true,
  },
  {
    name: 'a directive prefix without a slash',
    doc: deployment(),
    patch: { metadata: { $setElementOrderfinalizers: ['a'] } },
    message: 'invalid patch format of setElementOrder list',
    malformed: true,
  },
  {
    name: 'a merging list element without its merge key',
    doc: deployment(),
    patch: { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
    message: 'map: map[image:x] does not contain declared merge key: name',
    malformed: true,
  },
  {
    name: 'a patch list out of $setElementOrder order',
    doc: deployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ name: 'sidecar' }, { name: 'nginx' }],
          },
        },
      },
    },
    message: /^The order in patch list:/,
    malformed: true,
  },
  {
    name: 'mixed element types',
    doc: { metadata: { finalizers: ['a'] } },
    patch: { metadata: { finalizers: [1] } },
    message: 'list element types are not identical: [[a] [1]]',
    malformed: false,
  },
  {
    name: 'a list of lists',
    doc: { metadata: { finalizers: [] } },
    patch: { metadata: { finalizers: [['b']] } },
    message: 'lists of lists are not supported',
    malformed: false,
  },
]

describe('applyStrategicMergePatch errors', () => {
  for (const c of errorCases) {
    it(c.name, () => {
      let err: unknown
      try {
        applyStrategicMergePatch(c.doc, c.patch, deploymentSchema)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(PatchError)
      const pe = err as PatchError
      if (typeof c.message === 'string') expect(pe.message).toBe(c.message)
      else expect(pe.message).toMatch(c.message)
      expect(pe.malformed).toBe(c.malformed)
    })
  }
})
