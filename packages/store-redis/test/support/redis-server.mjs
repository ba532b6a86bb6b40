// Starts and stops a private redis-server for tests and benches: a free loopback port, a temp
// dir, no persistence, a password (so redaction is exercised for real). Never a system service.
// Plain JavaScript so the bench and forked workers can use it without a TypeScript loader.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT =
  'install it with `scripts/ensure-redis.sh` (as root) or `sudo apt-get install -y redis-server`';

/**
 * Path of the redis-server binary, or undefined when it is not installed. `A1_REDIS_SERVER`
 * names a binary explicitly (a path that does not exist shows what a machine without one does).
 */
export function findRedisServer() {
  const explicit = process.env.A1_REDIS_SERVER;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const running = new Set();
const tempDirs = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
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

/** Resolves once something answers RESP on the port (+PONG, or -NOAUTH when a password is set). */
function answers(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      const reply = data.toString();
      resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * @param {{ password?: string, cluster?: boolean, extraArgs?: string[] }} [options] `cluster` starts the
 *   server in cluster mode; the caller assigns it the slots (a one-node cluster still enforces
 *   slots). `extraArgs` are more redis-server arguments (e.g. a maxmemory-policy, a renamed command).
 */
export async function startRedisServer(options = {}) {
  const binary = findRedisServer();
  if (!binary) throw new Error(`redis-server not found; ${INSTALL_HINT}`);
  const password = options.password ?? 'test-secret-pw';
  const dir = mkdtempSync(join(tmpdir(), 'a1-redis-'));
  tempDirs.add(dir);
  let port = await freePort();
  let child;
  let log = '';

  async function launch() {
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning',
      '--requirepass', password, '--maxclients', '10000',
      // A lone cluster node has never learnt its own address; announce it, or clients get "".
      ...(options.cluster
        ? ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-announce-ip', '127.0.0.1']
        : []),
      ...(options.extraArgs ?? []),
    ];
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited at start: ${log}`);
      if (await answers(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on 127.0.0.1:${port}: ${log}`);
  }

  try {
    await launch();
  } catch (error) {
    // Another process may have taken the port between probing and binding: one retry.
    port = await freePort();
    await launch().catch((again) => {
      rmSync(dir, { recursive: true, force: true });
      throw again ?? error;
    });
  }

  return {
    get port() {
      return port;
    },
    password,
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}/0`,
    get pid() {
      return child.pid;
    },
    /** Freezes the server: connections stay open, nothing is answered. */
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    /** SIGKILL, as a crash: no goodbye to clients, all data gone. */
    async kill() {
      const dying = child;
      dying.kill('SIGKILL');
      await exited(dying);
    },
    /** Starts a fresh server on the same port and password after `kill`. */
    async restart() {
      await launch();
    },
    async stop() {
      const last = child;
      if (last.exitCode === null && last.signalCode === null) {
        last.kill('SIGCONT');
        last.kill('SIGTERM');
        const timer = setTimeout(() => last.kill('SIGKILL'), 3_000);
        await exited(last);
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}

/**
 * A Sentinel (redis-server in sentinel mode) watching `primary` under the master name `name`.
 * Sentinel rewrites its config file, so it gets one of its own in a temp dir.
 * @param {{ port: number, password: string }} primary
 * @param {string} [name]
 */
export async function startSentinel(primary, name = 'a1-primary') {
  const binary = findRedisServer();
  if (!binary) throw new Error(`redis-server not found; ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'a1-redis-sentinel-'));
  tempDirs.add(dir);
  const port = await freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primary.port} 1`,
      `sentinel auth-pass ${name} ${primary.password}`,
      '',
    ].join('\n'),
  );
  const child = spawn(binary, [config, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis sentinel did not start (${child.exitCode !== null ? `exit code ${child.exitCode}` : 'no answer in 10 s'}): ${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    name,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited(child);
      }
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}
