// Go's text/tabwriter, as kubectl uses it (github.com/liggitt/tabwriter, which
// adds RememberWidths so `get -w` rows keep the header's alignment). Cells end
// at '\t'; a column block is a run of consecutive lines that have that cell; a
// line's last cell is not aligned. A line without tabs flushes what is buffered.

export interface TabWriterOptions {
  minWidth: number
  padding: number
  /** Keep each column's widest width across flushes (kubectl's get). */
  rememberWidths?: boolean
}

interface Cell {
  text: string
  width: number
  htab: boolean
}

/** kubectl get's table writer: minwidth 6, padding 3, widths remembered. */
export const GET_TABWRITER: TabWriterOptions = { minWidth: 6, padding: 3, rememberWidths: true }
/** kubectl describe's writer: minwidth 0, padding 2. */
export const DESCRIBE_TABWRITER: TabWriterOptions = { minWidth: 0, padding: 2 }

const runeCount = (s: string) => {
  let n = 0
  for (const _ of s) n++
  return n
}

export class TabWriter {
  #lines: Cell[][] = [[]]
  #cell = ''
  #widths: number[] = []
  #maxWidths: number[] = []
  #out = ''

  constructor(readonly opts: TabWriterOptions) {}

  write(text: string): void {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue
      this.#cell += text.slice(start, i)
      start = i + 1
      const line = this.#lines[this.#lines.length - 1]!
      line.push({ text: this.#cell, width: runeCount(this.#cell), htab: ch === '\t' })
      this.#cell = ''
      if (ch === '\n' || ch === '\f') {
        const ncells = line.length
        this.#lines.push([])
        // A line with one cell cannot affect the alignment of what follows.
        if (ch === '\f' || ncells === 1) this.flush()
      }
    }
    this.#cell += text.slice(start)
  }

  /** Formats everything buffered (collect it with take()). */
  flush(): void {
    if (this.#cell.length > 0) {
      this.#lines[this.#lines.length - 1]!.push({ text: this.#cell, width: runeCount(this.#cell), htab: false })
      this.#cell = ''
    }
    // The last buffered line (an unterminated tail, or empty) is written without a newline.
    this.#format(0, this.#lines.length)
    this.#lines = [[]]
    this.#widths = []
  }

  /** Takes what has been written out so far. */
  take(): string {
    const s = this.#out
    this.#out = ''
    return s
  }

  setRememberedWidths(widths: number[]) {
    this.#maxWidths = [...widths]
  }

  #format(line0: number, line1: number): void {
    const column = this.#widths.length
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i]!
      if (column >= line.length - 1) continue
      // A cell in this column: this line starts a block.
      this.#writeLines(line0, i)
      line0 = i
      let width = this.opts.minWidth
      for (; i < line1; i++) {
        const l = this.#lines[i]!
        if (column >= l.length - 1) break
        const w = l[column]!.width + this.opts.padding
        if (w > width) width = w
      }
      if (this.opts.rememberWidths) {
        if (this.#maxWidths.length < this.#widths.length) this.#maxWidths.push(...this.#widths.slice(this.#maxWidths.length))
        if (this.#maxWidths.length === this.#widths.length) this.#maxWidths.push(width)
        else if (this.#maxWidths[this.#widths.length]! > width) width = this.#maxWidths[this.#widths.length]!
        else this.#maxWidths[this.#widths.length] = width
      }
      this.#widths.push(width)
      this.#format(line0, i)
      this.#widths.pop()
      line0 = i
      i--
    }
    this.#writeLines(line0, line1)
  }

  #writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i]!
      line.forEach((c, j) => {
        if (c.text.length > 0) this.#out += c.text
        if (j < this.#widths.length) this.#out += ' '.repeat(Math.max(0, this.#widths[j]! - c.width))
      })
      // The last buffered line is the one being built: it has no newline yet.
      if (i + 1 !== this.#lines.length) this.#out += '\n'
    }
  }
}

/** Aligns a whole text at once. */
export function tabify(text: string, opts: TabWriterOptions = GET_TABWRITER): string {
  const w = new TabWriter(opts)
  w.write(text)
  w.flush()
  return w.take()
}
