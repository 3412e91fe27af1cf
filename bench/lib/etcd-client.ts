// One client for etcd's v3 JSON gateway: it drives our cluster object's gateway
// and a real etcd alike, so both are measured by the same code.

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
const unb64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'))

export interface KV {
  key: string
  value: string
  modRevision: number
}

export class GatewayClient {
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async #post(path: string, body: unknown): Promise<any> {
    const r = await fetch(`${this.base}/v3/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(body),
    })
    const json = await r.json()
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}: ${JSON.stringify(json)}`)
    return json
  }

  async put(key: string, value: string): Promise<number> {
    const r = await this.#post('kv/put', { key: b64(key), value: b64(value) })
    return Number(r.header.revision)
  }

  /** Create-if-absent, the shape kube-apiserver sends. */
  async create(key: string, value: string): Promise<boolean> {
    const k = b64(key)
    const r = await this.#post('kv/txn', {
      compare: [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: '0' }],
      success: [{ request_put: { key: k, value: b64(value) } }],
      failure: [{ request_range: { key: k } }],
    })
    return r.succeeded === true
  }

  /** Compare-and-swap on the modification revision; returns the new revision or 0 on conflict. */
  async cas(key: string, value: string, modRevision: number): Promise<number> {
    const k = b64(key)
    const r = await this.#post('kv/txn', {
      compare: [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(modRevision) }],
      success: [{ request_put: { key: k, value: b64(value) } }],
      failure: [{ request_range: { key: k } }],
    })
    return r.succeeded ? Number(r.header.revision) : 0
  }

  async get(key: string): Promise<KV | undefined> {
    const r = await this.#post('kv/range', { key: b64(key) })
    const kv = r.kvs?.[0]
    return kv && { key: unb64(kv.key), value: unb64(kv.value), modRevision: Number(kv.mod_revision) }
  }

  async list(prefix: string, limit: number): Promise<KV[]> {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    const r = await this.#post('kv/range', { key: b64(prefix), range_end: b64(end), limit: String(limit) })
    return (r.kvs ?? []).map((kv: any) => ({ key: unb64(kv.key), value: unb64(kv.value), modRevision: Number(kv.mod_revision) }))
  }

  /** Opens a watch on a prefix; onEvent gets each event's key and value as it arrives. */
  async watch(prefix: string, onEvent: (key: string, value: string) => void): Promise<{ close(): void }> {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    const controller = new AbortController()
    const r = await fetch(`${this.base}/v3/watch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify({ create_request: { key: b64(prefix), range_end: b64(end) } }),
      signal: controller.signal,
    })
    const reader = r.body!.getReader()
    const decoder = new TextDecoder()
    let created!: () => void
    const ready = new Promise<void>((res) => (created = res))
    void (async () => {
      let buf = ''
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          buf += decoder.decode(value, { stream: true })
          let nl
          while ((nl = buf.indexOf('\n')) >= 0) {
            const msg = JSON.parse(buf.slice(0, nl)).result
            buf = buf.slice(nl + 1)
            if (msg?.created) created()
            for (const e of msg?.events ?? []) onEvent(unb64(e.kv.key), unb64(e.kv.value))
          }
        }
      } catch {
        // aborted
      }
    })()
    await ready
    return { close: () => controller.abort() }
  }
}
