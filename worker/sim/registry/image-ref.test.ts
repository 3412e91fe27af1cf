import { describe, expect, it } from 'vitest'
import { parseImageRef } from './image-ref'

const D = 'sha256:' + 'ab'.repeat(32)

describe('parseImageRef normalises like docker', () => {
  it.each([
    {
      name: 'official image',
      input: 'nginx',
      want: {
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: 'latest',
        full: 'docker.io/library/nginx:latest',
      },
    },
    {
      name: 'with tag',
      input: 'nginx:1.27',
      want: {
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: '1.27',
        full: 'docker.io/library/nginx:1.27',
      },
    },
    {
      name: 'user repository',
      input: 'bitnami/redis',
      want: {
        registry: 'docker.io',
        repository: 'bitnami/redis',
        tag: 'latest',
        full: 'docker.io/bitnami/redis:latest',
      },
    },
    {
      name: 'explicit docker.io',
      input: 'docker.io/nginx:1.25',
      want: {
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: '1.25',
        full: 'docker.io/library/nginx:1.25',
      },
    },
    {
      name: 'legacy index domain',
      input: 'index.docker.io/library/busybox',
      want: {
        registry: 'docker.io',
        repository: 'library/busybox',
        tag: 'latest',
        full: 'docker.io/library/busybox:latest',
      },
    },
    {
      name: 'other registry',
      input: 'registry.k8s.io/pause:3.9',
      want: {
        registry: 'registry.k8s.io',
        repository: 'pause',
        tag: '3.9',
        full: 'registry.k8s.io/pause:3.9',
      },
    },
    {
      name: 'registry with port',
      input: 'localhost:5000/app',
      want: {
        registry: 'localhost:5000',
        repository: 'app',
        tag: 'latest',
        full: 'localhost:5000/app:latest',
      },
    },
    {
      name: 'digest only',
      input: `nginx@${D}`,
      want: {
        registry: 'docker.io',
        repository: 'library/nginx',
        digest: D,
        full: `docker.io/library/nginx@${D}`,
      },
    },
    {
      name: 'tag and digest',
      input: `nginx:1.27@${D}`,
      want: {
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: '1.27',
        digest: D,
        full: `docker.io/library/nginx:1.27@${D}`,
      },
    },
  ])('$name: $input', ({ input, want }) =>
    expect(parseImageRef(input)).toEqual({ ok: true, ref: want }),
  )
})

describe('parseImageRef refuses what the kubelet calls InvalidImageName', () => {
  const msg = (image: string, why: string) =>
    `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`
  it.each([
    {
      name: 'uppercase',
      input: 'NGINX',
      want: msg(
        'NGINX',
        'invalid reference format: repository name (library/NGINX) must be lowercase',
      ),
    },
    {
      name: 'uppercase path',
      input: 'bitnami/Redis:7',
      want: msg(
        'bitnami/Redis:7',
        'invalid reference format: repository name (bitnami/Redis) must be lowercase',
      ),
    },
    { name: 'empty', input: '', want: msg('', 'invalid reference format') },
    { name: 'trailing colon', input: 'nginx:', want: msg('nginx:', 'invalid reference format') },
    { name: 'spaces', input: 'nginx 1.27', want: msg('nginx 1.27', 'invalid reference format') },
    { name: 'bad tag', input: 'nginx:-x', want: msg('nginx:-x', 'invalid reference format') },
    {
      name: 'short digest',
      input: `nginx@sha256:${'a'.repeat(40)}`,
      want: msg(`nginx@sha256:${'a'.repeat(40)}`, 'invalid checksum digest length'),
    },
    {
      name: 'bare hex id',
      input: 'a'.repeat(64),
      want: msg(
        'a'.repeat(64),
        `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`,
      ),
    },
  ])('$name: $input', ({ input, want }) =>
    expect(parseImageRef(input)).toEqual({ ok: false, message: want }),
  )
})
