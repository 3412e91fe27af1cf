// What every handler gets: the objects, the clock, the parsed request.
import type { Store } from '../etcd/mvcc'
import type { KindInfo } from '../resources/kind'
import type { UserInfo } from './authn'
import type { MediaType } from './negotiate'
import type { Objects } from './objects'
import type { RequestInfo } from './request-info'

export interface ApiContext {
  objects: Objects
  store: Store
  /** Simulated now, ms. */
  now(): number
  req: Request
  url: URL
  info: RequestInfo
  kind: KindInfo
  accept: MediaType[]
  /** Who the request is from (authenticated before it reached the API server). */
  user: UserInfo
  /** Decodes the body (JSON, YAML, protobuf) into an object. */
  body(): Promise<unknown>
}

/** RFC 3339 with seconds, as metav1.Time marshals. */
export const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

export function queryFlag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name)
  return v === 'true' || v === '1'
}

/** dryRun=All: do everything but store. */
export function isDryRun(url: URL): boolean {
  return url.searchParams.getAll('dryRun').includes('All')
}
