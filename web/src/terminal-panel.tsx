// The terminal's place on the page: loads the terminal chunk (xterm.js and the
// browser kubectl) the first time it is shown, after the first paint.
import { useEffect, useRef, useState } from 'hono/jsx/dom'
import type { KubectlEnv } from './kubectl/types'
import type { MountedTerminal } from './terminal'

export interface TerminalHandle {
  current?: MountedTerminal
  /** Focus asked for before the terminal was loaded: given when it mounts. */
  wantsFocus?: boolean
}

export function TerminalPanel({ env, handle, visible, onEscape }: { env: KubectlEnv; handle: TerminalHandle; visible: boolean; onEscape: () => void }) {
  const el = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'idle' | 'loading' | 'ready' | 'failed'>('idle')
  // The effect may run again before the state update lands: mount once.
  const started = useRef(false)
  useEffect(() => {
    if (!visible || started.current) return
    started.current = true
    setState('loading')
    import('./terminal')
      .then(async ({ mountTerminal }) => {
        if (!el.current) return
        const mounted = await mountTerminal(el.current, {
          env,
          onEscape,
          greeting: `Connected to cluster \x1b[1m${env.cluster}\x1b[0m as ${env.user}. Try: kubectl get nodes   (Tab completes, ↑/↓ history, Ctrl-C stops -w, Esc leaves)\n`,
        })
        handle.current = mounted
        if (handle.wantsFocus) mounted.focus()
        performance.mark('wheelhouse:terminal-ready')
        setState('ready')
      })
      .catch(() => setState('failed'))
  }, [visible])
  useEffect(() => () => handle.current?.dispose(), [])
  return (
    <div class="terminal-panel">
      {state === 'loading' && <p class="muted">Loading the terminal…</p>}
      {state === 'failed' && <p class="error">The terminal could not be loaded. Reload the page to try again.</p>}
      <div ref={el} class="terminal-host" data-testid="terminal" aria-label="kubectl terminal" />
    </div>
  )
}
