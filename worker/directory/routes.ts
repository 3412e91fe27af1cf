// The Worker's cluster routes: POST /clusters (register the name in the
// directory, then create the cluster object) and DELETE /clusters/{name} (the
// cluster object checks the admin token and wipes itself; the directory then
// forgets it). Nothing is stored for a refused request: authentication and the
// body's checks come before the directory, which writes only when it admits.
import { Hono } from 'hono'
import { kubeconfigText } from '../apiserver/kubeconfig'
import { badRequest, notFound, statusResponse } from '../apiserver/status'
import type { Env } from '../env'
import { requireCreator } from '../middleware/require-creator'
import { deploymentConfig } from './config'
import { CLUSTER_NAME, parseCreateRequest } from './create-request'
import { DIRECTORY_NAME } from './directory-object'

/** POST /clusters' body is a few fields. */
const MAX_CREATE_BODY = 64 * 1024

export const clusterRoutes = new Hono<{ Bindings: Env }>()

clusterRoutes.post(
  '/clusters',
  requireCreator({
    mode: (env) => (env as Env).CLUSTER_CREATION,
    secret: (env) => (env as Env).CREATOR_SECRET,
  }),
  async (c) => {
    const creator = c.get('creator')
    const config = deploymentConfig(c.env as unknown as Record<string, unknown>)
    const text = await c.req.text()
    if (text.length > MAX_CREATE_BODY) return statusResponse(badRequest(`request body must be at most ${MAX_CREATE_BODY} bytes`))
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return statusResponse(badRequest('request body must be a JSON object'))
    }
    const parsed = parseCreateRequest(body, config, creator.secretHolder)
    if (!parsed.ok) return statusResponse(parsed.status)
    const req = parsed.value
    const expiresAt = req.ttlHours > 0 ? Date.now() + req.ttlHours * 3_600_000 : null
    const directory = c.env.DIRECTORY.getByName(DIRECTORY_NAME)
    const registered = await directory.register({
      name: req.name,
      creator: creator.address,
      nodes: req.nodes,
      speed: req.speed,
      mode: req.mode,
      expiresAt,
      maxClusters: config.maxClustersPerCreator,
      // The secret's holders are trusted with their count, not with a rate: only open mode has one.
      perHour: creator.open && !creator.secretHolder ? config.creationsPerHour : 0,
    })
    if (!registered.ok)
      return statusResponse(registered.status, registered.retryAfterSeconds ? { 'retry-after': String(registered.retryAfterSeconds) } : undefined)
    const result = await c.env.CLUSTER.getByName(req.name).create({
      name: req.name,
      nodes: req.nodes,
      speed: req.speed,
      retainedRevisions: req.retainedRevisions,
      mode: req.mode,
      limits: config.limits,
      expiresAt: expiresAt === null ? undefined : new Date(expiresAt).toISOString(),
    })
    if (!result.ok) {
      await directory.release(req.name, true)
      return statusResponse(result.status)
    }
    const kubeconfig = kubeconfigText({ cluster: req.name, user: 'admin', token: result.adminToken, namespace: 'default', requestUrl: c.req.url, publicUrl: c.env.PUBLIC_URL || undefined })
    return c.json(
      {
        name: result.name,
        adminToken: result.adminToken,
        joinCode: result.joinCode,
        mode: result.mode,
        kubeconfig,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      },
      201,
    )
  },
)

// With or without the trailing slash: either reaches the cluster's DELETE, so either must release the name.
clusterRoutes.on('DELETE', ['/clusters/:name', '/clusters/:name/'], async (c) => {
  const name = c.req.param('name')
  if (!CLUSTER_NAME.test(name)) return statusResponse(notFound('clusters', name))
  const r = await c.env.CLUSTER.getByName(name).fetch(c.req.raw)
  if (r.status === 200) await c.env.DIRECTORY.getByName(DIRECTORY_NAME).release(name)
  return r
})
