import type { ChildProcess } from 'node:child_process'

export const ROOT: string
export const QUIET_ENV: Record<string, string>
export const LOCAL_VARS: Record<string, string>
export function freePort(): Promise<number>
export function creatorSecret(stateDir: string): { file: string; secret: string }
export function waitForHealthy(url: string, timeoutMs?: number, child?: ChildProcess): Promise<void>
export interface Server {
  url: string
  port: number
  child: ChildProcess & { output?: () => string }
  stop(): Promise<void>
  stateDir: string
}
export function startServer(opts?: {
  port?: number
  stateDir?: string
  inspectorPort?: number
  stdio?: 'pipe' | 'inherit'
  log?: (chunk: string) => void
  /** Over wrangler.toml's [vars]; LOCAL_VARS (limits lifted) unless given. */
  vars?: Record<string, string>
}): Promise<Server>
export function clusterFile(stateDir: string, name: string): string
export function ensureCluster(
  url: string,
  stateDir: string,
  name: string,
  spec?: Record<string, unknown>,
): Promise<{ name: string; adminToken: string; joinCode?: string; server: string; created: boolean }>
export function localTls(stateDir: string): { ca: string; key: string; cert: string }
export function startTlsProxy(opts: { port?: number; targetPort: number; stateDir: string }): Promise<{ url: string; port: number; ca: string; close(): Promise<void> }>
export function kubeconfig(opts: { name: string; token: string; httpsUrl: string; caFile: string }): string
