// A participant signs in with the room's join code in a real browser (Debian's
// Chromium through playwright-core) and sees only what their role lets them:
// the cluster live, their own namespace in the terminal, a 403 in upstream's
// words for another namespace's Secrets, and the leader's controls (node
// faults, the clock) disabled with the reason. A wrong code is refused in
// words. Screenshots go to test-results/screenshots/.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { creatorSecret, ROOT } from '../../scripts/lib/server.mjs'
import { CHROMIUM_ARGS, terminalText, typeCommand } from '../support/browser'
import { type LocalCluster, startLocalCluster } from '../support/local-cluster'

const SHOTS = join(ROOT, 'test-results/screenshots')
const ROOM = 'classroom'

let cluster: LocalCluster
let browser: Browser
let joinCode: string
let adminToken: string
let carol: Page

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  cluster = await startLocalCluster('hall')
  const r = await fetch(`${cluster.server.url}/clusters`, {
    method: 'POST',
    headers: { authorization: `Bearer ${creatorSecret(cluster.server.stateDir).secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: ROOM, nodes: 3 }),
  })
  const created = await r.json()
  expect(r.status, JSON.stringify(created)).toBe(201)
  joinCode = created.joinCode
  adminToken = created.adminToken
  // Something in another namespace for Carol to see, and a Secret she must not.
  const put = (path: string, body: unknown) =>
    fetch(`${cluster.server.url}/clusters/${ROOM}${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect((await put('/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' }, spec: { replicas: 2, selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } })).status).toBe(201)
  expect((await put('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leader-only' }, stringData: { password: 'hunter2' } })).status).toBe(201)
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await cluster?.stop()
})

describe('a participant in the browser', () => {
  it('is refused a wrong join code, in words', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.goto(`${cluster.server.url}/#/clusters/${ROOM}`)
    await page.getByLabel('Your name').fill('Mallory')
    await page.getByLabel('Join code').fill('AAAA-AAAA-AA')
    await page.getByRole('button', { name: 'Join the cluster' }).click()
    await page.getByText('That join code is not right for this cluster.').waitFor({ timeout: 10_000 })
    await page.context().close()
  })

  it('signs in with the join code from a link and sees the cluster, in their own namespace', async () => {
    carol = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const errors: string[] = []
    carol.on('pageerror', (e) => errors.push(e.message))
    await carol.goto(`${cluster.server.url}/#/clusters/${ROOM}?join=${encodeURIComponent(joinCode)}`)
    // The code came with the link and left the address bar.
    expect(await carol.getByLabel('Join code').inputValue()).toBe(joinCode)
    expect(carol.url()).not.toContain(joinCode)
    await carol.getByLabel('Your name').fill('Carol')
    await carol.getByRole('button', { name: 'Join the cluster' }).click()
    await carol.waitForSelector('[data-node]', { timeout: 30_000 })
    expect((await carol.getByTestId('whoami').textContent())?.trim()).toBe('carol · ns carol')
    // view elsewhere: the leader's Deployment's pods are on her page.
    await carol.waitForSelector('[data-owner="Deployment/shop"] [data-pod]', { timeout: 30_000 })
    expect(await carol.locator('[data-node]').count()).toBe(3)
    // Every kind the page subscribes to is one her role may list and watch: the feed reports no refusal.
    expect(await carol.locator('.board [role="alert"]').allTextContents()).toEqual([])
    await carol.waitForSelector('.xterm-helper-textarea', { timeout: 30_000 })
    await typeCommand(carol, 'kubectl get pods', /No resources found in carol namespace\./)
    expect(errors).toEqual([])
  })

  it("gets upstream's 403 for another namespace's Secrets, and may use her own", async () => {
    const out = await typeCommand(carol, 'kubectl get secrets -n default', /Forbidden/)
    // The terminal wraps long lines into rows: read them as one.
    expect(out.replace(/\n/g, '')).toContain('Error from server (Forbidden): secrets is forbidden: User "carol" cannot list resource "secrets" in API group "" in the namespace "default"')
    await typeCommand(carol, 'kubectl create secret generic mine --from-literal=a=b', /secret\/mine created/)
    await typeCommand(carol, 'kubectl auth can-i patch nodes', /\bno\b/)
    await carol.screenshot({ path: join(SHOTS, 'workshop-carol-terminal.png') })
  })

  it('records who made each write, and the page shows it', async () => {
    await typeCommand(carol, 'kubectl create deployment hello --image=nginx:1.27', /deployment\.apps\/hello created/)
    const mine = carol.locator('.event[data-by="Carol"]', { hasText: 'created deployment hello' })
    await mine.first().waitFor({ timeout: 10_000 })
  })

  it("shows the leader's controls disabled, saying why", async () => {
    await carol.getByRole('tab', { name: 'Chaos' }).click()
    const power = carol.getByRole('button', { name: 'Power off worker-1' })
    await expect.poll(() => power.isDisabled(), { timeout: 10_000 }).toBe(true)
    expect(await power.getAttribute('title')).toBe('Your role in this cluster may not patch nodes')
    const speed = carol.locator('.clock').getByRole('button', { name: '60×' })
    await expect.poll(() => speed.isDisabled(), { timeout: 10_000 }).toBe(true)
    expect(await speed.getAttribute('title')).toBe('Your role in this cluster may not patch clocks.sim.wheelhouse.dev')
    await carol.screenshot({ path: join(SHOTS, 'workshop-carol-chaos.png') })
  })
})
