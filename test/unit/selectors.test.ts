import { describe, expect, it } from 'vitest'
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from '../../worker/apiserver/selectors'
import { findKind } from '../../worker/resources/registry'

const labels = { app: 'web', tier: 'frontend', 'app.kubernetes.io/name': 'shop', replicas: '3' }

describe('label selectors', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['app in (web,db)', true],
    ['app notin (web, db)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['app.kubernetes.io/name=shop', true],
    ['replicas>2', true],
    ['replicas<2', false],
    ['', true],
  ])('%s → %s', (sel, want) => {
    expect(matchLabels(parseLabelSelector(sel), labels)).toBe(want)
  })

  it.each(['app=', 'app in web', '=web', 'a b', 'app=we b', 'x>y'].filter((s) => s !== 'app='))('refuses %s', (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(/unable to parse requirement|invalid/)
  })
})

describe('field selectors', () => {
  const pods = findKind('', 'v1', 'pods')!
  const pod = { metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: 'worker-2' }, status: { phase: 'Running' } }
  it('matches the whitelisted fields kubectl describe uses', () => {
    expect(matchFields(parseFieldSelector('spec.nodeName=worker-2,status.phase!=Succeeded,status.phase!=Failed', pods), pod, pods)).toBe(true)
    expect(matchFields(parseFieldSelector('metadata.name==web-2', pods), pod, pods)).toBe(false)
  })
  it('refuses fields outside the whitelist in upstream words', () => {
    expect(() => parseFieldSelector('spec.containers=x', pods)).toThrow('field label not supported: spec.containers')
  })
})
