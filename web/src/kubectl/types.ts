// The shapes the browser kubectl shares with the page that runs it, and the
// loose JSON object type every command works with.

export interface KubectlEnv {
  /** The cluster's API base URL, e.g. `/clusters/demo`. */
  baseUrl: string
  token: string
  cluster: string
  user: string
  /** The current namespace (default 'default'). */
  namespace: string
  /** Extra headers on every request, e.g. x-wheelhouse-session. */
  headers?: Record<string, string>
  /** The fetch to use (tests pass a fake); defaults to the global fetch. */
  fetch?: typeof fetch
  /**
   * The cluster's simulated now in ms, for ages computed client-side (describe's
   * events). Without it the Clock object's status.now is read once per command.
   */
  now?: () => number
}

export interface KubectlIO {
  out(text: string): void
  err(text: string): void
}

export interface KubectlOptions {
  stdin?: string
  /** Aborts -w / -f (Ctrl-C). */
  signal?: AbortSignal
}

// JSON objects from the API: loosely typed on purpose, as kubectl's unstructured objects are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>
