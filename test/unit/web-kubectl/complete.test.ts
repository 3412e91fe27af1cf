// Tab completion: commands, subcommands, flags and their values, resource types
// from discovery and names from the cluster, type/name forms, explain fields.
import { describe, expect, it } from 'vitest'
import { complete } from '../../../web/src/kubectl/index'
import { harness } from './fake-cluster'
import { demoCluster, richCluster } from './fixtures'

const at = async (line: string, cluster = demoCluster()) => complete(line, line.length, harness(cluster).env)

describe('complete', () => {
  it.each([
    ['g', ['get']],
    ['kubectl de', ['delete', 'describe']],
    ['ro', ['rollout']],
    ['rollout st', ['status']],
    ['create d', ['deployment']],
    ['get pod', ['pod', 'poddisruptionbudget', 'poddisruptionbudgets', 'poddisruptionbudgets.policy', 'pods']],
    ['get po', ['po', 'pod', 'poddisruptionbudget', 'poddisruptionbudgets', 'poddisruptionbudgets.policy', 'pods']],
    ['get deploy', ['deploy', 'deployment', 'deployments', 'deployments.apps']],
    ['get pods we', ['web-7d4b9c8f6-abcde', 'web-7d4b9c8f6-fghij']],
    ['describe deployment ', ['web']],
    ['get deploy/', ['deploy/web']],
    ['delete pod/b', ['pod/big']],
    ['get pods -n ', ['default', 'kube-system']],
    ['get pods -o j', ['json', 'jsonpath-as-json=', 'jsonpath=']],
    ['get pods --sh', ['--show-kind', '--show-labels', '--show-managed-fields']],
    ['logs web-7d4b9c8f6-abcde -c ', ['nginx']],
    ['logs ', ['big', 'web-7d4b9c8f6-abcde', 'web-7d4b9c8f6-fghij']],
    ['cordon w', ['worker-1', 'worker-2']],
    ['taint nodes worker-', ['worker-1', 'worker-2']],
    ['top nodes ', ['worker-1', 'worker-2']],
    ['explain deployment.sp', ['deployment.spec']],
    ['explain deployment.spec.str', ['deployment.spec.strategy']],
    ['explain pods.spec.containers.ima', ['pods.spec.containers.image', 'pods.spec.containers.imagePullPolicy']],
    ['version ', []],
  ])('%s', async (line, want) => {
    expect(await at(line)).toEqual(want)
  })

  it('completes in the middle of a line (only what is before the cursor counts)', async () => {
    const line = 'get pods we -o wide'
    expect(await complete(line, 'get pods we'.length, harness(demoCluster()).env)).toEqual(['web-7d4b9c8f6-abcde', 'web-7d4b9c8f6-fghij'])
  })

  it('lists names in the namespace given with -n', async () => {
    expect(await at('get leases -n kube-node-lease ', richCluster())).toEqual(['worker-3'])
  })
})
