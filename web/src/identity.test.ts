import { describe, expect, it } from 'vitest'
import { fromFragment, initial, problems } from './identity'

describe('fromFragment', () => {
  it('reads cluster, token and name', () => {
    expect(fromFragment('#/clusters/demo?token=abc.def&name=Ada%20L')).toEqual({ cluster: 'demo', token: 'abc.def', name: 'Ada L' })
  })
  it('reads a join code, so a leader can share a link', () => {
    expect(fromFragment('#/clusters/demo?join=K7QM-2X01-11')).toEqual({ cluster: 'demo', joinCode: 'K7QM-2X01-11' })
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

describe('initial', () => {
  it('prefills the form from a fragment without a name, and takes the token out of the address bar', () => {
    const replaced: string[] = []
    const loc = { hash: '#/clusters/demo?token=abc', pathname: '/' } as Location
    const hist = { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) } as unknown as History
    const r = initial(loc, hist)
    expect(r.identity).toBeUndefined()
    expect(r.prefill).toEqual({ cluster: 'demo', token: 'abc' })
    expect(replaced).toEqual(['/#/clusters/demo'])
  })
  it('starts a join link at the form, with the code filled in and out of the address bar', () => {
    const replaced: string[] = []
    const loc = { hash: '#/clusters/room?join=ABCD-EFGH-JK', pathname: '/' } as Location
    const hist = { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) } as unknown as History
    const r = initial(loc, hist)
    expect(r.identity).toBeUndefined()
    expect(r.prefill).toEqual({ cluster: 'room', joinCode: 'ABCD-EFGH-JK' })
    expect(replaced).toEqual(['/#/clusters/room'])
  })
})
