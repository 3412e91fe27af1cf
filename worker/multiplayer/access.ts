// Who may read what on the live feed: a subscription is a list and then a watch, so a
// person needs both verbs, as kubectl get -w would. Cluster-wide permission shows every
// object; otherwise a subscription across namespaces shows only the namespaces where the
// person may list and watch, decided per event. Decisions are cached per person until an
// RBAC object is written (the roles' generation moves).
import type { UserInfo } from '../apiserver/authn'
import type { Attributes } from '../apiserver/authz/attributes'
import { forbiddenStatus } from '../apiserver/authz/forbidden'
import { authorize, type RoleSource } from '../apiserver/authz/rbac'
import type { Status } from '../apiserver/status'

/** Decisions kept at most; past it the cache starts again (people × kinds × namespaces). */
const CACHE_LIMIT = 20_000

export interface ReadScope {
  /** Every object, or only those of namespaces `readable` allows. */
  all: boolean
}

export interface LiveAccess {
  /**
   * May `user` read this kind in `namespace` ("" = across namespaces, or a cluster-scoped
   * kind)? A refusal carries the 403 Status of the first verb refused.
   */
  scope(user: UserInfo, group: string, resource: string, namespace: string, namespaced: boolean): ReadScope | { refused: Status }
  /** For a subscription across namespaces without cluster-wide permission: may it see this namespace? */
  readable(user: UserInfo, group: string, resource: string, namespace: string): boolean
}

export class RbacReadAccess implements LiveAccess {
  readonly #cache = new Map<string, Status | null>()
  #generation: number

  constructor(
    readonly roles: RoleSource & { readonly generation: number },
    /** The namespaces there are now (a subscription across them needs one readable). */
    readonly namespaces: () => Iterable<string>,
  ) {
    this.#generation = roles.generation
  }

  /** undefined when list and watch are allowed, else the Status refusing the first. */
  #check(user: UserInfo, group: string, resource: string, namespace: string): Status | undefined {
    if (this.roles.generation !== this.#generation || this.#cache.size > CACHE_LIMIT) {
      this.#cache.clear()
      this.#generation = this.roles.generation
    }
    const key = `${user.username}\0${user.groups.join('\0')}\0${group}\0${resource}\0${namespace}`
    const hit = this.#cache.get(key)
    if (hit !== undefined) return hit ?? undefined
    let refused: Status | null = null
    for (const verb of ['list', 'watch']) {
      const attrs: Attributes = {
        user,
        verb,
        isResourceRequest: true,
        apiGroup: group,
        apiVersion: '',
        resource,
        subresource: '',
        namespace,
        name: '',
        path: '',
      }
      const d = authorize(attrs, this.roles)
      if (!d.allowed) {
        refused = forbiddenStatus(attrs, d.reason)
        break
      }
    }
    this.#cache.set(key, refused)
    return refused ?? undefined
  }

  scope(user: UserInfo, group: string, resource: string, namespace: string, namespaced: boolean): ReadScope | { refused: Status } {
    const refused = this.#check(user, group, resource, namespace)
    if (!refused) return { all: true }
    if (namespace || !namespaced) return { refused }
    for (const ns of this.namespaces()) if (!this.#check(user, group, resource, ns)) return { all: false }
    return { refused }
  }

  readable(user: UserInfo, group: string, resource: string, namespace: string): boolean {
    return !this.#check(user, group, resource, namespace)
  }
}
