// The simulated shell's output: file descriptors pointing at the log, a
// capture buffer (for $(…) and pipes), a file or /dev/null; complete lines
// recorded at the simulated ms they were printed, in template form.
import type { OutputLine } from '../../sim/registry/catalog'
import { renderTemplate } from './logs'
import type { ShellContext } from './shell'
import { MAX_TEXT, ShellFiles } from './shell-files'

export type Sink =
  | { kind: 'log'; stream: 'stdout' | 'stderr' }
  | { kind: 'buf'; parts: string[] }
  | { kind: 'file'; path: string }
  | { kind: 'null' }

export interface Traced {
  atMs: number
  tpl: string
  stream?: 'stderr'
}

export class ShellIO extends ShellFiles {
  /** Simulated ms since the process started. */
  t = 0
  protected fd: Sink[] = [
    { kind: 'null' },
    { kind: 'log', stream: 'stdout' },
    { kind: 'log', stream: 'stderr' },
  ]
  protected pending = { stdout: '', stderr: '' }
  protected recorded: Traced[] = []
  /** Open loop iterations, each collecting every line printed during it. */
  protected traces: Traced[][] = []

  constructor(readonly ctx: ShellContext) {
    super()
  }

  out(text: string): void {
    this.write(1, text)
  }
  err(text: string): void {
    this.write(2, text)
  }
  protected write(fd: number, text: string): void {
    const sink = this.fd[fd] ?? this.fd[1]!
    if (sink.kind === 'buf') sink.parts.push(text)
    else if (sink.kind === 'file')
      this.fs.set(sink.path, ((this.fs.get(sink.path) ?? '') + text).slice(-MAX_TEXT))
    else if (sink.kind === 'log') {
      let buf = this.pending[sink.stream] + text
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n'))
        (this.emit(buf.slice(0, nl), sink.stream), (buf = buf.slice(nl + 1)))
      this.pending[sink.stream] = buf.slice(-MAX_TEXT)
    }
  }

  protected emit(tpl: string, stream: 'stdout' | 'stderr'): void {
    const line: Traced = stream === 'stderr' ? { atMs: this.t, tpl, stream } : { atMs: this.t, tpl }
    for (const trace of this.traces) trace.push(line)
    if (this.recorded.length < (this.ctx.lineCap ?? 1000)) this.recorded.push(line)
  }

  /** Lines printed so far, rendered at their times. */
  lines(): OutputLine[] {
    for (const stream of ['stdout', 'stderr'] as const)
      if (this.pending[stream])
        (this.emit(this.pending[stream], stream), (this.pending[stream] = ''))
    return this.recorded
      .map((l) => ({
        ...l,
        tpl: undefined,
        text: renderTemplate(l.tpl, this.ctx.startedAt + l.atMs),
      }))
      .map(({ tpl: _, ...l }) => l)
  }
}
