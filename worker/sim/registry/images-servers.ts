// Official server images. Startup output follows what each image really
// prints on a fresh start (an emptyDir data directory, so databases initdb
// every time); time placeholders ({nginx}, {redis}, {pg}, …) are rendered by
// the runtime at each line's time.
import type { Behaviour, ImageFamily } from './catalog'
import { at, MB, spread } from './images-util'

const PROBE_LINE = '10.244.0.1 - - [{clf}] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.31" "-"'

/** nginx's default index.html (615 bytes). */
const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

function nginx(version: string, alpine: boolean): Behaviour {
  const scripts = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
  ]
  const gcc = alpine
    ? 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309)'
    : 'gcc 12.2.0 (Debian 12.2.0-14) '
  const notices = [
    'using the "epoll" event method',
    `nginx/${version}`,
    `built by ${gcc}`,
    'OS: Linux 6.6.56+',
    'getrlimit(RLIMIT_NOFILE): 1048576:1048576',
    'start worker processes',
    'start worker process 29',
    'start worker process 30',
  ].map((n) => `{nginx} [notice] 1#1: ${n}`)
  return {
    kind: 'server',
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    shell: alpine ? 'busybox' : 'bash',
    binaries: ['nginx', 'nginx-debug'],
    wrapper: '/docker-entrypoint.sh',
    ports: [80],
    readyAfterMs: 1000,
    memoryMiB: 8,
    startup: [...spread(0, 20, scripts), ...at(900, notices, 'stderr')],
    periodic: { everyMs: 10_000, templates: [PROBE_LINE] },
    http: {
      status: 200,
      body: NGINX_INDEX,
      accessLog: '{client} - - [{clf}] "{method} {path} HTTP/1.1" 200 615 "-" "curl/8.11.0" "-"',
    },
  }
}

function httpd(version: string, alpine: boolean): Behaviour {
  const fqdn =
    "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message"
  return {
    kind: 'server',
    entrypoint: [],
    cmd: ['httpd-foreground'],
    shell: alpine ? 'busybox' : 'bash',
    binaries: ['httpd-foreground', 'httpd'],
    ports: [80],
    readyAfterMs: 800,
    memoryMiB: 12,
    startup: at(
      600,
      [
        fqdn,
        fqdn,
        `[{apache}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${version} (Unix) configured -- resuming normal operations`,
        "[{apache}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
      ],
      'stderr',
    ),
    periodic: { everyMs: 10_000, templates: ['10.244.0.1 - - [{clf}] "GET / HTTP/1.1" 200 45'] },
    http: {
      status: 200,
      body: '<html><body><h1>It works!</h1></body></html>\n',
      accessLog: '{client} - - [{clf}] "{method} {path} HTTP/1.1" 200 45',
    },
  }
}

function redis(version: string, alpine: boolean): Behaviour {
  return {
    kind: 'server',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    shell: alpine ? 'busybox' : 'bash',
    binaries: ['redis-server'],
    wrapper: 'docker-entrypoint.sh',
    ports: [6379],
    readyAfterMs: 500,
    memoryMiB: 4,
    startup: [
      ...at(100, [
        '1:C {redis} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        `1:C {redis} * Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
        '1:C {redis} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      ]),
      ...spread(300, 10, [
        '1:M {redis} * monotonic clock: POSIX clock_gettime',
        '1:M {redis} * Running mode=standalone, port=6379.',
        '1:M {redis} * Server initialized',
        '1:M {redis} * Ready to accept connections tcp',
      ]),
    ],
  }
}

function postgres(version: string): Behaviour {
  const build = `PostgreSQL ${version} (Debian ${version}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`
  const initdb = [
    'The files belonging to this database system will be owned by user "postgres".',
    'This user must also own the server process.',
    '',
    'The database cluster will be initialized with locale "en_US.utf8".',
    'The default database encoding has accordingly been set to "UTF8".',
    'The default text search configuration will be set to "english".',
    '',
    'Data page checksums are disabled.',
    '',
    'fixing permissions on existing directory /var/lib/postgresql/data ... ok',
    'creating subdirectories ... ok',
    'selecting dynamic shared memory implementation ... posix',
    'selecting default max_connections ... 100',
    'selecting default shared_buffers ... 128MB',
    'selecting default time zone ... Etc/UTC',
    'creating configuration files ... ok',
    'running bootstrap script ... ok',
    'performing post-bootstrap initialization ... ok',
    'syncing data to disk ... ok',
    '',
    '',
    'Success. You can now start the database server using:',
    '',
    '    pg_ctl -D /var/lib/postgresql/data -l logfile start',
    '',
    'initdb: warning: enabling "trust" authentication for local connections',
    'initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.',
  ]
  const temp = [
    `waiting for server to start....{pg} [48] LOG:  starting ${build}`,
    '{pg} [48] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"',
    '{pg} [51] LOG:  database system was shut down at {pg}',
    '{pg} [48] LOG:  database system is ready to accept connections',
    ' done',
    'server started',
    '',
    '/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*',
    '',
    'waiting for server to shut down...{pg} [48] LOG:  received fast shutdown request',
    ' done',
    'server stopped',
    '',
    'PostgreSQL init process complete; ready for start up.',
    '',
  ]
  const final = [
    `{pg} [1] LOG:  starting ${build}`,
    '{pg} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432',
    '{pg} [1] LOG:  listening on IPv6 address "::", port 5432',
    '{pg} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"',
    '{pg} [64] LOG:  database system was shut down at {pg}',
    '{pg} [1] LOG:  database system is ready to accept connections',
  ]
  return {
    kind: 'server',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    shell: 'bash',
    binaries: ['postgres'],
    wrapper: 'docker-entrypoint.sh',
    ports: [5432],
    readyAfterMs: 3000,
    memoryMiB: 40,
    startup: [...spread(50, 40, initdb), ...spread(1800, 50, temp), ...spread(2800, 30, final)],
    requiredEnv: {
      anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
      exitAfterMs: 100,
      code: 1,
      lines: at(
        50,
        [
          'Error: Database is uninitialized and superuser password is not specified.',
          '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
          '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
          '',
          '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
          '       connections without a password. This is *not* recommended.',
          '',
          '       See PostgreSQL documentation about "trust":',
          '       https://www.postgresql.org/docs/current/auth-trust.html',
        ],
        'stderr',
      ),
    },
  }
}

function mysql(version: string): Behaviour {
  const entry = (level: string, text: string) => `{mysqlentry} [${level}] [Entrypoint]: ${text}`
  const started = entry('Note', `Entrypoint script for MySQL Server ${version}-1.el9 started.`)
  const server = (code: string, text: string) => `{mysql} 0 [System] [${code}] [Server] ${text}`
  return {
    kind: 'server',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mysqld'],
    shell: 'bash',
    binaries: ['mysqld'],
    wrapper: 'docker-entrypoint.sh',
    ports: [3306, 33060],
    readyAfterMs: 8000,
    memoryMiB: 360,
    startup: [
      ...spread(0, 50, [
        started,
        entry('Note', "Switching to dedicated user 'mysql'"),
        started,
        entry('Note', 'Initializing database files'),
      ]),
      ...at(4000, [
        entry('Note', 'Database files initialized'),
        entry('Note', 'Starting temporary server'),
      ]),
      ...at(6000, [
        entry('Note', 'Temporary server started.'),
        entry('Note', 'Stopping temporary server'),
        entry('Note', 'Temporary server stopped'),
      ]),
      ...at(6500, [
        '',
        entry('Note', 'MySQL init process done. Ready for start up.'),
        '',
        server('MY-015015', 'MySQL Server - start.'),
      ]),
      ...at(7900, [
        server('MY-010116', `/usr/sbin/mysqld (mysqld ${version}) starting as process 1`),
        server(
          'MY-010931',
          `/usr/sbin/mysqld: ready for connections. Version: '${version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
        ),
      ]),
    ],
    requiredEnv: {
      anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
      exitAfterMs: 300,
      code: 1,
      lines: [
        ...spread(0, 50, [started, entry('Note', "Switching to dedicated user 'mysql'"), started]),
        ...at(
          200,
          [
            entry('ERROR', 'Database is uninitialized and password option is not specified'),
            '    You need to specify one of the following as an environment variable:',
            '    - MYSQL_ROOT_PASSWORD',
            '    - MYSQL_ALLOW_EMPTY_PASSWORD',
            '    - MYSQL_RANDOM_ROOT_PASSWORD',
          ],
          'stderr',
        ),
      ],
    },
  }
}

const hub = (repository: string, variants: ImageFamily['variants']): ImageFamily => ({
  registry: 'docker.io',
  repository,
  variants,
})

export const SERVER_IMAGES: ImageFamily[] = [
  hub('library/nginx', [
    {
      tags: ['1.27', 'latest', 'mainline', '1.27.3'],
      sizeBytes: 72 * MB,
      behaviour: nginx('1.27.3', false),
    },
    { tags: ['1.26', 'stable', '1.26.3'], sizeBytes: 71 * MB, behaviour: nginx('1.26.3', false) },
    { tags: ['1.25', '1.25.5'], sizeBytes: 70 * MB, behaviour: nginx('1.25.5', false) },
    {
      tags: ['alpine', '1.27-alpine', 'mainline-alpine'],
      sizeBytes: 20 * MB,
      behaviour: nginx('1.27.3', true),
    },
    {
      tags: ['stable-alpine', '1.26-alpine'],
      sizeBytes: 19 * MB,
      behaviour: nginx('1.26.3', true),
    },
  ]),
  hub('library/httpd', [
    {
      tags: ['2.4', 'latest', '2', '2.4.62'],
      sizeBytes: 58 * MB,
      behaviour: httpd('2.4.62', false),
    },
    { tags: ['alpine', '2.4-alpine'], sizeBytes: 22 * MB, behaviour: httpd('2.4.62', true) },
  ]),
  hub('library/redis', [
    { tags: ['7.4', 'latest', '7', '7.4.1'], sizeBytes: 45 * MB, behaviour: redis('7.4.1', false) },
    { tags: ['7.2', '7.2.6'], sizeBytes: 41 * MB, behaviour: redis('7.2.6', false) },
    {
      tags: ['alpine', '7.4-alpine', '7-alpine'],
      sizeBytes: 17 * MB,
      behaviour: redis('7.4.1', true),
    },
  ]),
  hub('library/postgres', [
    { tags: ['17', 'latest', '17.2'], sizeBytes: 155 * MB, behaviour: postgres('17.2') },
    { tags: ['16', '16.6'], sizeBytes: 152 * MB, behaviour: postgres('16.6') },
    { tags: ['15', '15.10'], sizeBytes: 150 * MB, behaviour: postgres('15.10') },
  ]),
  hub('library/mysql', [
    { tags: ['8.4', 'lts', '8.4.3'], sizeBytes: 165 * MB, behaviour: mysql('8.4.3') },
    { tags: ['8.0', '8.0.40'], sizeBytes: 170 * MB, behaviour: mysql('8.0.40') },
    { tags: ['latest', '9.1', '9', '9.1.0'], sizeBytes: 172 * MB, behaviour: mysql('9.1.0') },
  ]),
]
