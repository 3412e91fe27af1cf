// ImageLocality, after imagelocality/image_locality.go (v1.31/1.32): favours
// nodes that already hold the pod's images (init containers included), each
// image's size scaled by the share of nodes holding it so one node does not
// attract every replica, then mapped from 23MB…1000MB×containers onto 0–100.
import { parseImageRef } from '../../../sim/registry/image-ref'
import type { CycleState, NodeInfo, Obj, ScorePlugin, Snapshot } from '../../framework/types'
import { idiv, MAX_NODE_SCORE } from './helper'

export const IMAGE_LOCALITY = 'ImageLocality'
const STATE_KEY = 'PreScore' + IMAGE_LOCALITY

const MB = 1024 * 1024
export const MIN_THRESHOLD = 23 * MB
export const MAX_CONTAINER_THRESHOLD = 1000 * MB

/** Upstream's normalizedImageName: add :latest when the last ':' is not after the last '/'. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? name + ':latest' : name
}

/**
 * Names to look the image up by: upstream's first, then docker's normalised
 * form (docker.io/library/nginx:latest), which is what our kubelets report;
 * upstream misses that case (see the TODO on normalizedImageName).
 */
const lookupNames = new Map<string, string[]>()

export function imageLookupNames(image: string): string[] {
  // Pods of one workload share images: parse each name once.
  const known = lookupNames.get(image)
  if (known) return known
  if (lookupNames.size > 10_000) lookupNames.clear()
  const names = [normalizedImageName(image)]
  const parsed = parseImageRef(image)
  if (parsed.ok && parsed.ref.full !== names[0]) names.push(parsed.ref.full)
  lookupNames.set(image, names)
  return names
}

/** How many nodes of the snapshot hold each name, and how many nodes there are. */
interface Spread {
  numNodes: Map<string, number>
  total: number
}

const podImages = (pod: Obj): string[] =>
  [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map(
    (c: Obj) => c.image ?? '',
  )

/** Per snapshot, nodes holding each image name, until a Node changes (upstream keeps ImageStates likewise). */
const counted = new WeakMap<Snapshot, { version: number; counts: Map<string, number> }>()

function spreadOf(pod: Obj, nodes: NodeInfo[], snapshot?: Snapshot): Spread {
  let memo = snapshot && counted.get(snapshot)
  if (
    snapshot &&
    (!memo || memo.version !== snapshot.nodesVersion || snapshot.nodesVersion === undefined)
  ) {
    memo = { version: snapshot.nodesVersion ?? -1, counts: new Map() }
    counted.set(snapshot, memo)
  }
  const numNodes = new Map<string, number>()
  for (const image of podImages(pod))
    for (const name of imageLookupNames(image)) {
      if (numNodes.has(name)) continue
      let n = memo?.counts.get(name)
      if (n === undefined) {
        n = nodes.filter((x) => x.imageSizes.has(name)).length
        memo?.counts.set(name, n)
      }
      numNodes.set(name, n)
    }
  return { numNodes, total: nodes.length }
}

/** The image's size times the fraction of nodes that hold it, truncated as int64. */
export const scaledImageScore = (size: number, numNodes: number, totalNodes: number) =>
  Math.trunc(size * (numNodes / totalNodes))

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers
  const clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : Math.min(sumScores, maxThreshold)
  return idiv(MAX_NODE_SCORE * (clamped - MIN_THRESHOLD), maxThreshold - MIN_THRESHOLD)
}

export function imageLocalityScore(pod: Obj, node: NodeInfo, spread: Spread): number {
  const images = podImages(pod)
  let sum = 0
  for (const image of images) {
    const name = imageLookupNames(image).find((n) => node.imageSizes.has(n))
    if (name === undefined) continue
    sum += scaledImageScore(
      node.imageSizes.get(name)!,
      spread.numNodes.get(name) ?? 1,
      spread.total || 1,
    )
  }
  return calculatePriority(sum, images.length)
}

export const imageLocality = {
  name: IMAGE_LOCALITY,
  weight: 1,
  preScore(state: CycleState, pod: Obj, _nodes: NodeInfo[], snapshot: Snapshot) {
    // Spread is over every node in the cluster, not only those that passed filtering.
    state.write(STATE_KEY, spreadOf(pod, snapshot.nodes, snapshot))
    return undefined
  },
  score(state: CycleState, pod: Obj, node: NodeInfo) {
    return imageLocalityScore(pod, node, state.read<Spread>(STATE_KEY) ?? spreadOf(pod, [node]))
  },
} satisfies ScorePlugin
