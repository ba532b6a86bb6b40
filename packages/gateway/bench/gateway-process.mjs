// The built a1-gateway binary as a subprocess for benches (plain JS: benches run without a TS loader),
// plus the server CPU time it has used, read from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const GATEWAY_BIN = fileURLToPath(new URL('../bin/a1-gateway.js', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a gateway with `env` on a free port; resolves once /health answers. */
export async function startGateway(env, { cwd, nodeArgs = [] } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, GATEWAY_BIN], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, A1_GATEWAY_LOG_LEVEL: 'warn', ...env, A1_GATEWAY_LISTEN: `127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`a1-gateway exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`a1-gateway did not start:\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    output: () => out,
    /** User + system CPU time of the process so far, in microseconds. */
    cpuMicros() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command name), in clock ticks (100/s).
      return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
