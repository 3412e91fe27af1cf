import { describe, expect, it } from 'vitest'
import { deepFreeze, deployment } from './fixtures.test-helpers'
import { applyJsonPatch, JSON_PATCH_NOT_APPLIED } from './json-patch'
import { PatchError } from './schema'

interface Case {
  name: string
  doc: unknown
  patch: unknown
  want: unknown
}

const cases: Case[] = [
  {
    name: 'add an object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    want: { foo: 'bar', baz: 'qux' },
  },
  {
    name: 'add replaces an existing member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/foo', value: 1 }],
    want: { foo: 1 },
  },
  {
    name: 'add an array element before an index',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    want: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'add at the array end with -',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc'] }],
    want: { foo: ['bar', ['abc']] },
  },
  {
    name: 'add at index == length appends',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'x' }],
    want: { foo: ['bar', 'x'] },
  },
  {
    name: 'remove an object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    want: { foo: 'bar' },
  },
  {
    name: 'remove an array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    want: { foo: ['bar', 'baz'] },
  },
  {
    name: 'replace a value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    want: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'move a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'move an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'copy a value, deeply',
    doc: { a: { b: [1] } },
    patch: [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'add', path: '/c/b/-', value: 2 },
    ],
    want: { a: { b: [1] }, c: { b: [1, 2] } },
  },
  {
    name: 'test passes, then the rest applies',
    doc: { baz: 'qux', foo: ['a', 2, 'c'], o: { x: 1, y: 2 } },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
      { op: 'test', path: '/o', value: { y: 2, x: 1 } },
      { op: 'replace', path: '/baz', value: 'ok' },
    ],
    want: { baz: 'ok', foo: ['a', 2, 'c'], o: { x: 1, y: 2 } },
  },
  {
    name: 'test against null matches a missing member, as the Go library does',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '/b', value: null }],
    want: { a: 1 },
  },
  {
    name: '~1 and ~0 escapes in member names (annotation keys)',
    doc: { metadata: { annotations: { 'a/b': '1', 'm~n': '2' } } },
    patch: [
      { op: 'replace', path: '/metadata/annotations/a~1b', value: 'x' },
      { op: 'remove', path: '/metadata/annotations/m~0n' },
      { op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'y' },
    ],
    want: { metadata: { annotations: { 'a/b': 'x', 'kubernetes.io/change-cause': 'y' } } },
  },
  {
    name: 'kubectl rollout undo: replace the template and the annotations',
    doc: deployment(),
    patch: [
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] },
        },
      },
      {
        op: 'replace',
        path: '/metadata/annotations',
        value: { 'deployment.kubernetes.io/revision': '1' },
      },
    ],
    want: (() => {
      const d = deployment() as Record<string, any>
      d.spec.template = {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] },
      }
      d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' }
      return d
    })(),
  },
  {
    name: 'an empty patch changes nothing',
    doc: { a: 1 },
    patch: [],
    want: { a: 1 },
  },
  {
    name: 'replace the whole document with the empty pointer',
    doc: { a: 1 },
    patch: [{ op: 'replace', path: '', value: { b: 2 } }],
    want: { b: 2 },
  },
]

describe('applyJsonPatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const doc = deepFreeze(structuredClone(c.doc))
      const patch = deepFreeze(structuredClone(c.patch))
      expect(applyJsonPatch(doc, patch)).toStrictEqual(c.want)
    })
  }
})

interface ErrorCase {
  name: string
  doc: unknown
  patch: unknown
  message: string
  malformed: boolean
  field?: string
}

const errorCases: ErrorCase[] = [
  {
    name: 'a patch that is not an array',
    doc: {},
    patch: { op: 'add', path: '/a', value: 1 },
    message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    malformed: true,
  },
  {
    name: 'an operation that is not an object',
    doc: {},
    patch: ['add'],
    message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    malformed: true,
  },
  {
    name: 'a failed test',
    doc: { metadata: { resourceVersion: '5' } },
    patch: [{ op: 'test', path: '/metadata/resourceVersion', value: '4' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
    field: 'metadata.resourceVersion',
  },
  {
    name: 'test on a missing member',
    doc: { metadata: {} },
    patch: [{ op: 'test', path: '/metadata/annotations/x', value: 'y' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'remove a member that does not exist',
    doc: { spec: {} },
    patch: [{ op: 'remove', path: '/spec/template/spec/affinity' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
    field: 'spec.template.spec.affinity',
  },
  {
    name: 'replace a member that does not exist',
    doc: { a: {} },
    patch: [{ op: 'replace', path: '/a/b', value: 1 }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'add under a parent that does not exist',
    doc: {},
    patch: [{ op: 'add', path: '/a/b', value: 1 }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'add past the end of an array',
    doc: { l: [1] },
    patch: [{ op: 'add', path: '/l/5', value: 1 }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
    field: 'l[5]',
  },
  {
    name: 'a non-numeric array index',
    doc: { l: [1] },
    patch: [{ op: 'replace', path: '/l/x', value: 1 }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'move from a missing member',
    doc: {},
    patch: [{ op: 'move', from: '/a', path: '/b' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'move into its own child',
    doc: { a: { b: {} } },
    patch: [{ op: 'move', from: '/a', path: '/a/b/c' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    // Upstream decodes the document first and only fails on the op while applying (422).
    name: 'an unknown op',
    doc: {},
    patch: [{ op: 'frobnicate', path: '/a' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'a missing path',
    doc: {},
    patch: [{ op: 'add', value: 1 }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
  {
    name: 'a pointer without a leading slash',
    doc: { a: 1 },
    patch: [{ op: 'remove', path: 'a' }],
    message: JSON_PATCH_NOT_APPLIED,
    malformed: false,
  },
]

describe('applyJsonPatch errors', () => {
  for (const c of errorCases) {
    it(c.name, () => {
      const doc = deepFreeze(structuredClone(c.doc))
      let err: unknown
      try {
        applyJsonPatch(doc, c.patch)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(PatchError)
      const pe = err as PatchError
      expect(pe.message).toBe(c.message)
      expect(pe.malformed).toBe(c.malformed)
      if (c.field !== undefined) expect(pe.field).toBe(c.field)
    })
  }

  it('leaves the input alone when a later operation fails', () => {
    const doc = { a: 1 }
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'add', path: '/b', value: 2 },
        { op: 'test', path: '/a', value: 2 },
      ]),
    ).toThrow(PatchError)
    expect(doc).toStrictEqual({ a: 1 })
  })
})
