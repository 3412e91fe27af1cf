import { describe, expect, it } from 'vitest'
import { runShell, type ShellContext } from './shell'

const START = Date.parse('2026-11-25T10:00:00Z')
const ctx = (over: Partial<ShellContext> = {}): ShellContext => ({
  userland: 'busybox',
  env: { GREETING: 'hello', EMPTY: '' },
  files: { '/etc/config/key': 'value-1\n', '/etc/config/other': 'x\n' },
  startedAt: START,
  hostname: 'web-0',
  ...over,
})
const sh = (script: string, over?: Partial<ShellContext>) =>
  runShell(['sh', '-c', script], ctx(over))
const texts = (script: string, over?: Partial<ShellContext>) =>
  sh(script, over).lines.map((l) => l.text)

describe('runShell: output and exit', () => {
  it.each([
    {
      name: 'echo then exit',
      input: 'echo hello; exit 3',
      want: { lines: ['hello'], end: { kind: 'exit', atMs: 0, code: 3 } },
    },
    {
      name: 'last status',
      input: 'echo a; false',
      want: { lines: ['a'], end: { kind: 'exit', atMs: 0, code: 1 } },
    },
    {
      name: 'sleep advances time',
      input: 'sleep 2; echo b; sleep 0.5',
      want: { lines: ['b'], end: { kind: 'exit', atMs: 2500, code: 0 } },
    },
    {
      name: 'unknown command',
      input: 'foo bar',
      want: { lines: ['sh: foo: not found'], end: { kind: 'exit', atMs: 0, code: 127 } },
    },
    {
      name: 'exit masks to a byte',
      input: 'exit 256',
      want: { lines: [], end: { kind: 'exit', atMs: 0, code: 0 } },
    },
  ])('$name', ({ input, want }) => {
    const r = sh(input)
    expect({ lines: r.lines.map((l) => l.text), end: r.end }).toEqual(want)
  })

  it('times each line by when it was printed', () => {
    expect(sh('echo a; sleep 1m; echo b >&2').lines).toEqual([
      { atMs: 0, text: 'a' },
      { atMs: 60_000, text: 'b', stream: 'stderr' },
    ])
  })

  it('runs an applet directly, without a shell', () => {
    expect(runShell(['sleep', '3600'], ctx()).end).toEqual({
      kind: 'exit',
      atMs: 3_600_000,
      code: 0,
    })
    expect(runShell(['echo', 'hi', '$GREETING'], ctx()).lines.map((l) => l.text)).toEqual([
      'hi $GREETING',
    ])
    expect(runShell(['sleep', 'infinity'], ctx()).end).toEqual({ kind: 'forever' })
  })

  it('exits 0 at once with no script and no stdin', () => {
    expect(runShell(['sh'], ctx()).end).toEqual({ kind: 'exit', atMs: 0, code: 0 })
  })
})

describe('runShell: expansion and commands', () => {
  it.each([
    { name: '$VAR and ${VAR}', input: 'echo "$GREETING, ${GREETING}!"', want: ['hello, hello!'] },
    { name: 'single quotes are literal', input: "echo '$GREETING'", want: ['$GREETING'] },
    { name: 'default value', input: 'echo ${MISSING:-none} ${EMPTY:-empty}', want: ['none empty'] },
    { name: '$HOSTNAME and hostname', input: 'echo $HOSTNAME; hostname', want: ['web-0', 'web-0'] },
    { name: 'echo -n joins lines', input: 'echo -n a; echo b', want: ['ab'] },
    { name: 'printf', input: 'printf "%s=%d\\n" x 42 y 7', want: ['x=42', 'y=7'] },
    { name: 'cat a mounted file', input: 'cat /etc/config/key', want: ['value-1'] },
    {
      name: 'cat a missing file',
      input: 'cat /nope || echo status=$?',
      want: ["cat: can't open '/nope': No such file or directory", 'status=1'],
    },
    { name: 'ls a mounted directory', input: 'ls /etc/config', want: ['key', 'other'] },
    {
      name: 'printenv',
      input: 'printenv GREETING; printenv NOPE || echo missing',
      want: ['hello', 'missing'],
    },
    {
      name: 'env lists exported variables',
      input: 'X=1; export Y=2; env | grep -v PATH',
      want: ['HOSTNAME=web-0', 'GREETING=hello', 'EMPTY=', 'HOME=/root', 'Y=2'],
    },
    {
      name: '&& and ||',
      input: 'true && echo yes || echo no; false && echo yes || echo no',
      want: ['yes', 'no'],
    },
    {
      name: 'for loop',
      input: 'for i in 1 2 3; do echo "i=$i"; done',
      want: ['i=1', 'i=2', 'i=3'],
    },
    {
      name: 'arithmetic',
      input: 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done',
      want: ['1', '2', '3'],
    },
    {
      name: 'command substitution',
      input: 'echo "I am $(hostname) on $(cat /etc/config/key)"',
      want: ['I am web-0 on value-1'],
    },
    {
      name: 'if and test',
      input: 'if [ -f /etc/config/key ]; then echo file; else echo none; fi',
      want: ['file'],
    },
    { name: 'newline-separated script', input: 'echo one\necho two\n', want: ['one', 'two'] },
    {
      name: 'redirect to a file and back',
      input: 'echo saved > /tmp/x; cat /tmp/x; rm /tmp/x; cat /tmp/x 2>/dev/null || echo gone',
      want: ['saved', 'gone'],
    },
    {
      name: 'date in busybox format',
      input: 'sleep 5; date',
      want: ['Wed Nov 25 10:00:05 UTC 2026'],
    },
    { name: 'braces in output are literal', input: 'echo "{date} {x}"', want: ['{date} {x}'] },
    { name: 'set -e stops at a failure', input: 'set -e; echo a; false; echo b', want: ['a'] },
    { name: 'syntax error', input: 'do echo', want: ['sh: syntax error: unexpected "do"'] },
  ])('$name', ({ input, want }) => expect(texts(input)).toEqual(want))

  it.each([
    {
      name: 'dash says the line',
      userland: 'bash' as const,
      argv: ['/bin/sh', '-c', 'echo a\nfoo'],
      want: ['a', '/bin/sh: 2: foo: not found'],
    },
    {
      name: 'bash',
      userland: 'bash' as const,
      argv: ['bash', '-c', 'foo'],
      want: ['bash: line 1: foo: command not found'],
    },
    {
      name: 'coreutils cat',
      userland: 'bash' as const,
      argv: ['cat', '/nope'],
      want: ['cat: /nope: No such file or directory'],
    },
  ])('error wording: $name', ({ userland, argv, want }) =>
    expect(runShell(argv, ctx({ userland })).lines.map((l) => l.text)).toEqual(want),
  )
})

describe('runShell: endless loops become periodic output', () => {
  it.each([
    {
      name: 'tick every 5 s',
      input: 'while true; do echo tick; sleep 5; done',
      want: {
        lines: [],
        end: { kind: 'forever', periodic: { startMs: 0, everyMs: 5000, templates: ['tick'] } },
      },
    },
    {
      name: 'date in the loop stays a template',
      input: 'echo start; while :; do date; sleep 10; done',
      want: {
        lines: ['start'],
        end: {
          kind: 'forever',
          periodic: { startMs: 0, everyMs: 10_000, templates: ['{date}'] },
        },
      },
    },
    {
      name: 'lines at offsets within the cycle',
      input: 'while true; do echo a; sleep 1; echo b; sleep 4; done',
      want: {
        lines: [],
        end: {
          kind: 'forever',
          periodic: { startMs: 0, everyMs: 5000, templates: ['a', 'b'], offsetsMs: [0, 1000] },
        },
      },
    },
    {
      name: 'silent loop',
      input: 'while true; do sleep 1; done',
      want: { lines: [], end: { kind: 'forever' } },
    },
    {
      name: 'tail -f /dev/null',
      input: 'echo up; tail -f /dev/null',
      want: { lines: ['up'], end: { kind: 'forever' } },
    },
  ])('$name', ({ input, want }) => {
    const r = sh(input)
    expect({ lines: r.lines.map((l) => l.text), end: r.end }).toEqual(want)
  })

  it('bounds a loop that never repeats itself', () => {
    const r = sh('i=0; while true; do i=$((i+1)); echo $i; done')
    expect(r.lines).toHaveLength(1000)
    expect(r.end).toEqual({ kind: 'forever' })
  })

  it('cuts a huge finite loop to the line cap and still exits', () => {
    const r = sh('for i in $(seq 5000); do echo $i; done; exit 4')
    expect(r.lines).toHaveLength(1000)
    expect(r.end).toEqual({ kind: 'exit', atMs: 0, code: 4 })
  })
})

describe('runShell: echo escapes', () => {
  it.each([
    {
      name: 'dash echo interprets escapes',
      userland: 'bash' as const,
      argv: ['sh', '-c', 'echo "a\\tb"'],
      want: ['a\tb'],
    },
    {
      name: 'bash echo does not',
      userland: 'bash' as const,
      argv: ['bash', '-c', 'echo "a\\tb"'],
      want: ['a\\tb'],
    },
    {
      name: '\\c stops output',
      userland: 'busybox' as const,
      argv: ['sh', '-c', 'echo -e "ab\\cde"; echo f'],
      want: ['abf'],
    },
  ])('$name', ({ userland, argv, want }) =>
    expect(runShell(argv, ctx({ userland })).lines.map((l) => l.text)).toEqual(want),
  )
})
