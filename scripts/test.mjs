// npm test: type-check, then every suite: unit (Node), integration (workerd),
// end to end (a real `npm start`, real kubectl, a real browser). Suites whose
// tools are missing are skipped loudly; under CI=true a skipped suite fails.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { QUIET_ENV, ROOT } from './lib/server.mjs'

const env = { ...process.env, ...QUIET_ENV }
const ci = process.env.CI === 'true' || process.env.CI === '1'

function run(label, cmd, args) {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' })
  return r.status === 0
}

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

/** Suites by file suffix, and the tool each needs. */
const tools = {
  kubectl: { suffix: '.kubectl.test.ts', found: which('kubectl'), install: 'apt-get install -y kubernetes-client (or put kubectl on PATH)' },
  chromium: { suffix: '.browser.test.ts', found: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined, install: 'apt-get install -y chromium' },
}

const e2eFiles = existsSync(join(ROOT, 'test/e2e')) ? readdirSync(join(ROOT, 'test/e2e')).filter((f) => f.endsWith('.test.ts')) : []
const excluded = []
const skipped = []
for (const [name, t] of Object.entries(tools)) {
  const files = e2eFiles.filter((f) => f.endsWith(t.suffix))
  if (t.found || files.length === 0) continue
  skipped.push(`${files.length} suite(s) (${files.join(', ')}): ${name} not found; install it with: ${t.install}`)
  excluded.push(...files.map((f) => `test/e2e/${f}`))
}

let ok = run('type-check (worker)', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'])
ok = run('type-check (node)', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node.json']) && ok
ok = run('type-check (web)', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'web/tsconfig.json']) && ok
// Before vitest: the integration project reads wrangler.toml, whose assets directory is the built web client.
ok = run('build (web)', process.execPath, [join(ROOT, 'scripts/build-web.mjs')]) && ok

mkdir('test-results')
const report = join(ROOT, 'test-results/vitest.json')
const vitestArgs = [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
for (const f of excluded) vitestArgs.push('--exclude', f)
ok = run('tests', process.execPath, vitestArgs) && ok

let passed = 0
let failed = 0
let skippedTests = 0
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests
  skippedTests = r.numPendingTests + r.numTodoTests
} else {
  ok = false
}

if (skipped.length) {
  console.log('\n' + '!'.repeat(72))
  for (const s of skipped) console.log(`SKIPPED ${s}`)
  console.log('!'.repeat(72))
  if (ci) {
    console.log('CI=true: a skipped suite is a failure.')
    ok = false
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${skippedTests} skipped`)
process.exit(ok && failed === 0 ? 0 : 1)

function mkdir(d) {
  mkdirSync(join(ROOT, d), { recursive: true })
}
