// The service account controller (pkg/controller/serviceaccount,
// serviceaccounts_controller.go): every active namespace has a `default`
// ServiceAccount, created when the namespace appears and again if deleted. The
// ServiceAccount admission plugin refuses pods whose account does not exist, so
// a new namespace is usable once this has run.
import { ApiError } from '../apiserver/errors'
import { isNamespaceTerminating } from './controller-utils'
import type { Controller, ControllerContext, KindRef } from './framework/types'
import { NAMESPACES } from './framework/types'

export const SERVICE_ACCOUNTS: KindRef = '/v1/serviceaccounts'
export const DEFAULT_SERVICE_ACCOUNT = 'default'

/** Active: not being deleted (the controller skips namespaces that are not). */
const active = (ns: Record<string, any>) =>
  !ns.metadata.deletionTimestamp && (ns.status?.phase ?? 'Active') === 'Active'

export function syncServiceAccounts(namespace: string, ctx: ControllerContext): void {
  const ns = ctx.get(NAMESPACES, undefined, namespace)
  if (!ns || !active(ns)) return
  if (ctx.get(SERVICE_ACCOUNTS, namespace, DEFAULT_SERVICE_ACCOUNT)) return
  try {
    ctx.create(SERVICE_ACCOUNTS, { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } })
  } catch (e) {
    // Created meanwhile, or the namespace went away or began terminating: nothing to do.
    if (e instanceof ApiError && (e.status.code === 409 || e.status.code === 404)) return
    if (isNamespaceTerminating(e)) return
    throw e
  }
}

export const serviceAccountController: Controller = {
  name: 'serviceaccount',
  component: 'service-account-controller',
  watches: {
    [NAMESPACES]: (ns, _old, deleted) => (deleted || !active(ns) ? [] : [ns.metadata.name]),
    [SERVICE_ACCOUNTS]: (sa, _old, deleted) =>
      deleted && sa.metadata.name === DEFAULT_SERVICE_ACCOUNT ? [sa.metadata.namespace] : [],
  },
  sync: (key, ctx) => syncServiceAccounts(key, ctx),
}
