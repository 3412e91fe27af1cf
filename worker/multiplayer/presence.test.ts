import { describe, expect, it } from 'vitest'
import type { Status } from '../apiserver/status'
import { applyPresence, assignColor, PALETTE, peopleList, samePerson } from './presence'
import type { Person } from './protocol'

const person = (id: string, color: string = PALETTE[0], name = id): Person => ({ id, user: 'kubernetes-admin', name, color })

describe('assignColor', () => {
  it.each([
    ['nobody here: the first colour', [], PALETTE[0]],
    ['the next unused colour', [PALETTE[0], PALETTE[1]], PALETTE[2]],
    ['a colour freed by someone leaving', [PALETTE[0], PALETTE[2]], PALETTE[1]],
    ['all used once: the first again', [...PALETTE], PALETTE[0]],
    ['the least used when all are taken', [...PALETTE, PALETTE[0], PALETTE[1]], PALETTE[2]],
    ['colours outside the palette do not count', ['#000000'], PALETTE[0]],
  ])('%s', (_, worn, want) => {
    expect(assignColor(worn.map((color) => ({ color })))).toBe(want)
  })
})

describe('applyPresence', () => {
  const p = person('a')
  it('sets a trimmed name, a colour and a focus, and clears the focus with null', () => {
    const next = applyPresence(p, { name: '  Alice ', color: '#AbCdEf', focus: { kind: 'Pod', namespace: 'default', name: 'web-1' } }) as Person
    expect(next).toEqual({ ...p, name: 'Alice', color: '#abcdef', focus: { kind: 'Pod', namespace: 'default', name: 'web-1' } })
    expect(applyPresence(next, { focus: null })).toEqual({ ...p, name: 'Alice', color: '#abcdef' })
  })

  it('leaves what a message does not mention', () => {
    expect(applyPresence(p, {})).toEqual(p)
  })

  it.each([
    ['an empty name', { name: '   ' }, 'presence.name'],
    ['a long name', { name: 'x'.repeat(41) }, 'presence.name'],
    ['a name with a newline', { name: 'a\nb' }, 'presence.name'],
    ['a colour that is not hex', { color: 'red' }, 'presence.color'],
    ['a focus without a name', { focus: { kind: 'Pod' } }, 'presence.focus.name'],
    ['a focus that is a string', { focus: 'pod/web' }, 'presence.focus'],
  ])('refuses %s with a 422 naming the field', (_, change, field) => {
    const r = applyPresence(p, change as never) as Status
    expect([r.kind, r.code, r.reason]).toEqual(['Status', 422, 'Invalid'])
    expect(r.message.startsWith(`${field}: Invalid value`)).toBe(true)
  })

  it('takes a focus on a kind named Status as a focus', () => {
    expect(applyPresence(p, { focus: { kind: 'Status', name: 'x' } })).toEqual({ ...p, focus: { kind: 'Status', name: 'x' } })
  })
})

describe('people', () => {
  it('lists people in order of arrival (their ids are time-ordered)', () => {
    expect(peopleList([person('0002'), person('0001'), person('0003')]).map((x) => x.id)).toEqual(['0001', '0002', '0003'])
  })

  it('tells a change others should hear of', () => {
    const a = person('a')
    expect(samePerson(a, { ...a })).toBe(true)
    expect(samePerson(a, { ...a, name: 'b' })).toBe(false)
    expect(samePerson(a, { ...a, focus: { kind: 'Pod', name: 'x' } })).toBe(false)
  })
})
