// Builds the web client: web/src (TypeScript, hono's JSX for the DOM) and
// web/public (index.html, CSS) into web/dist, which Workers static assets serve.
// `node scripts/build-web.mjs [--force]`, also run by wrangler's [build] command
// (wrangler dev, deploy) and by `npm test` before vitest.
//
// The terminal (xterm.js and the browser kubectl) is a chunk loaded on demand,
// so the first paint needs only app.js. A build whose inputs have not changed
// since the last one is skipped: wrangler dev runs this on every start.
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const WEB = join(ROOT, 'web')
const DIST = join(WEB, 'dist')
const STAMP = join(DIST, '.build-stamp')

function files(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .sort()
}

/** A hash of everything the output depends on: sources, static files, the lockfile, this script. */
function inputsHash() {
  const h = createHash('sha256')
  const inputs = [
    ...files(join(WEB, 'src')),
    ...files(join(WEB, 'public')),
    join(ROOT, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ]
  for (const f of inputs) {
    if (f.endsWith('.test.ts')) continue
    h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0')
  }
  return h.digest('hex')
}

/** Makes web/dist hold what `from` holds (keeping the directory itself), then removes `from`. */
function swapIn(from) {
  mkdirSync(DIST, { recursive: true })
  const fresh = new Set(files(from).map((f) => relative(from, f)))
  // The stamp goes last: an interrupted copy is rebuilt next time.
  const order = [...fresh].sort((a, b) => Number(a === '.build-stamp') - Number(b === '.build-stamp'))
  for (const f of order) {
    const to = join(DIST, f)
    mkdirSync(dirname(to), { recursive: true })
    renameSync(join(from, f), to)
  }
  for (const f of files(DIST)) if (!fresh.has(relative(DIST, f))) rmSync(f)
  for (const d of readdirSync(DIST)) {
    const p = join(DIST, d)
    if (statSync(p).isDirectory() && readdirSync(p).length === 0) rmSync(p, { recursive: true })
  }
  rmSync(from, { recursive: true, force: true })
}

/** Builds web/dist unless it is up to date. Returns { skipped, ms, outputs }. */
export async function buildWeb({ force = false, log = (s) => process.stderr.write(s) } = {}) {
  const t0 = performance.now()
  const hash = inputsHash()
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash)
    return { skipped: true, ms: performance.now() - t0 }
  const esbuild = await import('esbuild')
  // Built aside, then copied over web/dist file by file: a server reading web/dist
  // never sees half a build, and wrangler dev, which watches that directory, keeps it.
  const out = `${DIST}.tmp-${process.pid}`
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const css = files(join(WEB, 'public')).filter((f) => f.endsWith('.css'))
  for (const f of files(join(WEB, 'public'))) {
    if (f.endsWith('.css')) continue
    const to = join(out, relative(join(WEB, 'public'), f))
    mkdirSync(dirname(to), { recursive: true })
    copyFileSync(f, to)
  }
  let result
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [
        { in: 'web/src/app.tsx', out: 'app' },
        // xterm's stylesheet, linked by the terminal chunk when it loads.
        { in: 'web/src/terminal.css', out: 'terminal' },
        ...css.map((f) => ({ in: f, out: relative(join(WEB, 'public'), f).replace(/\.css$/, '') })),
      ],
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx/dom',
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      logLevel: 'silent',
    })
  } catch (e) {
    rmSync(out, { recursive: true, force: true })
    throw e
  }
  for (const w of result.warnings) log(`build-web: warning: ${w.text}\n`)
  writeFileSync(join(out, '.build-stamp'), hash)
  // Not served: the stamp is ours, and wrangler reads this file itself.
  writeFileSync(join(out, '.assetsignore'), '.build-stamp\n.assetsignore\n')
  swapIn(out)
  const outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([f, o]) => [
      relative(out, join(ROOT, f)),
      o.bytes,
    ]),
  )
  return { skipped: false, ms: performance.now() - t0, outputs }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const r = await buildWeb({ force: process.argv.includes('--force') })
    if (r.skipped) console.log(`web/dist is up to date (${r.ms.toFixed(0)} ms)`)
    else {
      const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
      console.log(
        `built web/dist in ${r.ms.toFixed(0)} ms: ${Object.entries(r.outputs)
          .map(([f, n]) => `${f} ${kb(n)}`)
          .join(', ')}`,
      )
    }
  } catch (e) {
    // esbuild's own message names the file and line.
    console.error(e.message ?? e)
    process.exit(1)
  }
}
