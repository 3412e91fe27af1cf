// sim.wheelhouse.dev/v1alpha1 TrafficRun and DNSLookup: create-only requests
// (like a SelfSubjectAccessReview) that send simulated traffic through the
// cluster's network, or ask the cluster DNS, and answer with what happened.
import { Type } from '@sinclair/typebox'
import { metadataField, typeMeta } from './meta'
import { atomicList, def, int32, obj, ref, str } from './t'

const kind = <P extends Parameters<typeof obj>[1]>(name: string, description: string, props: P) =>
  def(name, obj(description, { ...typeMeta, metadata: metadataField, ...props }))

const Source = def(
  'dev.wheelhouse.sim.v1alpha1.TrafficSource',
  obj('Where requests start: a pod (its namespace is the request\'s), a node, or outside the cluster when empty.', {
    pod: str('A pod in this namespace: requests leave from its IP, through its node\'s kube-proxy, using the cluster DNS.'),
    node: str('A node: requests leave from its IP (host network).'),
  }),
)

export const TrafficRun = kind(
  'dev.wheelhouse.sim.v1alpha1.TrafficRun',
  'Simulated requests sent to an address (a Service name, ClusterIP, NodePort on a node, LoadBalancer IP or pod IP), each following the rules of the node it passes through. Create-only: the answer carries the outcome.',
  {
    spec: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.TrafficRunSpec',
        obj(
          'What to send.',
          {
            url: str('http://host[:port][/path], or host:port. The host is a DNS name, a ClusterIP, a LoadBalancer IP, a node IP or a pod IP.'),
            requests: int32('How many requests (default 1, at most 100000).'),
            clients: int32('From outside: how many distinct client addresses send them (default 1).'),
            method: str('HTTP method (default GET).'),
            from: ref(Source, 'Where requests start; outside the cluster when omitted.'),
          },
          ['url'],
        ),
      ),
      'What to send.',
    ),
    status: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.TrafficRunStatus',
        obj('What happened.', {
          address: str('The IP the host resolved to.'),
          port: int32('The destination port.'),
          via: str('What the address is: ClusterIP, LoadBalancer, NodePort, PodIP or NodeIP.'),
          service: str('The Service port the requests matched, as namespace/name:port.'),
          sent: int32('Requests sent.'),
          answered: int32('Requests a container answered.'),
          refused: int32('Connections refused (no ready endpoints, or nothing listening).'),
          timedOut: int32('Connections that timed out (an unreachable address, a powered-off node).'),
          endpoints: atomicList(
            Type.Object({ pod: str(), node: str(), ip: str(), port: int32(), requests: int32() }, { description: 'Requests one endpoint received.' }),
            'Requests per endpoint.',
          ),
          nodes: atomicList(
            Type.Object({ name: str(), requests: int32() }, { description: 'Requests one node\'s kube-proxy handled.' }),
            'Requests per node that routed them.',
          ),
          response: ref(
            def(
              'dev.wheelhouse.sim.v1alpha1.TrafficResponse',
              obj('The last answer, as curl would print it.', { code: int32('HTTP status.'), pod: str('The pod that answered.'), body: str('The body.') }),
            ),
            'The last answer.',
          ),
          error: str('Why nothing answered, worded as curl would.'),
        }),
      ),
      'What happened (set by the server).',
    ),
  },
)

export const DNSLookup = kind(
  'dev.wheelhouse.sim.v1alpha1.DNSLookup',
  'A question to the cluster DNS (CoreDNS\'s kubernetes plugin), asked from a pod\'s resolver or as a fully qualified name. Create-only: the answer carries the records.',
  {
    spec: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.DNSLookupSpec',
        obj(
          'The question.',
          {
            name: str('The name to look up; short names go through the pod resolver\'s search list.'),
            type: str('A (default), SRV, CNAME or PTR.'),
            from: ref(Source, 'The pod whose resolver asks; the namespace\'s search list is used when omitted.'),
          },
          ['name'],
        ),
      ),
      'The question.',
    ),
    status: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.DNSLookupStatus',
        obj('The answer.', {
          rcode: str('NOERROR or NXDOMAIN.'),
          name: str('The fully qualified name that answered (or the last one tried).'),
          answers: atomicList(
            Type.Object({ name: str(), type: str(), ttl: int32(), data: str() }, { description: 'One resource record.' }),
            'The records.',
          ),
          output: str('What nslookup prints.'),
        }),
      ),
      'The answer (set by the server).',
    ),
  },
)
