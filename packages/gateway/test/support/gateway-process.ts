/**
 * The built `a1-gateway` binary as a subprocess, configured only by environment variables (what
 * an operator runs). Resolves once it logs its URL; `stop()` sends SIGTERM and returns the exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GATEWAY_BIN = join(PACKAGE_DIR, 'bin', 'a1-gateway.js');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) env[name] = process.env[name];
  return { ...env, A1_GATEWAY_LISTEN: '127.0.0.1:0', ...extra };
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Starts the binary on a free port and resolves once /health answers (whatever the log level). */
export async function startGatewayProcess(env: NodeJS.ProcessEnv, options: { cwd?: string; timeoutMs?: number } = {}): Promise<GatewayProcess> {
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.js'))) throw new Error('packages/gateway is not built: run `pnpm --filter @a1/gateway build` first');
  const port = await freePort();
  env = { ...env, A1_GATEWAY_LISTEN: `127.0.0.1:${port}` };
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [GATEWAY_BIN], { cwd: options.cwd ?? PACKAGE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`a1-gateway did not start within ${options.timeoutMs ?? 60_000} ms:\n${out}`));
    }, options.timeoutMs ?? 60_000);
    let started = false;
    const poll = async () => {
      while (!started && child.exitCode === null) {
        try {
          if ((await fetch(`${url}/health`)).status === 200) return ready();
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
    };
    const ready = () => {
      started = true;
      clearTimeout(timer);
      resolveStart({
        url,
        child,
        output: () => out,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void poll();
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) rejectStart(new Error(`a1-gateway exited with ${code} before listening:\n${out}`));
    });
  });
}
