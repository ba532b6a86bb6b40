// Starts and stops a private PostgreSQL cluster for tests and benches: `initdb` into a temp dir,
// `pg_ctl` on a free loopback port, password (SCRAM) authentication so redaction is exercised for
// real, removed after. Never a system service. PostgreSQL refuses to run as root, so under root the
// cluster runs as a system user (Debian's `postgres`, or `a1pg` made by scripts/ensure-postgres.sh).
// Plain JavaScript so the bench and forked workers can use it without a TypeScript loader.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT =
  'install it with `scripts/ensure-postgres.sh` (as root) or `sudo apt-get install -y postgresql`';

/**
 * Directory holding initdb, pg_ctl and postgres, or undefined when PostgreSQL is not installed.
 * `A1_PG_BINDIR` names one explicitly (a directory that does not exist shows what a machine
 * without PostgreSQL does). Debian keeps the binaries in /usr/lib/postgresql/<version>/bin.
 */
export function findPostgresBinDir() {
  const has = (dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const explicit = process.env.A1_PG_BINDIR;
  if (explicit) return has(explicit) ? explicit : undefined;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (has(dir)) return dir;
  }
  for (const dir of ['/usr/local/pgsql/bin', '/usr/local/bin', '/usr/bin']) if (has(dir)) return dir;
  return undefined;
}

/** The uid/gid to run the cluster as: ourselves, or a system user when we are root. */
function runtimeUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'a1pg']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (line) {
      const [, , uid, gid] = line.split(':');
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error(`running as root and neither a 'postgres' nor an 'a1pg' user exists; run scripts/ensure-postgres.sh`);
}

const running = new Map(); // data dir -> handle with killNow()
const tempDirs = new Set();
process.once('exit', () => {
  for (const handle of running.values()) handle.killNow();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as the cluster's user; resolves with its output, rejects on failure. */
function runAs(user, program, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      // LC_ALL=C: initdb fails on a locale the machine lacks; HOME: the root's one is unreadable.
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', HOME: tmpdir(), ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${program} ${args[0]} failed (${code}): ${output}`)),
    );
  });
}

/** The postmaster's pid, from the first line of postmaster.pid (absent when stopped). */
function postmasterPid(dataDir) {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster and its backends (children in /proc), so a pause freezes every answer. */
function serverProcesses(pid) {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** A process's state letter from /proc (R running, S sleeping, T stopped, Z zombie…), or 'gone'. */
function stateOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
}

function signalAll(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with the openssl CLI
 * (EC P-256, two days), the key readable only by the cluster's user as PostgreSQL requires.
 */
async function makeTlsFiles(dir, owner) {
  const at = (name) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runAs(undefined, 'openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '2', '-subj', '/CN=a1-test-ca']);
  await runAs(undefined, 'openssl', ['req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await runAs(undefined, 'openssl', [
    'x509', '-req', '-in', at('server.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial',
    '-out', at('server.crt'), '-days', '2', '-extfile', at('server.ext'),
  ]);
  chmodSync(at('server.key'), 0o600);
  if (owner) for (const f of ['server.key', 'server.crt']) chownSync(at(f), owner.uid, owner.gid);
  return { caFile: at('ca.crt'), ca: readFileSync(at('ca.crt'), 'utf8'), certFile: at('server.crt'), keyFile: at('server.key') };
}

/**
 * @param {{ password?: string, user?: string, settings?: Record<string, string>, tls?: boolean, standbyOf?: { port: number, user: string, password: string } }} [options]
 *   `settings` are extra `-c name=value` server settings; `tls` turns on TLS with a throwaway CA;
 *   `standbyOf` makes a hot standby of a running cluster (pg_basebackup) instead of a new one.
 */
export async function startPostgresServer(options = {}) {
  const bindir = findPostgresBinDir();
  if (!bindir) throw new Error(`PostgreSQL not found; ${INSTALL_HINT}`);
  const owner = runtimeUser();
  const primary = options.standbyOf;
  const password = primary?.password ?? options.password ?? 'test-secret-pw';
  const user = primary?.user ?? options.user ?? 'a1';
  const dir = mkdtempSync(join(tmpdir(), 'a1-pg-'));
  tempDirs.add(dir);
  const dataDir = join(dir, 'data');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  if (primary) {
    // A hot standby: a base backup of the primary that keeps streaming from it (-R), read-only
    // until promoted, as a replica is before and after a failover.
    await runAs(
      owner,
      join(bindir, 'pg_basebackup'),
      ['-D', dataDir, '-R', '-X', 'stream', '--no-sync', '-h', '127.0.0.1', '-p', String(primary.port), '-U', user],
      { PGPASSWORD: password },
    );
  } else {
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    await runAs(owner, join(bindir, 'initdb'), [
      '-D', dataDir, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync',
    ]);
    rmSync(pwfile, { force: true });
  }

  const tls = options.tls ? await makeTlsFiles(dir, owner) : undefined;
  let port = await freePort();
  const logFile = join(dir, 'server.log');
  const serverSettings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    max_connections: '300',
    shared_buffers: '16MB',
    // Test clusters only: fsync off makes start-up and commits cheap on a shared machine. A killed
    // server process still loses nothing (the kernel keeps what was written); a power cut would.
    fsync: 'off',
    ...(tls ? { ssl: 'on', ssl_cert_file: tls.certFile, ssl_key_file: tls.keyFile } : {}),
    ...options.settings,
  };

  async function launch() {
    const serverOptions = [`-p ${port}`, ...Object.entries(serverSettings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    await runAs(owner, join(bindir, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '120', '-o', serverOptions]);
  }

  const serverLog = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-2000);
    } catch {
      return '';
    }
  };

  try {
    await launch();
  } catch (error) {
    // Another process may have taken the port between probing and binding: one retry.
    port = await freePort();
    await launch().catch((again) => {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
      throw new Error(`${again?.message ?? error}\n${serverLog()}`);
    });
  }

  const handle = {
    get port() {
      return port;
    },
    user,
    password,
    database: 'postgres',
    /** With `tls`: the CA that signed the server's certificate (PEM, and its file). */
    ca: tls?.ca,
    caFile: tls?.caFile,
    /** postgres://a1:<password>@127.0.0.1:<port>/postgres */
    get url() {
      return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    },
    get pid() {
      return postmasterPid(dataDir);
    },
    log: serverLog,
    /**
     * Freezes the server and its backends: connections stay open, nothing is answered. Resolves
     * once every process is stopped and no new backend appeared meanwhile (a postmaster caught
     * mid-fork may leave one running child).
     */
    async pause() {
      const pid = postmasterPid(dataDir);
      if (!pid) return;
      let known = new Set();
      for (;;) {
        const now = serverProcesses(pid);
        signalAll(now, 'SIGSTOP');
        const deadline = Date.now() + 5_000;
        while (!now.every((p) => stateOf(p) !== 'R' && stateOf(p) !== 'S' && stateOf(p) !== 'D') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
        }
        if (now.length === known.size && now.every((p) => known.has(p))) return;
        known = new Set(now);
      }
    },
    resume() {
      const pid = postmasterPid(dataDir);
      if (pid) signalAll(serverProcesses(pid), 'SIGCONT');
    },
    /** SIGKILL to the postmaster and its backends, as a crash: no goodbye to clients. */
    async kill() {
      handle.killNow();
      const pid = postmasterPid(dataDir);
      const deadline = Date.now() + 30_000;
      while (pid && alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    /**
     * The postmaster first, so it forks nothing more, then its backends. No SIGCONT first: a
     * paused server must die without answering anything (SIGKILL ends stopped processes too).
     */
    killNow() {
      const pid = postmasterPid(dataDir);
      if (!pid) return;
      const backends = serverProcesses(pid);
      signalAll([pid], 'SIGKILL');
      signalAll(backends, 'SIGKILL');
    },
    /** A standby becomes a primary (accepts writes), as after a failover. */
    async promote() {
      await runAs(owner, join(bindir, 'pg_ctl'), ['promote', '-D', dataDir, '-w', '-t', '60']);
    },
    /** Starts the same cluster again (crash recovery after `kill`): committed data survives. */
    async restart() {
      if (postmasterPid(dataDir) && alive(postmasterPid(dataDir))) {
        await runAs(owner, join(bindir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
      }
      await launch();
    },
    async stop() {
      const pid = postmasterPid(dataDir);
      if (pid && alive(pid)) {
        handle.resume();
        await runAs(owner, join(bindir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '60']).catch(
          () => handle.killNow(),
        );
      }
      running.delete(dataDir);
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
  running.set(dataDir, handle);
  return handle;
}
