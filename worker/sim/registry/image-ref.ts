// Image references as the kubelet and containerd read them: docker's
// normalisation (`nginx` is docker.io/library/nginx:latest) and the grammar of
// distribution/reference, so a bad name fails with the same words
// (InvalidImageName) that a real kubelet prints.

export interface ImageRef {
  /** e.g. docker.io, registry.k8s.io, localhost:5000 */
  registry: string
  /** e.g. library/nginx, bitnami/redis, pause */
  repository: string
  /** Absent only when the image is pinned by digest alone. */
  tag?: string
  /** sha256:<64 hex> */
  digest?: string
  /** e.g. docker.io/library/nginx:1.27, docker.io/library/nginx@sha256:… */
  full: string
}

export type ParsedImageRef = { ok: true; ref: ImageRef } | { ok: false; message: string }

const DEFAULT_DOMAIN = 'docker.io'
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const OFFICIAL_PREFIX = 'library/'
const NAME_TOTAL_LENGTH_MAX = 255

// The pieces of distribution/reference's regexp.go.
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*'
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`
const tag = '[\\w][\\w.-]{0,127}'
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const REFERENCE = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`)
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/

/** distribution/reference's splitDockerDomain: which part names a registry. */
function splitDockerDomain(s: string): [string, string] {
  const slash = s.indexOf('/')
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_PREFIX + s]
  const first = s.slice(0, slash)
  const rest = s.slice(slash + 1)
  let dom: string
  let remote: string
  if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first)
    [dom, remote] = [first, rest]
  else if (first === LEGACY_DEFAULT_DOMAIN) [dom, remote] = [DEFAULT_DOMAIN, rest]
  else [dom, remote] = [DEFAULT_DOMAIN, s]
  if (dom === LEGACY_DEFAULT_DOMAIN) dom = DEFAULT_DOMAIN
  if (dom === DEFAULT_DOMAIN && !remote.includes('/')) remote = OFFICIAL_PREFIX + remote
  return [dom, remote]
}

/** The error of reference.ParseNormalizedNamed, or the parsed pieces. */
function parseNormalizedNamed(
  s: string,
): { error: string } | { registry: string; repository: string; tag?: string; digest?: string } {
  if (ANCHORED_IDENTIFIER.test(s))
    return { error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` }
  const [dom, remainder] = splitDockerDomain(s)
  const colon = remainder.indexOf(':')
  const remote = colon < 0 ? remainder : remainder.slice(0, colon)
  if (remote.toLowerCase() !== remote)
    return { error: `invalid reference format: repository name (${remote}) must be lowercase` }
  const full = `${dom}/${remainder}`
  const m = REFERENCE.exec(full)
  if (!m) {
    if (REFERENCE.test(full.toLowerCase())) return { error: 'repository name must be lowercase' }
    return { error: 'invalid reference format' }
  }
  const named = m[1]!
  if (named.length > NAME_TOTAL_LENGTH_MAX)
    return { error: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters` }
  const d = m[3]
  if (d !== undefined) {
    // go-digest's Digest.Validate for the one algorithm registries use.
    const [alg, hex = ''] = d.split(':')
    if (alg !== 'sha256') return { error: 'unsupported digest algorithm' }
    if (hex.length !== 64) return { error: 'invalid checksum digest length' }
    if (!/^[a-f0-9]{64}$/.test(hex)) return { error: 'invalid checksum digest format' }
  }
  return { registry: dom, repository: named.slice(dom.length + 1), tag: m[2], digest: d }
}

/** The canonical name containerd shows: registry/repository[:tag][@digest]. */
export function formatImageRef(r: {
  registry: string
  repository: string
  tag?: string
  digest?: string
}): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`
}

/**
 * Parses a container's `image` as the kubelet's applyDefaultImageTag does:
 * normalise, and add `:latest` when there is neither tag nor digest.
 */
export function parseImageRef(image: string): ParsedImageRef {
  const p = parseNormalizedNamed(image)
  if ('error' in p) {
    return {
      ok: false,
      message: `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: ${p.error}`,
    }
  }
  const tag = p.tag ?? (p.digest ? undefined : 'latest')
  const ref: ImageRef = { registry: p.registry, repository: p.repository, full: '' }
  if (tag) ref.tag = tag
  if (p.digest) ref.digest = p.digest
  ref.full = formatImageRef(ref)
  return { ok: true, ref }
}
