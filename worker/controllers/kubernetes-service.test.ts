import { describe, expect, it } from 'vitest'
import { kubernetesEndpoints, kubernetesEndpointSlice, kubernetesService } from '../apiserver/bootstrap-services'
import { recordingContext } from './framework/recording-context'
import { ENDPOINTS, ENDPOINTSLICES, type KindRef, type Obj, SERVICES } from './framework/types'
import { kubernetesServiceController, syncKubernetesService } from './kubernetes-service'

const all = (): [KindRef, Obj][] => [
  [SERVICES, kubernetesService()],
  [ENDPOINTS, kubernetesEndpoints()],
  [ENDPOINTSLICES, kubernetesEndpointSlice()],
]

describe('kubernetes Service reconciler', () => {
  it('writes nothing when all three are as the API server sets them', () => {
    const r = recordingContext(all())
    syncKubernetesService('default/kubernetes', r.ctx)
    expect(r.writes).toEqual([])
  })

  it('recreates a deleted Service, Endpoints or EndpointSlice', () => {
    const r = recordingContext([])
    syncKubernetesService('default/kubernetes', r.ctx)
    expect(r.writes).toEqual([`create ${SERVICES} kubernetes`, `create ${ENDPOINTS} kubernetes`, `create ${ENDPOINTSLICES} kubernetes`])
  })

  it('puts back edited ports, type and endpoints, keeping other edits (labels, selector-free spec fields)', () => {
    const svc = kubernetesService()
    svc.spec.ports = [{ name: 'https', port: 8443, protocol: 'TCP', targetPort: 6443 }]
    svc.metadata.labels.team = 'platform'
    const ep = kubernetesEndpoints()
    ep.subsets[0].addresses = [{ ip: '10.0.0.9' }]
    const r = recordingContext([[SERVICES, svc], [ENDPOINTS, ep], [ENDPOINTSLICES, kubernetesEndpointSlice()]])
    syncKubernetesService('default/kubernetes', r.ctx)
    expect(r.writes).toEqual([`update ${SERVICES} kubernetes`, `update ${ENDPOINTS} kubernetes`])
    expect(r.get(SERVICES, 'default', 'kubernetes')!.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }])
    expect(r.get(SERVICES, 'default', 'kubernetes')!.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes', team: 'platform' })
    expect(r.get(ENDPOINTS, 'default', 'kubernetes')!.subsets).toEqual(kubernetesEndpoints().subsets)
  })

  it('watches only default/kubernetes', () => {
    const w = kubernetesServiceController.watches[SERVICES]!
    expect(w(kubernetesService(), undefined, true)).toEqual(['default/kubernetes'])
    expect(w({ metadata: { namespace: 'kube-system', name: 'kubernetes' } }, undefined, false)).toEqual([])
  })
})
