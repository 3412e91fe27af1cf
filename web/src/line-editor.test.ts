import { describe, expect, it } from 'vitest'
import { commonPrefix, emptyLine, key, type LineState, submitted } from './line-editor'

function type(s: LineState, ...keys: string[]): LineState {
  for (const k of keys) s = key(s, k)[0]
  return s
}

describe('line editing', () => {
  it('inserts, moves and deletes', () => {
    let s = type(emptyLine(), 'kubectl get po')
    expect(s).toMatchObject({ line: 'kubectl get po', cursor: 14 })
    s = type(s, '\x1b[D', '\x1b[D', '\x7f')
    expect(s).toMatchObject({ line: 'kubectl getpo', cursor: 11 })
    s = type(s, ' ', '\x01', '\x1b[3~')
    expect(s).toMatchObject({ line: 'ubectl get po', cursor: 0 })
    s = type(s, '\x05', '\x17')
    expect(s).toMatchObject({ line: 'ubectl get ', cursor: 11 })
    s = type(s, '\x1b[1;5D', '\x0b')
    expect(s).toMatchObject({ line: 'ubectl ', cursor: 7 })
    s = type(s, '\x15')
    expect(s).toMatchObject({ line: '', cursor: 0 })
  })

  it('reports submit, complete, interrupt, clear and end of input', () => {
    const s = type(emptyLine(), 'x')
    expect(key(s, '\r')[1]).toBe('submit')
    expect(key(s, '\t')[1]).toBe('complete')
    expect(key(s, '\x03')[1]).toBe('interrupt')
    expect(key(s, '\x0c')[1]).toBe('clear')
    expect(key(emptyLine(), '\x04')[1]).toBe('eof')
    expect(key(s, '\x1b[15~')).toEqual([s, 'none'])
  })

  it('walks history with ↑/↓ and keeps the draft', () => {
    let s = emptyLine(['kubectl get nodes', 'kubectl get pods'])
    s = type(s, 'kub', '\x1b[A')
    expect(s.line).toBe('kubectl get pods')
    s = type(s, '\x1b[A', '\x1b[A')
    expect(s.line).toBe('kubectl get nodes')
    s = type(s, '\x1b[B', '\x1b[B')
    expect(s).toMatchObject({ line: 'kub', cursor: 3 })
  })

  it('adds a submitted line to history once, not blanks', () => {
    let s = submitted(type(emptyLine(), 'kubectl get pods'))
    s = submitted(type(s, 'kubectl get pods'))
    s = submitted(type(s, '   '))
    expect(s.history).toEqual(['kubectl get pods'])
    expect(s.index).toBe(1)
  })

  it('runs the first line of a multi-line paste', () => {
    const [s, action] = key(emptyLine(), 'kubectl get ns\nkubectl get pods\n')
    expect(action).toBe('submit')
    expect(s.line).toBe('kubectl get ns')
  })
})

it('commonPrefix', () => {
  expect(commonPrefix(['deployments', 'deploy', 'describe'])).toBe('de')
  expect(commonPrefix(['pods'])).toBe('pods')
  expect(commonPrefix([])).toBe('')
})
