// npm run bench [-- <name>…] [--size small]: bundles each bench/<name>.ts with
// esbuild and runs it with Node. Without names, runs every benchmark.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { QUIET_ENV, ROOT } from './lib/server.mjs'

const argv = process.argv.slice(2)
const names = []
const pass = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) {
    pass.push(argv[i])
    if (argv[i + 1] && !argv[i + 1].startsWith('--')) pass.push(argv[++i])
  } else names.push(argv[i])
}
const all = readdirSync(join(ROOT, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))
const chosen = names.length ? names : all
let failed = 0
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark named ${name} (have: ${all.join(', ')})`)
    failed++
    continue
  }
  const outfile = join(ROOT, '.wrangler/bench', `${name}.mjs`)
  await build({ entryPoints: [join(ROOT, 'bench', `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' })
  console.log(`\n=== bench/${name} ${pass.join(' ')}`)
  const r = spawnSync(process.execPath, [outfile, ...pass], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...QUIET_ENV } })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
