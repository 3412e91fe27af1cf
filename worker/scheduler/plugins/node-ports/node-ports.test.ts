import { describe, expect, it } from 'vitest'
import { Code, type Obj } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { NodePorts } from './node-ports'

const withPorts = (...ports: Obj[]) =>
  makePod({
    spec: {
      containers: [
        { name: 'c', image: 'nginx', ports: ports.map((p) => ({ containerPort: 80, ...p })) },
      ],
    },
  })

describe('NodePorts', () => {
  const cases: { name: string; pod: Obj; existing: Obj[]; want: Code }[] = [
    {
      name: 'no host ports',
      pod: makePod(),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Success,
    },
    {
      name: 'free port',
      pod: withPorts({ hostPort: 8080 }),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Success,
    },
    {
      name: 'same port, both wildcard',
      pod: withPorts({ hostPort: 80 }),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Unschedulable,
    },
    {
      name: 'same port, other protocol',
      pod: withPorts({ hostPort: 80, protocol: 'UDP' }),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Success,
    },
    {
      name: 'protocol defaults to TCP',
      pod: withPorts({ hostPort: 80, protocol: 'TCP' }),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Unschedulable,
    },
    {
      name: 'different specific addresses',
      pod: withPorts({ hostPort: 80, hostIP: '10.0.0.1' }),
      existing: [withPorts({ hostPort: 80, hostIP: '10.0.0.2' })],
      want: Code.Success,
    },
    {
      name: 'same specific address',
      pod: withPorts({ hostPort: 80, hostIP: '10.0.0.1' }),
      existing: [withPorts({ hostPort: 80, hostIP: '10.0.0.1' })],
      want: Code.Unschedulable,
    },
    {
      name: 'wanted wildcard against a specific address',
      pod: withPorts({ hostPort: 80, hostIP: '0.0.0.0' }),
      existing: [withPorts({ hostPort: 80, hostIP: '10.0.0.1' })],
      want: Code.Unschedulable,
    },
    {
      name: 'wanted specific address against a wildcard',
      pod: withPorts({ hostPort: 80, hostIP: '10.0.0.1' }),
      existing: [withPorts({ hostPort: 80 })],
      want: Code.Unschedulable,
    },
    {
      name: 'IPv6 addresses',
      pod: withPorts({ hostPort: 80, hostIP: '::1' }),
      existing: [withPorts({ hostPort: 80, hostIP: 'fe80::1' })],
      want: Code.Success,
    },
    {
      name: 'containerPort alone claims nothing',
      pod: withPorts({ containerPort: 80 }),
      existing: [withPorts({ containerPort: 80 })],
      want: Code.Success,
    },
  ]
  it.each(cases)('$name', ({ pod, existing, want }) => {
    const got = runFilter(NodePorts, pod, [{ node: makeNode('n1'), pods: existing }]).n1!
    expect(got.code).toBe(want)
    if (want !== Code.Success)
      expect(got.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"])
  })
})
