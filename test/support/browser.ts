// What the browser suites share: how Debian's Chromium is launched, and how a
// test types into the page's xterm terminal and reads what it printed.
import type { Page } from 'playwright-core'

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

/** The terminal's rows as text (a long line wraps into several rows). */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.xterm-rows > div'))
      .map((r) => r.textContent?.trimEnd() ?? '')
      .join('\n')
      .trimEnd(),
  )
}

/** Types a command line into the page's terminal and returns the fresh output once it shows `done`. */
export async function typeCommand(page: Page, line: string, done: RegExp, ms = 30_000): Promise<string> {
  await page.locator('.xterm-helper-textarea').focus()
  const before = await terminalText(page)
  await page.keyboard.type(line)
  await page.keyboard.press('Enter')
  const deadline = Date.now() + ms
  for (;;) {
    const fresh = (await terminalText(page)).slice(Math.max(0, before.length - 200))
    if (done.test(fresh)) return fresh
    if (Date.now() > deadline) throw new Error(`terminal did not show ${done} after "${line}"; it shows:\n${fresh.slice(-2000)}`)
    await page.waitForTimeout(100)
  }
}
