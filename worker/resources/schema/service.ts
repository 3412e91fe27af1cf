// core/v1 Service and Endpoints.
import { Type } from '@sinclair/typebox'
import { Condition, IntOrString, metadataField, typeMeta } from './meta'
import { ObjectReference } from './pod'
import { atomicList, atomicStrList, bool, def, enumStr, int32, mapList, obj, ref, str } from './t'

const C = 'io.k8s.api.core.v1.'
const protocol = enumStr(['SCTP', 'TCP', 'UDP'], 'IP protocol: TCP (default), UDP or SCTP.')

const ServicePort = def(
  C + 'ServicePort',
  obj(
    'A port the service exposes.',
    {
      name: str('Name of the port; required when there are several.'),
      protocol,
      appProtocol: str('Application protocol of the port.'),
      port: int32('Port the service listens on.'),
      targetPort: ref(IntOrString, 'Port number or name on the pods; same as port by default.'),
      nodePort: int32('Port on every node, for NodePort and LoadBalancer services.'),
    },
    ['port'],
  ),
)
const LoadBalancerIngress = def(
  C + 'LoadBalancerIngress',
  obj('An ingress point of a load balancer.', {
    ip: str('IP of the ingress point.'),
    hostname: str('Hostname of the ingress point.'),
    ipMode: str('VIP or Proxy.'),
    ports: atomicList(
      def(
        C + 'PortStatus',
        obj(
          'A port status.',
          { port: int32('Port.'), protocol, error: str('Problem with the port.') },
          ['port', 'protocol'],
        ),
      ),
      'Ports of the ingress point.',
    ),
  }),
)
export const LoadBalancerStatus = def(
  C + 'LoadBalancerStatus',
  obj('Status of a load balancer.', {
    ingress: atomicList(LoadBalancerIngress, 'Ingress points of the load balancer.'),
  }),
)

const ServiceSpec = def(
  C + 'ServiceSpec',
  obj('Attributes of a service.', {
    ports: mapList(ServicePort, 'Ports the service exposes.', ['port', 'protocol'], {
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'port',
    }),
    selector: Type.Record(Type.String(), Type.String(), {
      description: 'Pods with these labels receive the traffic.',
      'x-kubernetes-map-type': 'atomic',
    }),
    clusterIP: str('Virtual IP of the service; "None" makes it headless.'),
    clusterIPs: atomicStrList('Virtual IPs of the service, one per IP family.'),
    type: enumStr(
      ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
      'How the service is exposed.',
    ),
    externalIPs: atomicStrList('Extra IPs nodes accept traffic for.'),
    sessionAffinity: enumStr(['ClientIP', 'None'], 'Session affinity: None (default) or ClientIP.'),
    loadBalancerIP: str('Deprecated: requested load balancer IP.'),
    loadBalancerSourceRanges: atomicStrList('Client CIDRs allowed through the load balancer.'),
    externalName: str('DNS name returned as a CNAME, for type ExternalName.'),
    externalTrafficPolicy: enumStr(['Cluster', 'Local'], 'How external traffic is routed.'),
    healthCheckNodePort: int32('Health check node port, for Local external traffic.'),
    publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready.'),
    sessionAffinityConfig: ref(
      def(
        C + 'SessionAffinityConfig',
        obj('Session affinity settings.', {
          clientIP: ref(
            def(
              C + 'ClientIPConfig',
              obj('ClientIP affinity settings.', {
                timeoutSeconds: int32('Sticky session timeout.'),
              }),
            ),
            'ClientIP settings.',
          ),
        }),
      ),
      'Session affinity settings.',
    ),
    ipFamilies: atomicStrList('IP families of the service: IPv4, IPv6.'),
    ipFamilyPolicy: enumStr(
      ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
      'Dual-stack policy.',
    ),
    allocateLoadBalancerNodePorts: bool(
      'Allocate node ports for LoadBalancer services; true by default.',
    ),
    loadBalancerClass: str('Load balancer implementation class.'),
    internalTrafficPolicy: enumStr(['Cluster', 'Local'], 'How internal traffic is routed.'),
    trafficDistribution: str('Traffic distribution preference.'),
  }),
)
export const Service = def(
  C + 'Service',
  obj(
    'A named abstraction of software service: a port a proxy listens on and a selector of pods.',
    {
      ...typeMeta,
      metadata: metadataField,
      spec: ref(ServiceSpec, 'Behavior of the service.'),
      status: ref(
        def(
          C + 'ServiceStatus',
          obj('Status of the service.', {
            loadBalancer: ref(LoadBalancerStatus, 'Status of the load balancer, if any.'),
            conditions: mapList(Condition, 'Current conditions of the service.', ['type'], {
              'x-kubernetes-patch-strategy': 'merge',
              'x-kubernetes-patch-merge-key': 'type',
            }),
          }),
        ),
        'Most recently observed status of the service (read-only).',
      ),
    },
  ),
)

const EndpointAddress = def(
  C + 'EndpointAddress',
  obj(
    'An address of an endpoint.',
    {
      ip: str('IP of the endpoint.'),
      hostname: str('Hostname of the endpoint.'),
      nodeName: str('Node hosting the endpoint.'),
      targetRef: ref(ObjectReference, 'The object (usually a pod) providing the endpoint.'),
    },
    ['ip'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
const EndpointPort = def(
  C + 'EndpointPort',
  obj(
    'A port of an endpoint.',
    {
      name: str('Port name.'),
      port: int32('Port number.'),
      protocol,
      appProtocol: str('Application protocol.'),
    },
    ['port'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
export const Endpoints = def(
  C + 'Endpoints',
  obj('The endpoints that implement a service.', {
    ...typeMeta,
    metadata: metadataField,
    subsets: atomicList(
      def(
        C + 'EndpointSubset',
        obj('A set of addresses sharing a set of ports.', {
          addresses: atomicList(EndpointAddress, 'Ready addresses.'),
          notReadyAddresses: atomicList(EndpointAddress, 'Addresses not ready yet.'),
          ports: atomicList(EndpointPort, 'Port numbers available on the addresses.'),
        }),
      ),
      'Sets of addresses and ports.',
    ),
  }),
)
