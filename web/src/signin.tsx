// The sign-in screen: display name, cluster, and either the room's join code
// (a participant: the cluster gives them a token, a username and a namespace)
// or a token they already hold (the leader's admin token, a kubeconfig's).
// Either is checked before the page goes on, so a typo is reported here rather
// than as a feed that never connects.
import { useState } from 'hono/jsx/dom'
import { type Identity, type Prefill, problems, save } from './identity'
import { join } from './join'

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

type Field = keyof Identity | 'joinCode'

export function SignIn({ prefill, onSignIn }: { prefill: Prefill; onSignIn: (id: Identity) => void }) {
  const [form, setForm] = useState<Prefill>(prefill)
  // A join code unless a token came with the link: participants outnumber leaders.
  const [withToken, setWithToken] = useState(!!prefill.token && !prefill.joinCode)
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({})
  const [busy, setBusy] = useState(false)
  const field = (k: Field) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })

  const submit = async (e: Event) => {
    e.preventDefault()
    const p: Partial<Record<Field | 'form', string>> = problems(withToken ? form : { ...form, token: 'joining' })
    if (!withToken && !form.joinCode?.trim()) p.joinCode = 'the code your workshop leader gave you'
    setErrors(p)
    if (Object.keys(p).length) return
    setBusy(true)
    if (withToken) {
      const id = { cluster: form.cluster!, token: form.token!.trim(), name: form.name!.trim() }
      const refused = await checkToken(id)
      setBusy(false)
      if (refused) return setErrors({ form: refused })
      save(id)
      return onSignIn(id)
    }
    const joined = await join(form.cluster!, form.joinCode!, form.name!)
    setBusy(false)
    if (!joined.ok) return setErrors(joined.field ? { [joined.field]: joined.message } : { form: joined.message })
    save(joined.identity)
    onSignIn(joined.identity)
  }

  const input = (k: Field, label: string, props: Record<string, unknown>) => (
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
        {withToken
          ? input('token', 'Token', { type: 'password', autocomplete: 'off', spellcheck: false, autofocus: !!prefill.name && !prefill.token })
          : input('joinCode', 'Join code', { autocomplete: 'off', spellcheck: false, autocapitalize: 'characters', placeholder: 'from your workshop leader', autofocus: !!prefill.name && !prefill.joinCode })}
        {errors.form && (
          <p class="error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? (withToken ? 'Checking…' : 'Joining…') : 'Join the cluster'}
        </button>
        <p class="muted small">
          <button type="button" class="link" onClick={() => (setWithToken(!withToken), setErrors({}))}>
            {withToken ? 'I have a join code instead' : 'I have a token (workshop leader, kubeconfig)'}
          </button>
        </p>
        {withToken && (
          <p class="muted small">
            Locally, the demo cluster's admin token is in <code>.wrangler/wheelhouse/clusters/demo.json</code>. A link of the form{' '}
            <code>/#/clusters/demo?token=…&amp;name=…</code> signs in directly; <code>?join=…</code> fills in a join code.
          </p>
        )}
      </form>
    </main>
  )
}
