import { describe, expect, it } from 'vitest'
import { fromFragment, problems } from './identity'

describe('fromFragment', () => {
  it('reads cluster, token and name', () => {
    expect(fromFragment('#/clusters/demo?token=abc.def&name=Ada%20L')).toEqual({ cluster: 'demo', token: 'abc.def', name: 'Ada L' })
  })
  it('reads a cluster alone', () => {
    expect(fromFragment('#/clusters/demo')).toEqual({ cluster: 'demo' })
  })
  it('ignores other fragments', () => {
    expect(fromFragment('#panel-terminal')).toEqual({})
    expect(fromFragment('')).toEqual({})
  })
})

describe('problems', () => {
  it('names each missing or bad field', () => {
    expect(Object.keys(problems({}))).toEqual(['cluster', 'token', 'name'])
    expect(problems({ cluster: 'Demo!', token: 't', name: 'a' }).cluster).toBeDefined()
    expect(problems({ cluster: 'demo', token: 't', name: 'x'.repeat(41) }).name).toBe('at most 40 characters')
    expect(problems({ cluster: 'demo', token: 't', name: 'Ada' })).toEqual({})
  })
})
