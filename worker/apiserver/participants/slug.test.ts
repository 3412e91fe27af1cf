import { describe, expect, it } from 'vitest'
import { displayNameProblem, participantLabel, slugOf } from './slug'

describe('slugOf', () => {
  it.each([
    { input: 'Alice Smith', want: 'alice-smith' },
    { input: '  Zoë  Ørsted ', want: 'zoe-rsted' },
    { input: 'José-María', want: 'jose-maria' },
    { input: 'bob_42!!', want: 'bob-42' },
    { input: '李雷', want: 'participant' },
    { input: '---', want: 'participant' },
    { input: 'a'.repeat(80), want: 'a'.repeat(59) },
    { input: `${'a'.repeat(58)} b`, want: 'a'.repeat(58) },
  ])('$input → $want', ({ input, want }) => {
    const s = slugOf(input)
    expect(s).toBe(want)
    expect(s).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  })
})

describe('participantLabel', () => {
  it('adds -2, -3 to a taken label', () => {
    const taken = new Set(['alice-smith', 'alice-smith-2'])
    expect(participantLabel('Alice Smith', (l) => taken.has(l))).toBe('alice-smith-3')
    expect(participantLabel('Bob', (l) => taken.has(l))).toBe('bob')
  })

  it('never gives a person a system namespace or the admin user', () => {
    const none = () => false
    expect(participantLabel('default', none)).toBe('participant-default')
    expect(participantLabel('kube-system', none)).toBe('participant-kube-system')
    expect(participantLabel('Kubernetes Admin', none)).toBe('participant-kubernetes-admin')
    expect(participantLabel('System Masters', none)).toBe('participant-system-masters')
  })
})

describe('displayNameProblem', () => {
  it.each([
    { input: 'Alice', want: undefined },
    { input: '  ', want: 'must not be empty' },
    { input: 42, want: 'must be a string' },
    { input: 'x'.repeat(65), want: 'must be no more than 64 characters' },
    { input: 'a\nb', want: 'must not contain control characters' },
  ])('$input', ({ input, want }) => expect(displayNameProblem(input)).toBe(want))
})
