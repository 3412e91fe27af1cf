// The kubeconfig a create or join answer carries. Deployed, the API is the
// public https origin (PUBLIC_URL, else the request's). Locally (`npm start`
// serves plain http) kubectl must go through the TLS front on port 8443, whose
// certificate comes from a local CA the server cannot hand out in a body: the
// file says so, as web/src/kubeconfig.ts does.

export const LOCAL_TLS_PORT = 8443
export const LOCAL_CA_FILE = '.wrangler/wheelhouse/tls/ca.crt'

export interface KubeconfigInput {
  cluster: string
  /** The name of this credential in the file, e.g. "admin" or the participant's username. */
  user: string
  token: string
  namespace: string
  /** The request's URL; PUBLIC_URL overrides its origin. */
  requestUrl: string
  publicUrl?: string
}

/** The server URL kubectl should use for the cluster, and whether it is the local TLS front. */
export function apiServerUrl(cluster: string, requestUrl: string, publicUrl?: string): { server: string; local: boolean } {
  const base = publicUrl ? new URL(publicUrl) : new URL(requestUrl)
  const local = base.protocol === 'http:'
  const origin = local ? `https://${base.hostname}:${LOCAL_TLS_PORT}` : base.origin
  const path = publicUrl ? base.pathname.replace(/\/+$/, '') : ''
  return { server: `${origin}${path}/clusters/${cluster}`, local }
}

const q = (s: string) => JSON.stringify(s)

export function kubeconfigText(i: KubeconfigInput): string {
  const { server, local } = apiServerUrl(i.cluster, i.requestUrl, i.publicUrl)
  const context = `wheelhouse-${i.cluster}`
  const user = `${context}-${i.user}`
  return [
    `# Wheelhouse: cluster ${i.cluster}, user ${i.user}`,
    ...(local ? [`# Local server: kubectl needs its CA, --certificate-authority=${LOCAL_CA_FILE} in the Wheelhouse checkout.`] : []),
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${server}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${q(i.token)}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${user}`,
    `    namespace: ${i.namespace}`,
    `current-context: ${context}`,
    '',
  ].join('\n')
}
