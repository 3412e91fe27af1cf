// The terminal's line editing, as a pure state machine: keys in, a new state
// and an action out (nothing, submit, complete, interrupt, clear screen). The
// terminal draws the state; history is walked with ↑/↓ like readline's.

export interface LineState {
  line: string
  cursor: number
  history: string[]
  /** Position in history while walking it; history.length means the line being edited. */
  index: number
  /** The line being edited before walking history, restored on coming back down. */
  draft: string
}

export type Action = 'none' | 'submit' | 'complete' | 'interrupt' | 'clear' | 'eof'

export const HISTORY_MAX = 500

export function emptyLine(history: string[] = []): LineState {
  return { line: '', cursor: 0, history, index: history.length, draft: '' }
}

const set = (s: LineState, line: string, cursor: number): LineState => ({ ...s, line, cursor: Math.max(0, Math.min(cursor, line.length)) })

/** The state after the submitted line is taken: history gains it (no blanks, no repeats). */
export function submitted(s: LineState): LineState {
  const l = s.line.trim()
  const history = l && s.history.at(-1) !== l ? [...s.history, l].slice(-HISTORY_MAX) : s.history
  return emptyLine(history)
}

/** Inserts typed or pasted text at the cursor (control characters dropped, newlines end nothing). */
export function insert(s: LineState, text: string): LineState {
  const clean = text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\t' ? ' ' : ''))
  return set(s, s.line.slice(0, s.cursor) + clean + s.line.slice(s.cursor), s.cursor + clean.length)
}

/** Replaces the word before the cursor from `start` with `text` (completion). */
export function replaceRange(s: LineState, start: number, end: number, text: string): LineState {
  return set(s, s.line.slice(0, start) + text + s.line.slice(end), start + text.length)
}

function wordLeft(line: string, cursor: number): number {
  let i = cursor
  while (i > 0 && line[i - 1] === ' ') i--
  while (i > 0 && line[i - 1] !== ' ') i--
  return i
}
function wordRight(line: string, cursor: number): number {
  let i = cursor
  while (i < line.length && line[i] === ' ') i++
  while (i < line.length && line[i] !== ' ') i++
  return i
}

/**
 * One key as xterm delivers it (onData: a character, a paste, or an escape
 * sequence). Returns the new state and what the terminal should do.
 */
export function key(s: LineState, data: string): [LineState, Action] {
  switch (data) {
    case '\r':
    case '\n':
      return [s, 'submit']
    case '\t':
      return [s, 'complete']
    case '\x03': // Ctrl-C
      return [s, 'interrupt']
    case '\x0c': // Ctrl-L
      return [s, 'clear']
    case '\x04': // Ctrl-D: delete under the cursor, or end on an empty line
      return s.line ? [set(s, s.line.slice(0, s.cursor) + s.line.slice(s.cursor + 1), s.cursor), 'none'] : [s, 'eof']
    case '\x7f':
    case '\b':
      return [s.cursor ? set(s, s.line.slice(0, s.cursor - 1) + s.line.slice(s.cursor), s.cursor - 1) : s, 'none']
    case '\x1b[3~': // Delete
      return [set(s, s.line.slice(0, s.cursor) + s.line.slice(s.cursor + 1), s.cursor), 'none']
    case '\x1b[D':
    case '\x02': // Ctrl-B
      return [set(s, s.line, s.cursor - 1), 'none']
    case '\x1b[C':
    case '\x06': // Ctrl-F
      return [set(s, s.line, s.cursor + 1), 'none']
    case '\x1b[H':
    case '\x1bOH':
    case '\x01': // Ctrl-A
      return [set(s, s.line, 0), 'none']
    case '\x1b[F':
    case '\x1bOF':
    case '\x05': // Ctrl-E
      return [set(s, s.line, s.line.length), 'none']
    case '\x1b[1;5D':
    case '\x1bb': // Ctrl-← / Alt-B
      return [set(s, s.line, wordLeft(s.line, s.cursor)), 'none']
    case '\x1b[1;5C':
    case '\x1bf': // Ctrl-→ / Alt-F
      return [set(s, s.line, wordRight(s.line, s.cursor)), 'none']
    case '\x15': // Ctrl-U: delete to the start
      return [set(s, s.line.slice(s.cursor), 0), 'none']
    case '\x0b': // Ctrl-K: delete to the end
      return [set(s, s.line.slice(0, s.cursor), s.cursor), 'none']
    case '\x17': {
      // Ctrl-W: delete the word before the cursor
      const start = wordLeft(s.line, s.cursor)
      return [set(s, s.line.slice(0, start) + s.line.slice(s.cursor), start), 'none']
    }
    case '\x1b[A':
    case '\x10': // ↑ / Ctrl-P
      return [older(s), 'none']
    case '\x1b[B':
    case '\x0e': // ↓ / Ctrl-N
      return [newer(s), 'none']
  }
  // Other escape sequences (function keys…) do nothing; printable text and pastes are inserted.
  if (data.startsWith('\x1b')) return [s, 'none']
  // A paste with newlines: take its first line and submit it, as a shell would run it.
  const nl = data.search(/[\r\n]/)
  if (nl !== -1) return [insert(s, data.slice(0, nl)), 'submit']
  return [insert(s, data), 'none']
}

function older(s: LineState): LineState {
  if (s.index === 0) return s
  const draft = s.index === s.history.length ? s.line : s.draft
  const line = s.history[s.index - 1]!
  return { ...s, index: s.index - 1, draft, line, cursor: line.length }
}

function newer(s: LineState): LineState {
  if (s.index >= s.history.length) return s
  const index = s.index + 1
  const line = index === s.history.length ? s.draft : s.history[index]!
  return { ...s, index, line, cursor: line.length }
}

/** The longest common prefix of candidates (what Tab fills in when several match). */
export function commonPrefix(words: string[]): string {
  if (!words.length) return ''
  let p = words[0]!
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1)
  return p
}
