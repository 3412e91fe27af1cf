// Discovery: /version, the legacy lists (/api, /apis, /api/v1, /apis/{g}/{v}) and
// aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), from one kinds registry.
import { type KindInfo } from '../resources/kind'
import { groupVersions, KINDS } from '../resources/registry'

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-wheelhouse',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
}

const kindsOf = (group: string, version: string) => KINDS.filter((k) => k.group === group && k.version === version)

export function apiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }] }
}

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => ({
        name: g.group,
        versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
      })),
  }
}

/** The APIResourceList of one group-version, or undefined if we do not serve it. */
export function apiResourceList(group: string, version: string) {
  const kinds = kindsOf(group, version)
  if (kinds.length === 0) return undefined
  const resources: object[] = []
  for (const k of kinds) {
    const r: Record<string, unknown> = { name: k.resource, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: k.verbs }
    if (k.shortNames) r.shortNames = k.shortNames
    if (k.categories) r.categories = k.categories
    resources.push(r)
    for (const [sub, s] of Object.entries(k.subresources ?? {})) {
      const e: Record<string, unknown> = { name: `${k.resource}/${sub}`, singularName: '', namespaced: k.namespaced, kind: s.kind || k.kind, verbs: s.verbs }
      if (s.group) e.group = s.group
      if (s.version) e.version = s.version
      resources.push(e)
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources }
}

export function apiGroup(group: string) {
  const g = groupVersions().find((x) => x.group === group && group !== '')
  if (!g) return undefined
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
  }
}

function discoveryResource(k: KindInfo) {
  const r: Record<string, unknown> = {
    resource: k.resource,
    responseKind: { group: k.group, version: k.version, kind: k.kind },
    scope: k.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: k.singular,
    verbs: k.verbs,
  }
  if (k.shortNames) r.shortNames = k.shortNames
  if (k.categories) r.categories = k.categories
  const subs = Object.entries(k.subresources ?? {})
  if (subs.length)
    r.subresources = subs.map(([sub, s]) => ({
      subresource: sub,
      responseKind: { group: s.group ?? k.group, version: s.version ?? k.version, kind: s.kind || k.kind },
      verbs: s.verbs,
    }))
  return r
}

/** Aggregated discovery: `core` true for /api (the core group), false for /apis. */
export function aggregatedDiscovery(version: 'v2' | 'v2beta1', core: boolean) {
  const items = groupVersions()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: g.group ? { name: g.group } : {},
      versions: g.versions.map((v) => ({ version: v, resources: kindsOf(g.group, v).map(discoveryResource), freshness: 'Current' })),
    }))
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items }
}

export const aggregatedContentType = (version: 'v2' | 'v2beta1') =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`
