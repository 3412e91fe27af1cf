// The sign-in screen: cluster, token, display name. The token is checked
// against the cluster's API before the page goes on, so a typo is reported
// here rather than as a feed that never connects.
import { useState } from 'hono/jsx/dom'
import { type Identity, problems, save } from './identity'

export async function checkToken(id: Identity): Promise<string | undefined> {
  try {
    const r = await fetch(`/clusters/${id.cluster}/api`, { headers: { authorization: `Bearer ${id.token.trim()}`, accept: 'application/json' } })
    if (r.ok) return undefined
    if (r.status === 401) return 'The cluster refused this token.'
    if (r.status === 404) return `There is no cluster named "${id.cluster}".`
    return `The server answered HTTP ${r.status}.`
  } catch {
    return 'The server cannot be reached.'
  }
}

export function SignIn({ prefill, onSignIn }: { prefill: Partial<Identity>; onSignIn: (id: Identity) => void }) {
  const [form, setForm] = useState<Partial<Identity>>(prefill)
  const [errors, setErrors] = useState<Partial<Record<keyof Identity | 'form', string>>>({})
  const [busy, setBusy] = useState(false)
  const field = (k: keyof Identity) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })

  const submit = async (e: Event) => {
    e.preventDefault()
    const p = problems(form)
    setErrors(p)
    if (Object.keys(p).length) return
    const id = { cluster: form.cluster!, token: form.token!.trim(), name: form.name!.trim() }
    setBusy(true)
    const refused = await checkToken(id)
    setBusy(false)
    if (refused) return setErrors({ form: refused })
    save(id)
    onSignIn(id)
  }

  const input = (k: keyof Identity, label: string, props: Record<string, unknown>) => (
    <div class="field">
      <label for={`signin-${k}`}>{label}</label>
      <input id={`signin-${k}`} name={k} value={form[k] ?? ''} onInput={field(k)} aria-invalid={errors[k] ? 'true' : undefined} aria-describedby={errors[k] ? `signin-${k}-err` : undefined} {...props} />
      {errors[k] && (
        <span class="error" id={`signin-${k}-err`}>
          {errors[k]}
        </span>
      )}
    </div>
  )

  return (
    <main class="signin">
      <form onSubmit={submit} aria-labelledby="signin-h" novalidate>
        <h1 id="signin-h">Wheelhouse</h1>
        <p class="muted">A live Kubernetes cluster, shared by everyone in the room.</p>
        {input('name', 'Your name', { autocomplete: 'nickname', maxlength: 40, autofocus: !prefill.name, placeholder: 'what the others will see' })}
        {input('cluster', 'Cluster', { autocomplete: 'off', spellcheck: false, placeholder: 'demo' })}
        {input('token', 'Token', { type: 'password', autocomplete: 'off', spellcheck: false, autofocus: !!prefill.name && !prefill.token })}
        {errors.form && (
          <p class="error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Join the cluster'}
        </button>
        <p class="muted small">
          Locally, the demo cluster's token is in <code>.wrangler/wheelhouse/clusters/demo.json</code>. A link of the form{' '}
          <code>/#/clusters/demo?token=…&amp;name=…</code> signs in directly.
        </p>
      </form>
    </main>
  )
}
