import { describe, expect, it } from 'vitest'
import { deepFreeze } from './fixtures.test-helpers'
import { applyMergePatch } from './merge-patch'
import { PatchError } from './schema'

interface Case {
  name: string
  doc: unknown
  patch: unknown
  want: unknown
}

// Mostly the examples of RFC 7386 appendix A, plus what kubectl sends.
const cases: Case[] = [
  { name: 'replace a member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'add a member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'null deletes a member', doc: { a: 'b' }, patch: { a: null }, want: {} },
  {
    name: 'null deletes only that member',
    doc: { a: 'b', b: 'c' },
    patch: { a: null },
    want: { b: 'c' },
  },
  { name: 'an array replaces a scalar', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'a scalar replaces an array', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  {
    name: 'objects merge recursively',
    doc: { a: { b: 'c' } },
    patch: { a: { b: 'd', c: null } },
    want: { a: { b: 'd' } },
  },
  {
    name: 'arrays are replaced, not merged',
    doc: { a: [{ b: 'c' }] },
    patch: { a: [1] },
    want: { a: [1] },
  },
  {
    name: 'members the patch does not name are left alone, even null ones',
    doc: { e: null },
    patch: { a: 1 },
    want: { e: null, a: 1 },
  },
  {
    name: 'a new nested object is added without its nulls',
    doc: {},
    patch: { a: { bb: { ccc: null } } },
    want: { a: { bb: {} } },
  },
  {
    name: 'kubectl label --overwrite and label removal',
    doc: { metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } },
    patch: { metadata: { labels: { app: 'api', tier: null, env: 'prod' } } },
    want: { metadata: { name: 'web', labels: { app: 'api', env: 'prod' } } },
  },
  {
    name: 'kubectl annotate on an object without annotations',
    doc: { metadata: { name: 'web' } },
    patch: { metadata: { annotations: { note: 'hi' } } },
    want: { metadata: { name: 'web', annotations: { note: 'hi' } } },
  },
  {
    name: 'kubectl scale',
    doc: { spec: { replicas: 1, selector: 'app=web' }, status: { replicas: 1 } },
    patch: { spec: { replicas: 3 } },
    want: { spec: { replicas: 3, selector: 'app=web' }, status: { replicas: 1 } },
  },
  {
    name: 'nulls inside a newly added array are pruned, as the Go library does',
    doc: {},
    patch: { a: [1, null, { b: null, c: 2 }] },
    want: { a: [1, { c: 2 }] },
  },
  {
    name: 'an array patch replaces the whole document',
    doc: { a: 1 },
    patch: ['x'],
    want: ['x'],
  },
]

describe('applyMergePatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const doc = deepFreeze(structuredClone(c.doc))
      const patch = deepFreeze(structuredClone(c.patch))
      expect(applyMergePatch(doc, patch)).toStrictEqual(c.want)
    })
  }

  for (const patch of [null, 'x', 1, true]) {
    it(`rejects a ${JSON.stringify(patch)} patch as malformed`, () => {
      let err: unknown
      try {
        applyMergePatch({ a: 1 }, patch)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(PatchError)
      expect((err as PatchError).malformed).toBe(true)
      expect((err as PatchError).message).toBe('Invalid JSON Patch')
    })
  }
})
