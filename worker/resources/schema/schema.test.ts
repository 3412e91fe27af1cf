import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import { Deployment } from './apps'
import { openapiV3Document, openapiV3Index, resourcesFor } from './openapi'
import { patchSchemaFor } from './patch-meta'
import { definitionName, kindSchemas } from './registry'
import { validateSchema } from './validate'

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 1 } },
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
  },
  status: { replicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
}

describe('validateSchema', () => {
  it('accepts valid objects', () => {
    expect(validateSchema('apps/v1/Deployment', deployment)).toEqual({
      unknownFields: [],
      errors: [],
    })
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: deployment.spec.template.spec,
    }
    expect(validateSchema('/v1/Pod', pod)).toEqual({ unknownFields: [], errors: [] })
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [{ port: 80, targetPort: 8080 }],
      },
      status: { loadBalancer: {} },
    }
    expect(validateSchema('/v1/Service', svc)).toEqual({ unknownFields: [], errors: [] })
    // The TypeBox schema agrees (no compilation: Value.Check interprets).
    expect(Value.Check(Deployment, { ...deployment, status: undefined })).toBe(true)
  })

  it('reports unknown fields with strict-decoding paths', () => {
    const bad = structuredClone(deployment) as any
    bad.spec.replicass = 1
    bad.spec.template.spec.containers[0].imagee = 'x'
    bad.metadata.foo = 1
    expect(validateSchema('apps/v1/Deployment', bad).unknownFields).toEqual([
      'metadata.foo',
      'spec.template.spec.containers[0].imagee',
      'spec.replicass',
    ])
  })

  it('prunes unknown fields when asked, and leaves free-form maps alone', () => {
    const bad = structuredClone(deployment) as any
    bad.spec.replicass = 1
    bad.spec.template.spec.containers[0].bogus = { deep: true }
    bad.metadata.labels = { 'any.key/at-all': 'v' }
    bad.metadata.annotations = { note: 'kept' }
    const r = validateSchema('apps/v1/Deployment', bad, { prune: true })
    expect(r.unknownFields).toEqual(['spec.template.spec.containers[0].bogus', 'spec.replicass'])
    expect(bad.spec.replicass).toBeUndefined()
    expect('bogus' in bad.spec.template.spec.containers[0]).toBe(false)
    expect(bad.metadata.labels).toEqual({ 'any.key/at-all': 'v' })
    expect(bad.metadata.annotations).toEqual({ note: 'kept' })
    expect(validateSchema('apps/v1/Deployment', bad)).toEqual({ unknownFields: [], errors: [] })
    // ConfigMap data is a map: any key is a value, never an unknown field.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { whatever: 'x' }, bogus: 1 }
    expect(validateSchema('/v1/ConfigMap', cm, { prune: true }).unknownFields).toEqual(['bogus'])
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { whatever: 'x' } })
  })

  it('reports type errors as the decoder words them', () => {
    const bad = structuredClone(deployment) as any
    bad.spec.replicas = '3'
    bad.spec.template.spec.containers[0].image = 5
    bad.metadata.labels.x = true
    const { errors } = validateSchema('apps/v1/Deployment', bad)
    expect(errors).toEqual([
      {
        field: 'metadata.labels[x]',
        type: 'FieldValueTypeInvalid',
        message:
          'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
      },
      {
        field: 'spec.replicas',
        type: 'FieldValueTypeInvalid',
        message:
          'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
      {
        field: 'spec.template.spec.containers[0].image',
        type: 'FieldValueTypeInvalid',
        message:
          'json: cannot unmarshal number 5 into Go struct field Container.spec.template.spec.containers.image of type string',
      },
    ])
  })

  it('reports required, enum and quantity problems', () => {
    const bad = structuredClone(deployment) as any
    delete bad.spec.template.spec.containers[0].name
    bad.spec.template.spec.restartPolicy = 'Sometimes'
    bad.spec.template.spec.containers[0].resources.limits.cpu = 'lots'
    const { errors } = validateSchema('apps/v1/Deployment', bad)
    expect(errors.map((e) => [e.field, e.type])).toEqual([
      ['spec.template.spec.containers[0].resources.limits[cpu]', 'FieldValueInvalid'],
      ['spec.template.spec.containers[0].name', 'FieldValueRequired'],
      ['spec.template.spec.restartPolicy', 'FieldValueNotSupported'],
    ])
    expect(errors[2]!.message).toBe(
      'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    )
  })
})

describe('openapi', () => {
  const refsResolve = (doc: any) => {
    const missing: string[] = []
    JSON.stringify(doc, (k, v) => {
      if (k === '$ref' && !doc.components.schemas[v.replace('#/components/schemas/', '')])
        missing.push(v)
      return v
    })
    return missing
  }

  it('documents apps/v1 with GVKs and resolvable refs', () => {
    const doc = openapiV3Document('apis/apps/v1', resourcesFor('apis/apps/v1')) as any
    const d = doc.components.schemas['io.k8s.api.apps.v1.Deployment']
    expect(d['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ])
    expect(refsResolve(doc)).toEqual([])
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    })
    expect(patch.parameters.map((p: any) => p.name)).toContain('fieldValidation')
    expect(Object.keys(patch.requestBody.content)).toContain(
      'application/strategic-merge-patch+json',
    )
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch
    expect(scale['x-kubernetes-group-version-kind'].kind).toBe('Scale')
    const strategy = doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy
    expect(strategy['x-kubernetes-patch-strategy']).toBe('retainKeys')
    const containers = doc.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers
    expect(containers['x-kubernetes-patch-merge-key']).toBe('name')
  })

  it('resolves every ref in every served document and hashes them', () => {
    const index = openapiV3Index() as any
    for (const [gv, { serverRelativeURL }] of Object.entries<any>(index.paths)) {
      expect(serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{16}$`))
      expect(refsResolve(openapiV3Document(gv, resourcesFor(gv)))).toEqual([])
    }
    expect(index.paths['api/v1']).toBeDefined()
  })
})

describe('registry and patch metadata', () => {
  it('names definitions like upstream', () => {
    expect(definitionName('/v1/Pod')).toBe('io.k8s.api.core.v1.Pod')
    expect(definitionName('apps/v1/DeploymentList')).toBe('io.k8s.api.apps.v1.DeploymentList')
    expect(definitionName('sim.wheelhouse.dev/v1alpha1/Clock')).toBe(
      'dev.wheelhouse.sim.v1alpha1.Clock',
    )
    expect(kindSchemas['autoscaling/v1/Scale']).toBeDefined()
  })

  it('derives merge keys and strategies', () => {
    const pod = patchSchemaFor('/v1/Pod')!
    const spec = pod.properties!.spec!
    expect(spec.properties!.containers).toMatchObject({
      patchStrategy: 'merge',
      patchMergeKey: 'name',
      listType: 'map',
    })
    expect(spec.properties!.volumes!.patchStrategy).toBe('merge,retainKeys')
    const container = spec.properties!.containers!.items!
    expect(container.properties!.ports).toMatchObject({
      patchMergeKey: 'containerPort',
      listMapKeys: ['containerPort', 'protocol'],
    })
    expect(pod.properties!.metadata!.properties!.labels!.additionalProperties!.type).toBe('string')
    const dep = patchSchemaFor('apps/v1/Deployment')!
    expect(dep.properties!.spec!.properties!.strategy!.patchStrategy).toBe('retainKeys')
    expect(dep.properties!.spec!.properties!.template!.properties!.spec).toEqual(spec)
    expect(patchSchemaFor('nope/v1/X')).toBeUndefined()
  })
})

describe('types and TypeBox', () => {
  it('gives usable static types and Value.Check understands our formats', async () => {
    const { Pod } = await import('./pod')
    const p: import('./types').Pod = {
      metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    }
    expect(Value.Check(Pod, p)).toBe(true)
    expect(Value.Check(Pod, { ...p, metadata: { creationTimestamp: 'yesterday' } })).toBe(false)
    expect(
      validateSchema('/v1/Pod', { ...p, spec: { ...p.spec, restartPolicy: '' } }).errors,
    ).toEqual([])
  })
})
