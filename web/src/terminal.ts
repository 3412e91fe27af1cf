// The kubectl terminal: xterm.js (a real terminal emulator, so kubectl's
// tables, colours and -w streams look as they do in a shell) with the fit
// addon, line editing and history (line-editor.ts), Tab completion through the
// browser kubectl's complete(), Ctrl-C to abort -w / -f, `clear`, and curl and
// nslookup (net-commands.ts).
// Loaded on demand: this module and xterm are a chunk of their own.
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import { complete, kubectl } from './kubectl'
import type { KubectlEnv } from './kubectl/types'
import { type Action, commonPrefix, emptyLine, key, type LineState, replaceRange, submitted } from './line-editor'
import { NET_COMMANDS, runNetCommand } from './net-commands'

const PROMPT = '\x1b[1;32m$\x1b[0m '
const PROMPT_WIDTH = 2
/** Cursor home, erase the screen, erase the scrollback. */
const CLEAR = '\x1b[H\x1b[2J\x1b[3J'
const HISTORY_KEY = 'wheelhouse.history'

export interface TerminalOptions {
  env: KubectlEnv
  /** Escape leaves the terminal (Tab is completion inside it): where focus goes. */
  onEscape?: () => void
  greeting?: string
}

export interface MountedTerminal {
  focus(): void
  /** Types a command as if the user had (the gallery's "try" links). */
  run(line: string): void
  dispose(): void
}

function loadHistory(): string[] {
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]')
    return Array.isArray(h) ? h.filter((x) => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** xterm's stylesheet, loaded before the terminal opens: it measures its cells with it. */
function linkStylesheet(): Promise<void> {
  const existing = document.querySelector<HTMLLinkElement>('link[data-xterm]')
  if (existing?.sheet) return Promise.resolve()
  const l = existing ?? document.createElement('link')
  const loaded = new Promise<void>((resolve) => {
    l.addEventListener('load', () => resolve(), { once: true })
    // Without its stylesheet the terminal still works, only plainer.
    l.addEventListener('error', () => resolve(), { once: true })
  })
  if (!existing) {
    l.rel = 'stylesheet'
    l.href = '/terminal.css'
    l.dataset.xterm = ''
    document.head.append(l)
  }
  return loaded
}

export async function mountTerminal(el: HTMLElement, opts: TerminalOptions): Promise<MountedTerminal> {
  await linkStylesheet()
  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13,
    scrollback: 5000,
    theme: { background: '#0d1117', foreground: '#d6dde6', cursor: '#7ee787', selectionBackground: '#264f78' },
  })
  const fit = new FitAddon()
  term.loadAddon(fit)
  term.open(el)
  // Escape hands focus back to the page, and the page's shortcuts (Alt+T/Y/C,
  // Ctrl+`) pass through to it; everything else is the terminal's.
  term.attachCustomKeyEventHandler((e) => {
    if (e.type === 'keydown' && e.key === 'Escape' && opts.onEscape) {
      opts.onEscape()
      return false
    }
    if ((e.altKey && !e.ctrlKey && /^Key[TYC]$/.test(e.code)) || (e.ctrlKey && e.key === '`')) return false
    return true
  })
  const resize = new ResizeObserver(() => {
    if (el.offsetWidth > 0) fit.fit()
  })
  resize.observe(el)
  fit.fit()

  let state: LineState = emptyLine(loadHistory())
  /** Where the cursor was drawn, counted from the prompt's first cell. */
  let drawnAt = 0
  let running: AbortController | undefined
  let completing = false

  const draw = () => {
    const cols = Math.max(term.cols, PROMPT_WIDTH + 1)
    let out = ''
    const up = Math.floor(drawnAt / cols)
    if (up) out += `\x1b[${up}A`
    out += '\r\x1b[J' + PROMPT + state.line
    const end = PROMPT_WIDTH + state.line.length
    // At the last column xterm waits to wrap: make it wrap now, so the row count is known.
    if (end > 0 && end % cols === 0) out += ' \r'
    const at = PROMPT_WIDTH + state.cursor
    const rowsUp = Math.floor(end / cols) - Math.floor(at / cols)
    if (rowsUp) out += `\x1b[${rowsUp}A`
    out += '\r'
    if (at % cols) out += `\x1b[${at % cols}C`
    drawnAt = at
    term.write(out)
  }
  const prompt = () => {
    drawnAt = 0
    term.write(PROMPT)
    draw()
  }

  const io = {
    out: (t: string) => term.write(t),
    err: (t: string) => term.write(`\x1b[31m${t}\x1b[0m`),
  }

  const execute = async (line: string) => {
    const trimmed = line.trim()
    if (trimmed === 'clear') {
      // Through the write queue (term.clear() would run before the pending writes): screen and scrollback.
      term.write(CLEAR)
      return
    }
    if (trimmed === 'history') {
      state.history.forEach((h, i) => term.write(`${String(i + 1).padStart(5)}  ${h}\n`))
      return
    }
    if (!trimmed) return
    running = new AbortController()
    try {
      const words = trimmed.split(/\s+/)
      // curl and nslookup: simulated traffic and DNS questions (TrafficRun, DNSLookup).
      if (NET_COMMANDS.includes(words[0]!)) await runNetCommand(words, opts.env, io)
      else await kubectl(trimmed, opts.env, io, { signal: running.signal })
    } catch (e) {
      if (!running.signal.aborted) io.err(`error: ${(e as Error).message}\n`)
    } finally {
      running = undefined
    }
  }

  const submit = async () => {
    const line = state.line
    state = { ...state, cursor: state.line.length }
    draw()
    term.write('\n')
    state = submitted(state)
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(state.history))
    } catch {
      // private mode: history lives for this page only
    }
    await execute(line)
    prompt()
  }

  const completeNow = async () => {
    completing = true
    try {
      const r = normalize(await complete(state.line, state.cursor, opts.env), state.line, state.cursor)
      if (!r.candidates.length) return
      if (r.candidates.length === 1) {
        state = replaceRange(state, r.start, state.cursor, r.candidates[0]! + (r.candidates[0]!.endsWith('/') ? '' : ' '))
        return draw()
      }
      const prefix = commonPrefix(r.candidates)
      const typed = state.line.slice(r.start, state.cursor)
      if (prefix.length > typed.length) {
        state = replaceRange(state, r.start, state.cursor, prefix)
        return draw()
      }
      // Nothing more in common: list them under the line, as bash does on a second Tab.
      state = { ...state, cursor: state.line.length }
      draw()
      term.write('\n' + columns(r.candidates, term.cols) + '\n')
      prompt()
    } catch {
      // completion is a nicety: a failed lookup completes nothing
    } finally {
      completing = false
    }
  }

  term.onData((data) => {
    if (running) {
      if (data === '\x03') {
        term.write('^C\n')
        running.abort()
      }
      return
    }
    if (completing) return
    let action: Action
    ;[state, action] = key(state, data)
    switch (action) {
      case 'submit':
        void submit()
        break
      case 'complete':
        void completeNow()
        break
      case 'interrupt':
        state = { ...state, cursor: state.line.length }
        draw()
        term.write('^C\n')
        state = emptyLine(state.history)
        prompt()
        break
      case 'clear':
        term.write(CLEAR)
        prompt()
        break
      default:
        draw()
    }
  })

  if (opts.greeting) term.write(opts.greeting)
  prompt()

  return {
    focus: () => term.focus(),
    run: (line: string) => {
      if (running) return
      state = { ...state, line, cursor: line.length }
      draw()
      void submit()
    },
    dispose: () => {
      running?.abort()
      resize.disconnect()
      term.dispose()
    },
  }
}

/** complete()'s answer as candidates replacing line[start, cursor). */
function normalize(r: unknown, line: string, cursor: number): { candidates: string[]; start: number } {
  let start = cursor
  while (start > 0 && line[start - 1] !== ' ') start--
  if (Array.isArray(r)) return { candidates: r.map(String), start }
  const o = (r ?? {}) as { candidates?: string[]; completions?: string[]; start?: number; from?: number }
  return { candidates: (o.candidates ?? o.completions ?? []).map(String), start: o.start ?? o.from ?? start }
}

function columns(words: string[], cols: number): string {
  const w = Math.max(...words.map((x) => x.length)) + 2
  const per = Math.max(1, Math.floor(cols / w))
  const rows: string[] = []
  for (let i = 0; i < words.length; i += per)
    rows.push(
      words
        .slice(i, i + per)
        .map((x) => x.padEnd(w))
        .join('')
        .trimEnd(),
    )
  return rows.join('\n')
}
