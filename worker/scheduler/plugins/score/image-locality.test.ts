import { describe, expect, it } from 'vitest'
import {
  calculatePriority,
  imageLocality,
  imageLookupNames,
  normalizedImageName,
} from './image-locality'
import { makeNode, makePod, runScore } from './test-fixtures'

const MB = 1024 * 1024
const img = (name: string, mb: number) => ({ names: [name], sizeBytes: mb * MB })

describe('ImageLocality', () => {
  it.each([
    {
      // trunc(500MB × 1/3) = 174762666 → 100 × (174762666 − 23MB) / (1000MB − 23MB) = 14
      name: 'nginx on 1 of 3 nodes',
      images: ['nginx:1.27'],
      nodes: { n1: [img('docker.io/library/nginx:1.27', 500)], n2: [], n3: [] },
      want: { n1: 14, n2: 0, n3: 0 },
    },
    {
      name: 'nginx on every node',
      images: ['nginx:1.27'],
      nodes: {
        n1: [img('docker.io/library/nginx:1.27', 500)],
        n2: [img('docker.io/library/nginx:1.27', 500)],
        n3: [img('docker.io/library/nginx:1.27', 500)],
      },
      want: { n1: 48, n2: 48, n3: 48 },
    },
    {
      name: 'untagged image means :latest, upstream spelling',
      images: ['nginx'],
      nodes: { n1: [img('nginx:latest', 2000)], n2: [img('docker.io/library/nginx:1.27', 2000)] },
      // trunc(2000MB / 2) = 1000MB: the top of the range
      want: { n1: 100, n2: 0 },
    },
    {
      name: 'below the 23MB floor',
      images: ['busybox'],
      nodes: { n1: [img('docker.io/library/busybox:latest', 20)] },
      want: { n1: 0 },
    },
    {
      // init busybox 300MB on 2/3 nodes, nginx 800MB on 1/3; two containers → range up to 2000MB
      name: 'init containers count',
      images: ['nginx:1.27'],
      init: ['busybox:1.36'],
      nodes: {
        n1: [img('docker.io/library/busybox:1.36', 300), img('docker.io/library/nginx:1.27', 800)],
        n2: [img('docker.io/library/busybox:1.36', 300)],
        n3: [],
      },
      want: { n1: 22, n2: 8, n3: 0 },
    },
  ])('$name', ({ images, init, nodes, want }) => {
    const pod = makePod({ images })
    if (init) pod.spec.initContainers = init.map((image, i) => ({ name: `i${i}`, image }))
    const infos = Object.entries(nodes).map(([name, images]) => makeNode(name, { images }))
    expect(runScore(imageLocality, pod, infos)?.normalized).toEqual(want)
  })

  it('spreads over every node, not only the filtered ones', () => {
    const nodes = ['n1', 'n2'].map((n) =>
      makeNode(n, { images: [img('docker.io/library/nginx:1.27', 500)] }),
    )
    // 2 of 2 nodes hold it even if only n1 passed filtering → 48
    expect(
      runScore(imageLocality, makePod({ images: ['nginx:1.27'] }), nodes, [nodes[0]!])?.normalized,
    ).toEqual({
      n1: 48,
    })
  })

  it.each([
    { image: 'nginx', want: ['nginx:latest', 'docker.io/library/nginx:latest'] },
    { image: 'registry.k8s.io/pause:3.10', want: ['registry.k8s.io/pause:3.10'] },
    { image: 'localhost:5000/app', want: ['localhost:5000/app:latest'] },
  ])('lookup names of $image', ({ image, want }) => expect(imageLookupNames(image)).toEqual(want))

  it('keeps a digest as it is', () =>
    expect(normalizedImageName('nginx@sha256:abc')).toBe('nginx@sha256:abc'))

  it('maps nothing to 0 for a pod without containers', () =>
    expect(calculatePriority(0, 0)).toBe(0))
})
