// The simulated image registry: which images exist, their tags, digests and
// sizes, and what their processes do when a container runs them. Shipped as
// data (images-*.ts); nothing here knows about nodes or Durable Objects.
import { formatImageRef, type ImageRef } from './image-ref'
import { SERVER_IMAGES } from './images-servers'
import { TEACHING_IMAGES } from './images-teaching'
import { TOOL_IMAGES } from './images-tools'

export type Stream = 'stdout' | 'stderr'
/**
 * One line of output at ms since the process started. In catalog data the
 * text may hold time placeholders such as {nginx} or {pg}, rendered by the
 * runtime's logs module at the line's own time.
 */
export interface OutputLine {
  atMs: number
  text: string
  stream?: Stream
}

/** A long-running process: answers probes on its ports until killed. */
export interface ServerBehaviour {
  kind: 'server'
  ports: number[]
  /** ms from start until HTTP/TCP probes succeed. */
  readyAfterMs: number
  memoryMiB: number
  /** A leak: memory grows by this much per second up to maxMiB. */
  growMiBPerSec?: number
  maxMiB?: number
  /** Readiness that flaps: up for upMs, down for downMs, repeating. */
  flap?: { upMs: number; downMs: number }
  startup: OutputLine[]
  /** Ongoing output, one round of templates every everyMs after startup. */
  periodic?: { everyMs: number; templates: string[] }
  /** How it answers a request (simulated traffic): absent, it accepts connections but speaks no HTTP. */
  http?: HttpBehaviour
  /** The entrypoint refuses to start unless one of these env vars is non-empty. */
  requiredEnv?: { anyOf: string[]; lines: OutputLine[]; exitAfterMs: number; code: number }
}

/**
 * A server's answer to a request. Templates may use {client}, {method}, {path},
 * {hostname}, {ip} and the time placeholders ({clf}, {iso}, …).
 */
export interface HttpBehaviour {
  status: number
  body: string
  /** The line it logs per request (an access log), if it logs requests. */
  accessLog?: string
}

/** A process that prints, then exits on its own. */
export interface ProgramBehaviour {
  kind: 'program'
  runMs: number
  exitCode: number
  memoryMiB: number
  lines: OutputLine[]
  /** What it does when given arguments (e.g. curl with a URL), if different. */
  withArgs?: { runMs: number; exitCode: number; lines: OutputLine[] }
}

/** An image whose main process is its shell (busybox, alpine, ubuntu). */
export interface ShellBehaviour {
  kind: 'shell'
  memoryMiB: number
}

/** How the image is executed: its config's Entrypoint/Cmd and what is on $PATH. */
export interface ImageExec {
  entrypoint: string[]
  cmd: string[]
  /** busybox: sh and the busybox applets; bash: bash, sh and coreutils; none: distroless. */
  shell: 'busybox' | 'bash' | 'none'
  /** Executables (basenames) that run the image's main behaviour, e.g. nginx, redis-server. */
  binaries: string[]
  /**
   * The docker-entrypoint.sh convention: run as the entrypoint, it prepends the
   * first binary when the first argument starts with '-', and execs the rest.
   */
  wrapper?: string
}

export type Behaviour = ImageExec & (ServerBehaviour | ProgramBehaviour | ShellBehaviour)

/** One family of images in the data files: tags grouped by what they point at. */
export interface ImageFamily {
  registry: string
  repository: string
  variants: { tags: string[]; sizeBytes: number; behaviour: Behaviour }[]
}

export interface CatalogImage {
  registry: string
  repository: string
  tag: string
  digest: string
  sizeBytes: number
  behaviour: Behaviour
  /** e.g. docker.io/library/nginx@sha256:… (status.containerStatuses[].imageID) */
  imageID: string
  /** e.g. docker.io/library/nginx:1.27 (status.images[].names) */
  reference: string
}

export const MB = 1_000_000
/** A node's simulated download speed. */
export const DEFAULT_BANDWIDTH_BYTES_PER_SEC = 50 * MB

/** How long a pull takes: the size over the bandwidth, and never under half a second. */
export function pullDurationMs(
  sizeBytes: number,
  bandwidthBytesPerSec: number = DEFAULT_BANDWIDTH_BYTES_PER_SEC,
): number {
  if (!(bandwidthBytesPerSec > 0)) return 500
  return Math.max(500, Math.ceil((sizeBytes / bandwidthBytesPerSec) * 1000))
}

/** A stable stand-in for a content digest: FNV-1a over the name, stretched to 64 hex. */
export function fakeDigest(name: string): string {
  let hex = ''
  for (let round = 0; round < 8; round++) {
    // The round goes in once, as text: xoring it into the seed too cancels out against its digit.
    let h = 0x811c9dc5
    for (const ch of `${round}:${name}`) {
      h ^= ch.charCodeAt(0)
      h = Math.imul(h, 0x01000193) >>> 0
    }
    // A second mix so that neighbouring rounds differ in every nibble.
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
    hex += h.toString(16).padStart(8, '0')
  }
  return `sha256:${hex}`
}

function flatten(families: ImageFamily[]): CatalogImage[] {
  const out: CatalogImage[] = []
  for (const f of families) {
    for (const v of f.variants) {
      // Tags of one variant are aliases of one image, so they share its digest.
      const digest = fakeDigest(`${f.registry}/${f.repository}:${v.tags[0]}`)
      for (const tag of v.tags) {
        out.push({
          registry: f.registry,
          repository: f.repository,
          tag,
          digest,
          sizeBytes: v.sizeBytes,
          behaviour: v.behaviour,
          imageID: `${f.registry}/${f.repository}@${digest}`,
          reference: `${f.registry}/${f.repository}:${tag}`,
        })
      }
    }
  }
  return out
}

export const CATALOG: readonly CatalogImage[] = flatten([
  ...SERVER_IMAGES,
  ...TOOL_IMAGES,
  ...TEACHING_IMAGES,
])

const byRepo = new Map<string, CatalogImage[]>()
for (const img of CATALOG) {
  const key = `${img.registry}/${img.repository}`
  byRepo.set(key, [...(byRepo.get(key) ?? []), img])
}

/** Registries that exist in the simulation: other hosts fail to resolve. */
const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'registry.k8s.io',
  'gcr.io',
  'ghcr.io',
  'quay.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
])

export type LookupResult = { ok: true; image: CatalogImage } | { ok: false; message: string }

/**
 * Resolves a reference as containerd would on pull. A digest wins over a tag
 * (pinning); failures carry containerd's wording, which the kubelet puts in
 * ErrImagePull's message.
 */
export function lookupImage(ref: ImageRef): LookupResult {
  const name = `${ref.registry}/${ref.repository}`
  const full = formatImageRef(ref)
  const fail = (why: string): LookupResult => ({
    ok: false,
    message: `failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${why}`,
  })
  if (!KNOWN_REGISTRIES.has(ref.registry)) {
    const path = `https://${ref.registry}/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag}`
    const host = ref.registry.replace(/:\d+$/, '')
    return fail(`failed to do request: Head "${path}": dial tcp: lookup ${host}: no such host`)
  }
  const images = byRepo.get(name)
  if (!images)
    return fail(
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    )
  const found = ref.digest
    ? images.find((i) => i.digest === ref.digest)
    : images.find((i) => i.tag === ref.tag)
  if (!found) return fail(`${full}: not found`)
  if (!ref.digest) return { ok: true, image: found }
  // Pinned: the content is the digest's; the name is what the pod asked for.
  const reference = ref.tag ? `${name}:${ref.tag}` : `${name}@${ref.digest}`
  return { ok: true, image: { ...found, tag: ref.tag ?? found.tag, reference } }
}
