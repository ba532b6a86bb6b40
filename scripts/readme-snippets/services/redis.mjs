// A private redis-server for a snippet: a free loopback port, a temp dir, no persistence.
// The snippet gets A1_REDIS_URL (what RedisNonceStore.fromEnv reads). Installed by
// scripts/ensure-redis.sh; missing, the snippet fails with that hint.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function start() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'a1-snippet-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const failed = new Promise((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}); install it: scripts/ensure-redis.sh as root, or apt-get install redis-server`))));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await Promise.race([answers(port), failed]))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer on 127.0.0.1:${port}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { env: { A1_REDIS_URL: `redis://127.0.0.1:${port}/0` }, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
