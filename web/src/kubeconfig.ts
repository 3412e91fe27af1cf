// A kubeconfig for the signed-in identity, pointing at this origin. kubectl
// sends a bearer token only over TLS: deployed, the origin is https with a
// public certificate; locally (`npm start`, plain http) the API is reached
// through the TLS front on port 8443 whose certificate comes from a local CA
// under .wrangler/wheelhouse/tls/, as scripts/kubeconfig.mjs does. The page
// cannot read that CA, so the local instruction names it on the command line.
import type { Identity } from './identity'

export const LOCAL_TLS_PORT = 8443
export const LOCAL_CA_FILE = '.wrangler/wheelhouse/tls/ca.crt'

export interface Kubeconfig {
  filename: string
  text: string
  /** The one line to run after downloading it. */
  command: string
  /** Served over plain http: the local server, whose TLS front uses a local CA. */
  local: boolean
}

const q = (s: string) => JSON.stringify(s)

export function kubeconfigFor(id: Identity, origin: { protocol: string; hostname: string; host: string }): Kubeconfig {
  const local = origin.protocol === 'http:'
  const base = local ? `https://${origin.hostname}:${LOCAL_TLS_PORT}` : `https://${origin.host}`
  const person = (id.username ?? id.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'me'
  const context = `wheelhouse-${id.cluster}`
  const user = `${context}-${person}`
  const text = [
    '# Wheelhouse: cluster ' + id.cluster + ', signed in as ' + id.name,
    ...(local ? [`# Local server: kubectl needs its CA, ${LOCAL_CA_FILE} in the Wheelhouse checkout.`] : []),
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${base}/clusters/${id.cluster}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${q(id.token)}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    `    user: ${user}`,
    `    namespace: ${id.namespace ?? 'default'}`,
    `current-context: ${context}`,
    '',
  ].join('\n')
  const filename = `${context}.kubeconfig`
  const command = local
    ? `KUBECONFIG=~/Downloads/${filename} kubectl --certificate-authority=${LOCAL_CA_FILE} get pods`
    : `KUBECONFIG=~/Downloads/${filename} kubectl get pods`
  return { filename, text, command, local }
}

/** Offers text as a file download. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
