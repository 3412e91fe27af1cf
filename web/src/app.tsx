// The page: sign-in, then the live cluster (nodes, pending pods, pods,
// services) beside the hands-on tools (terminal, YAML editor, chaos) and the
// events stream. hono's JSX for the DOM renders it; the live feed drives it.
import { render, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'hono/jsx/dom'
import { apiFor, SESSION_HEADER } from './api'
import { ChaosPanel, ClockControls } from './controls'
import { forget, type Identity, initial } from './identity'
import { KubeconfigButton } from './kubeconfig-dialog'
import type { KubectlEnv } from './kubectl/types'
import { LiveFeed } from './live'
import { SignIn } from './signin'
import { type TerminalHandle, TerminalPanel } from './terminal-panel'
import { useFeed } from './use-feed'
import { EventsView } from './views/events'
import { NodesView } from './views/nodes'
import { People, targetOf } from './views/people'
import { PendingView } from './views/pending'
import { PodsView } from './views/pods'
import { ServicesView } from './views/services'
import { YamlEditor } from './yaml-editor'

type Obj = Record<string, any>
type Tab = 'terminal' | 'yaml' | 'chaos'
const TABS: { id: Tab; label: string; key: string }[] = [
  { id: 'terminal', label: 'Terminal', key: 'T' },
  { id: 'yaml', label: 'YAML', key: 'Y' },
  { id: 'chaos', label: 'Chaos', key: 'C' },
]

// Who is signed in, read before the first render; with someone signed in, the
// live feed connects at once rather than after the page has rendered.
const boot = initial(location, history)
const bootFeed = boot.identity ? new LiveFeed(boot.identity) : undefined
bootFeed?.start()

function Root() {
  const [identity, setIdentity] = useState<Identity | undefined>(boot.identity)
  if (!identity) return <SignIn prefill={boot.prefill} onSignIn={setIdentity} />
  return (
    <ClusterPage
      identity={identity}
      onSignOut={() => {
        forget()
        setIdentity(undefined)
      }}
    />
  )
}

function ClusterPage({ identity, onSignOut }: { identity: Identity; onSignOut: () => void }) {
  const feed = useMemo(() => (identity === boot.identity && bootFeed) || new LiveFeed(identity), [identity])
  const api = useMemo(() => apiFor(identity), [identity])
  const env = useMemo<KubectlEnv>(
    // A participant's terminal starts in their own namespace, as their kubeconfig does.
    () => ({ baseUrl: `/clusters/${identity.cluster}`, token: identity.token, cluster: identity.cluster, user: identity.username ?? identity.name, namespace: identity.namespace ?? 'default', headers: {} }),
    [identity],
  )
  useEffect(() => {
    feed.start()
    return () => feed.stop()
  }, [feed])
  useFeed(feed)
  // Every API call carries the live connection's id: the server attributes the write to this person.
  if (feed.you) {
    api.session = feed.you.id
    env.headers![SESSION_HEADER] = feed.you.id
  }

  const [tab, setTabState] = useState<Tab>('terminal')
  // A tool's panel is built the first time it is shown, then kept (with its state).
  const [opened, setOpened] = useState<Set<Tab>>(new Set(['terminal']))
  const setTab = (t: Tab) => {
    setTabState(t)
    setOpened((o) => (o.has(t) ? o : new Set([...o, t])))
  }
  const [selectedPod, setSelectedPod] = useState<Obj | undefined>(undefined)
  const terminal = useRef<TerminalHandle>({}).current!
  const painted = feed.synced.has('nodes') && feed.synced.has('pods')
  const [loadTerminal, setLoadTerminal] = useState(false)
  // The cluster first (nodes, pods), the rest a frame later: the first paint stays small.
  const [settled, setSettled] = useState(false)

  useLayoutEffect(() => {
    if (!painted || document.documentElement.dataset.ready) return
    document.documentElement.dataset.ready = '1'
    // The cluster is in the DOM: it is painted in this frame; mark just after that paint.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark('wheelhouse:first-meaningful-paint')
        setSettled(true)
        // The terminal's chunk comes after the cluster is on screen.
        setLoadTerminal(true)
      }),
    )
  }, [painted])
  useEffect(() => {
    // Whatever happens, the terminal loads within 2 s.
    const t = setTimeout(() => setLoadTerminal(true), 2000)
    return () => clearTimeout(t)
  }, [])

  const show = (t: Tab) => {
    setTab(t)
    setTimeout(() => {
      if (t === 'terminal') {
        if (terminal.current) terminal.current.focus()
        else {
          terminal.wantsFocus = true
          setLoadTerminal(true)
        }
      }
      else document.getElementById(`panel-${t}`)?.querySelector<HTMLElement>('textarea, button:not([disabled]), select')?.focus()
    })
  }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey && e.key === '`') || (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyT')) {
        e.preventDefault()
        show('terminal')
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyY' || e.code === 'KeyC')) {
        e.preventDefault()
        show(e.code === 'KeyY' ? 'yaml' : 'chaos')
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab)
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : -1
    if (next < 0) return
    e.preventDefault()
    setTab(TABS[next]!.id)
    document.getElementById(`tab-${TABS[next]!.id}`)?.focus()
  }
  const focusFrom = (e: Event) => {
    const t = targetOf(e.target as Element)
    if (t) feed.focus(t)
  }

  return (
    <div class="app">
      <a class="skip" href="#panel-terminal" onClick={(e: Event) => (e.preventDefault(), show('terminal'))}>
        Skip to the terminal
      </a>
      <header class="top">
        <h1>
          Wheelhouse <span class="cluster-name">{identity.cluster}</span>
        </h1>
        <span class={`conn conn-${feed.connection}`} role="status" data-testid="connection">
          {feed.connection === 'live' ? 'live' : feed.connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </span>
        <ClockControls feed={feed} api={api} />
        <People feed={feed} />
        <div class="top-actions">
          {identity.username && (
            <span class="whoami muted" data-testid="whoami" title="Who the cluster knows you as, and your namespace">
              {identity.username}
              {identity.namespace && ` · ns ${identity.namespace}`}
            </span>
          )}
          <KubeconfigButton identity={identity} />
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main class="layout">
        <div
          class="board"
          aria-label="The cluster, live"
          role="region"
          onMouseOver={focusFrom}
          onFocusIn={focusFrom}
          onMouseLeave={() => {
            if (!targetOf(document.activeElement)) feed.focus(null)
          }}
        >
          {feed.errors.length > 0 && (
            <p class="error" role="alert">
              {feed.errors.at(-1)}
            </p>
          )}
          <PendingView feed={feed} />
          <NodesView
            feed={feed}
            onPod={(p) => {
              setSelectedPod(p)
            }}
          />
          <PodsView feed={feed} onPod={(p) => setSelectedPod(p)} />
          {settled && <ServicesView feed={feed} />}
        </div>
        <aside class="side">
          <div class="tools">
            <div class="tabs" role="tablist" aria-label="Tools" onKeyDown={onTabKey}>
              {TABS.map((t) => (
                <button
                  type="button"
                  role="tab"
                  key={t.id}
                  id={`tab-${t.id}`}
                  aria-selected={String(tab === t.id)}
                  aria-controls={`panel-${t.id}`}
                  tabindex={tab === t.id ? 0 : -1}
                  title={`Alt+${t.key}`}
                  onClick={() => show(t.id)}
                >
                  {t.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id="panel-terminal" aria-labelledby="tab-terminal" hidden={tab !== 'terminal'} class="tabpanel">
              <TerminalPanel env={env} handle={terminal} visible={tab === 'terminal' && loadTerminal} onEscape={() => document.getElementById('tab-terminal')?.focus()} />
            </div>
            <div role="tabpanel" id="panel-yaml" aria-labelledby="tab-yaml" hidden={tab !== 'yaml'} class="tabpanel">
              {opened.has('yaml') && <YamlEditor env={env} />}
            </div>
            <div role="tabpanel" id="panel-chaos" aria-labelledby="tab-chaos" hidden={tab !== 'chaos'} class="tabpanel">
              {opened.has('chaos') && <ChaosPanel feed={feed} api={api} selectedPod={selectedPod} />}
            </div>
          </div>
          {settled && <EventsView feed={feed} />}
        </aside>
      </main>
      <footer class="shortcuts muted small">
        Keys: <kbd>Alt</kbd>+<kbd>T</kbd> or <kbd>Ctrl</kbd>+<kbd>`</kbd> terminal · <kbd>Alt</kbd>+<kbd>Y</kbd> YAML · <kbd>Alt</kbd>+<kbd>C</kbd> chaos · <kbd>Esc</kbd> leaves the terminal
      </footer>
    </div>
  )
}

const root = document.getElementById('root')!
root.textContent = ''
render(<Root />, root)
