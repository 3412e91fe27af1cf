import { describe, expect, it } from 'vitest'
import { CATALOG, fakeDigest, lookupImage, pullDurationMs } from './catalog'
import { parseImageRef } from './image-ref'

const ref = (image: string) => {
  const p = parseImageRef(image)
  if (!p.ok) throw new Error(p.message)
  return p.ref
}

describe('lookupImage', () => {
  it.each([
    {
      name: 'official image, default tag',
      input: 'nginx',
      want: { reference: 'docker.io/library/nginx:latest', kind: 'server' },
    },
    {
      name: 'tag',
      input: 'redis:7.2',
      want: { reference: 'docker.io/library/redis:7.2', kind: 'server' },
    },
    {
      name: 'shell image',
      input: 'busybox:1.36',
      want: { reference: 'docker.io/library/busybox:1.36', kind: 'shell' },
    },
    {
      name: 'other registry',
      input: 'registry.k8s.io/pause:3.9',
      want: { reference: 'registry.k8s.io/pause:3.9', kind: 'server' },
    },
    {
      name: 'user repository',
      input: 'traefik/whoami',
      want: { reference: 'docker.io/traefik/whoami:latest', kind: 'server' },
    },
    {
      name: 'teaching image',
      input: 'wheelhouse/crashloop:v1',
      want: { reference: 'docker.io/wheelhouse/crashloop:v1', kind: 'program' },
    },
  ])('$name: $input', ({ input, want }) => {
    const found = lookupImage(ref(input))
    expect(
      found.ok && { reference: found.image.reference, kind: found.image.behaviour.kind },
    ).toEqual(want)
  })

  it('gives aliases of one image one digest, and other images others', () => {
    const d = (image: string) => {
      const f = lookupImage(ref(image))
      return f.ok ? f.image.digest : ''
    }
    expect(d('nginx:latest')).toBe(d('nginx:1.27'))
    expect(d('nginx:1.26')).not.toBe(d('nginx:1.27'))
    expect(d('nginx:1.27')).toMatch(/^sha256:[0-9a-f]{64}$/)
    const variants = new Set(CATALOG.map((i) => `${i.imageID}`))
    const digests = new Set(CATALOG.map((i) => i.digest))
    expect(digests.size).toBe(variants.size)
  })

  it('pins by digest: the digest decides the content, whatever the tag says', () => {
    const latest = lookupImage(ref('nginx:1.25'))
    if (!latest.ok) throw new Error(latest.message)
    const pinned = lookupImage(ref(`nginx@${latest.image.digest}`))
    expect(pinned.ok && pinned.image).toMatchObject({
      tag: '1.25',
      digest: latest.image.digest,
      reference: `docker.io/library/nginx@${latest.image.digest}`,
    })
    const both = lookupImage(ref(`nginx:1.27@${latest.image.digest}`))
    expect(both.ok && both.image).toMatchObject({
      digest: latest.image.digest,
      reference: 'docker.io/library/nginx:1.27',
      imageID: `docker.io/library/nginx@${latest.image.digest}`,
    })
  })

  it.each([
    {
      name: 'unknown tag',
      input: 'nginx:nope',
      want: 'failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found',
    },
    {
      name: 'unknown repository',
      input: 'nginz',
      want: 'failed to pull and unpack image "docker.io/library/nginz:latest": failed to resolve reference "docker.io/library/nginz:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    },
    {
      name: 'unknown digest',
      input: `nginx@${fakeDigest('nothing')}`,
      want: `failed to pull and unpack image "docker.io/library/nginx@${fakeDigest('nothing')}": failed to resolve reference "docker.io/library/nginx@${fakeDigest('nothing')}": docker.io/library/nginx@${fakeDigest('nothing')}: not found`,
    },
    {
      name: 'registry that does not exist',
      input: 'my.registry.local/app:1',
      want: 'failed to pull and unpack image "my.registry.local/app:1": failed to resolve reference "my.registry.local/app:1": failed to do request: Head "https://my.registry.local/v2/app/manifests/1": dial tcp: lookup my.registry.local: no such host',
    },
  ])('$name', ({ input, want }) =>
    expect(lookupImage(ref(input))).toEqual({ ok: false, message: want }),
  )
})

describe('catalog data', () => {
  const size = (image: string) => {
    const f = lookupImage(ref(image))
    return f.ok ? f.image.sizeBytes : 0
  }
  it.each([
    { input: 'nginx:1.27', min: 50e6, max: 90e6 },
    { input: 'alpine', min: 3e6, max: 4e6 },
    { input: 'busybox', min: 1.5e6, max: 3e6 },
    { input: 'postgres:16', min: 120e6, max: 180e6 },
    { input: 'python:3.12', min: 350e6, max: 450e6 },
    { input: 'python:3.12-slim', min: 40e6, max: 60e6 },
    { input: 'node:22', min: 350e6, max: 450e6 },
    { input: 'registry.k8s.io/pause:3.10', min: 250e3, max: 400e3 },
  ])('$input is a realistic size', ({ input, min, max }) => {
    expect(size(input)).toBeGreaterThanOrEqual(min)
    expect(size(input)).toBeLessThanOrEqual(max)
  })

  it('has the tags a workshop asks for', () => {
    const want = [
      'nginx:1.25',
      'nginx:1.26',
      'nginx:1.27',
      'nginx:latest',
      'nginx:alpine',
      'nginx:stable',
      'httpd:2.4',
      'httpd:latest',
      'redis:7.2',
      'redis:7.4',
      'redis:latest',
      'redis:alpine',
      'postgres:15',
      'postgres:16',
      'postgres:17',
      'postgres:latest',
      'mysql:8.0',
      'mysql:8.4',
      'mysql:latest',
      'busybox:1.36',
      'busybox:1.37',
      'busybox:latest',
      'alpine:3.19',
      'alpine:3.20',
      'alpine:3.21',
      'alpine:latest',
      'node:20',
      'node:22',
      'node:latest',
      'node:22-alpine',
      'python:3.11',
      'python:3.12',
      'python:3.13',
      'python:latest',
      'python:3.12-slim',
      'registry.k8s.io/pause:3.9',
      'registry.k8s.io/pause:3.10',
      'traefik/whoami',
      'hashicorp/http-echo',
      'curlimages/curl',
      'hello-world',
      'wheelhouse/memory-leak:v1',
      'wheelhouse/slow-start:latest',
      'wheelhouse/flaky:v1',
    ]
    expect(want.filter((i) => !lookupImage(ref(i)).ok)).toEqual([])
  })
})

describe('pullDurationMs', () => {
  it.each([
    { name: 'size over bandwidth', size: 100e6, bw: 50e6, want: 2000 },
    { name: 'at least half a second', size: 300e3, bw: 50e6, want: 500 },
    { name: 'default bandwidth', size: 500e6, bw: undefined, want: 10_000 },
  ])('$name', ({ size, bw, want }) => expect(pullDurationMs(size, bw)).toBe(want))
})

describe('fakeDigest', () => {
  it('looks like a digest: 64 hex digits that do not repeat in 8-digit blocks', () => {
    const d = fakeDigest('docker.io/library/busybox:1.36').slice('sha256:'.length)
    expect(d).toMatch(/^[0-9a-f]{64}$/)
    expect(new Set(d.match(/.{8}/g)).size).toBe(8)
  })
})
