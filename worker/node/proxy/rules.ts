// The rules a node programs, as a structured model: tables of chains of rules,
// each rule a list of matches in the order kube-proxy writes them and an
// optional target. One model serves three readers: `args()` gives the
// iptables-restore line kube-proxy would write (what upstream's proxier_test
// compares), iptables-save.ts prints it as the kernel reports it back, and
// route.ts walks packets through it.

export type Proto = 'tcp' | 'udp' | 'sctp'

export type Match =
  | { m: 'comment'; text: string }
  /** "-m tcp -p tcp": kube-proxy always loads the protocol's module with -p. */
  | { m: 'proto'; proto: Proto }
  | { m: 'src'; cidr: string; not?: boolean }
  | { m: 'dst'; cidr: string; not?: boolean }
  /** Belongs to the protocol's module. */
  | { m: 'dport'; port: number }
  | { m: 'addrtype'; dir: 'src' | 'dst'; type: 'LOCAL' }
  /** kube-proxy's 1/n, printed with 10 decimals. */
  | { m: 'statistic'; probability: string }
  | { m: 'recent'; name: string; set: true }
  | { m: 'recent'; name: string; rcheck: true; seconds: number; reap: boolean }
  | { m: 'mark'; value: number; mask: number; not?: boolean }
  | { m: 'conntrack'; states: string[]; not?: boolean }
  | { m: 'nfacct'; name: string }

export type Target =
  /** A chain, or ACCEPT, DROP, REJECT, RETURN. */
  | { j: string }
  | { j: 'DNAT'; to: string }
  | { j: 'MARK'; op: 'or' | 'xor'; value: number }
  | { j: 'MASQUERADE'; randomFully: boolean }

export interface Rule {
  matches: Match[]
  target?: Target
  packets: number
  bytes: number
}

export interface Chain {
  name: string
  /** Built-in chains have a policy. */
  policy?: 'ACCEPT' | 'DROP'
  packets: number
  bytes: number
  /** The service port ("ns/name:port") a per-service chain belongs to. */
  service?: string
  rules: Rule[]
}

export type TableName = 'mangle' | 'filter' | 'nat'

export interface Table {
  name: TableName
  chains: Chain[]
}

export interface Ruleset {
  tables: Table[]
}

export const hex = (n: number) => `0x${n.toString(16)}`

/** Go's %q-less quoting kube-proxy applies by hand: comments with spaces are written in double quotes. */
const comment = (text: string) => (/\s/.test(text) ? `"${text}"` : text)

export function matchArgs(m: Match): string[] {
  switch (m.m) {
    case 'comment':
      return ['-m', 'comment', '--comment', comment(m.text)]
    case 'proto':
      return ['-m', m.proto, '-p', m.proto]
    case 'src':
      return [...(m.not ? ['!'] : []), '-s', m.cidr]
    case 'dst':
      return [...(m.not ? ['!'] : []), '-d', m.cidr]
    case 'dport':
      return ['--dport', String(m.port)]
    case 'addrtype':
      return ['-m', 'addrtype', `--${m.dir}-type`, m.type]
    case 'statistic':
      return ['-m', 'statistic', '--mode', 'random', '--probability', m.probability]
    case 'recent':
      return 'set' in m
        ? ['-m', 'recent', '--name', m.name, '--set']
        : [
            '-m',
            'recent',
            '--name',
            m.name,
            '--rcheck',
            '--seconds',
            String(m.seconds),
            ...(m.reap ? ['--reap'] : []),
          ]
    case 'mark':
      return ['-m', 'mark', ...(m.not ? ['!'] : []), '--mark', `${hex(m.value)}/${hex(m.mask)}`]
    case 'conntrack':
      return ['-m', 'conntrack', ...(m.not ? ['!'] : []), '--ctstate', m.states.join(',')]
    case 'nfacct':
      return ['-m', 'nfacct', '--nfacct-name', m.name]
  }
}

export function targetArgs(t: Target): string[] {
  if ('to' in t) return ['-j', 'DNAT', '--to-destination', t.to]
  if ('op' in t) return ['-j', 'MARK', t.op === 'or' ? '--or-mark' : '--xor-mark', hex(t.value)]
  if ('randomFully' in t) return ['-j', 'MASQUERADE', ...(t.randomFully ? ['--random-fully'] : [])]
  return ['-j', t.j]
}

/** The rule as kube-proxy writes it to iptables-restore, without "-A chain". */
export function ruleArgs(r: Pick<Rule, 'matches' | 'target'>): string[] {
  return [...r.matches.flatMap(matchArgs), ...(r.target ? targetArgs(r.target) : [])]
}

export const rule = (matches: Match[], target?: Target): Rule => ({
  matches,
  target,
  packets: 0,
  bytes: 0,
})

export const chain = (name: string, rules: Rule[] = [], extra: Partial<Chain> = {}): Chain => ({
  name,
  packets: 0,
  bytes: 0,
  rules,
  ...extra,
})

export function findChain(rs: Ruleset, table: TableName, name: string): Chain | undefined {
  return rs.tables.find((t) => t.name === table)?.chains.find((c) => c.name === name)
}

/** What kube-proxy hands iptables-restore (its own chains only, in its order): upstream's proxier_test format. */
export function restoreInput(
  rs: Ruleset,
  own: (table: TableName, chain: Chain) => boolean,
): string {
  const out: string[] = []
  for (const t of rs.tables) {
    if (t.name === 'mangle') continue
    const chains = t.chains.filter((c) => own(t.name, c))
    out.push(`*${t.name}`)
    for (const c of chains) out.push(`:${c.name} - [0:0]`)
    for (const c of chains)
      for (const r of c.rules) out.push(['-A', c.name, ...ruleArgs(r)].join(' '))
    out.push('COMMIT')
  }
  return out.join('\n') + '\n'
}
