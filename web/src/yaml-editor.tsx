// A YAML editor to apply manifests (`kubectl apply -f -` of what is in the
// box), with a gallery of examples. The browser kubectl is loaded on the first
// apply (it shares the terminal's chunk); its output and errors read as
// kubectl prints them.
import { useState } from 'hono/jsx/dom'
import { EXAMPLES } from './gallery'
import type { KubectlEnv } from './kubectl/types'

export function YamlEditor({ env }: { env: KubectlEnv }) {
  const [text, setText] = useState(EXAMPLES[0]!.yaml)
  const [chosen, setChosen] = useState(EXAMPLES[0]!.id)
  const [output, setOutput] = useState<{ text: string; error: boolean }[]>([])
  const [busy, setBusy] = useState(false)
  const note = EXAMPLES.find((e) => e.id === chosen)?.note

  const apply = async () => {
    setBusy(true)
    const lines: { text: string; error: boolean }[] = []
    const io = {
      out: (t: string) => lines.push({ text: t, error: false }),
      err: (t: string) => lines.push({ text: t, error: true }),
    }
    try {
      const { applyManifest } = await import('./kubectl')
      await applyManifest(text, env, io)
    } catch (e) {
      lines.push({ text: `error: ${(e as Error).message}\n`, error: true })
    }
    setOutput(lines)
    setBusy(false)
  }

  return (
    <div class="yaml-editor">
      <div class="gallery" role="group" aria-label="Examples">
        {EXAMPLES.map((e) => (
          <button
            type="button"
            key={e.id}
            class="seg"
            aria-pressed={String(chosen === e.id)}
            title={e.note}
            onClick={() => {
              setChosen(e.id)
              setText(e.yaml)
              setOutput([])
            }}
          >
            {e.title}
          </button>
        ))}
      </div>
      {note && <p class="muted small">{note}</p>}
      <label class="sr-only" for="yaml-text">
        Manifest (YAML)
      </label>
      <textarea
        id="yaml-text"
        spellcheck={false}
        autocomplete="off"
        value={text}
        onInput={(e: Event) => {
          setText((e.target as HTMLTextAreaElement).value)
          setChosen('')
        }}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            void apply()
          }
        }}
      />
      <div class="row">
        <button type="button" class="primary" onClick={apply} disabled={busy} title="Ctrl+Enter">
          {busy ? 'Applying…' : 'Apply'}
        </button>
        <span class="muted small">kubectl apply -f - (Ctrl+Enter)</span>
      </div>
      <pre class="result" role="status" aria-live="polite" data-testid="apply-output">
        {output.map((l, i) => (
          <span key={i} class={l.error ? 'error' : ''}>
            {l.text}
          </span>
        ))}
      </pre>
    </div>
  )
}
