import { describe, expect, it } from 'vitest'
import { describeWrite } from './activity'

const node = (annotations: object = {}, spec: object = {}) => ({ kind: 'Node', metadata: { name: 'worker-2', annotations }, spec })
const deploy = (replicas: number, image = 'nginx:1.27') => ({ kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, template: { spec: { containers: [{ image }] } } } })

describe('describeWrite', () => {
  const cases: { name: string; args: Parameters<typeof describeWrite>; want: string }[] = [
    { name: 'create', args: ['ADDED', deploy(1)], want: 'created deployment web' },
    { name: 'delete', args: ['DELETED', deploy(1)], want: 'deleted deployment web' },
    { name: 'graceful delete', args: ['MODIFIED', { kind: 'Pod', metadata: { name: 'p', deletionTimestamp: 't' } }, { kind: 'Pod', metadata: { name: 'p' } }], want: 'deleted pod p' },
    { name: 'scale', args: ['MODIFIED', deploy(5), deploy(1)], want: 'scaled deployment web to 5' },
    { name: 'set image', args: ['MODIFIED', deploy(1, 'nginx:x'), deploy(1)], want: 'set the image of deployment web to nginx:x' },
    { name: 'power off', args: ['MODIFIED', node({ 'sim.wheelhouse.dev/fault': 'poweroff' }), node()], want: 'powered off node worker-2' },
    { name: 'partition', args: ['MODIFIED', node({ 'sim.wheelhouse.dev/fault': 'partition' }), node()], want: 'partitioned node worker-2' },
    { name: 'restore', args: ['MODIFIED', node(), node({ 'sim.wheelhouse.dev/fault': 'poweroff' })], want: 'restored node worker-2' },
    { name: 'cordon', args: ['MODIFIED', node({}, { unschedulable: true }), node()], want: 'cordoned node worker-2' },
    { name: 'clock speed', args: ['MODIFIED', { kind: 'Clock', metadata: { name: 'cluster' }, spec: { speed: 60 } }, { kind: 'Clock', metadata: { name: 'cluster' }, spec: { speed: 1 } }], want: 'set the clock to 60×' },
    { name: 'unknown previous', args: ['MODIFIED', deploy(2)], want: 'changed deployment web' },
  ]
  for (const c of cases) it(c.name, () => expect(describeWrite(...c.args)).toBe(c.want))
})
