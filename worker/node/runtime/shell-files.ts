// The simulated shell's file system: the pod's mounted files, the usual
// top-level directories, and what the script writes, all in memory.

/** The most a file, variable or unfinished line may hold. */
export const MAX_TEXT = 1 << 20

const STANDARD_DIRS = [
  '/',
  '/bin',
  '/dev',
  '/etc',
  '/home',
  '/proc',
  '/root',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/var',
]

export class ShellFiles {
  cwd = '/'
  /** Absolute path → content, in template form (see logs.ts escapeTemplate). */
  readonly fs = new Map<string, string>()
  readonly dirs = new Set(STANDARD_DIRS)

  resolve(path: string): string {
    const abs = path.startsWith('/') ? path : `${this.cwd === '/' ? '' : this.cwd}/${path}`
    const parts: string[] = []
    for (const p of abs.split('/')) {
      if (p === '..') parts.pop()
      else if (p && p !== '.') parts.push(p)
    }
    return `/${parts.join('/')}`
  }
  readFile(path: string): string | undefined {
    if (path === '/dev/null') return ''
    return this.fs.get(this.resolve(path))
  }
  isDir(path: string): boolean {
    const abs = this.resolve(path)
    if (this.dirs.has(abs)) return true
    const prefix = abs === '/' ? '/' : `${abs}/`
    for (const p of this.fs.keys()) if (p.startsWith(prefix)) return true
    return false
  }
  /** Names directly inside a directory, sorted as ls prints them. */
  list(path: string): string[] {
    const abs = this.resolve(path)
    const prefix = abs === '/' ? '/' : `${abs}/`
    const names = new Set<string>()
    for (const p of [...this.fs.keys(), ...this.dirs])
      if (p.startsWith(prefix) && p !== prefix) names.add(p.slice(prefix.length).split('/')[0]!)
    return [...names].sort()
  }
}
