// Forks verifier processes (authorize-worker.mjs) and talks to them request/response over IPC.
import { fork } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const workerPath = join(here, 'authorize-worker.mjs');

/** Workers load the built package: refuse to test a missing or stale build. */
export function checkBuild() {
  const dist = join(packageRoot, 'dist', 'index.js');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `pnpm --filter @a1/store-postgres build` first');
  const built = statSync(dist).mtimeMs;
  const src = join(packageRoot, 'src');
  for (const file of readdirSync(src)) {
    if (statSync(join(src, file)).mtimeMs > built) {
      throw new Error(`dist/ is older than src/${file}: run \`pnpm --filter @a1/store-postgres build\` first`);
    }
  }
}

/**
 * @param {number} count
 * @param {{ url?: string, stores?: 'postgres' | 'redis' | 'memory', poolSize?: number }} options
 */
export async function startVerifiers(count, options) {
  checkBuild();
  const workers = await Promise.all(
    Array.from({ length: count }, () => {
      const child = fork(workerPath, [], {
        env: {
          ...process.env,
          A1_TEST_STORE_URL: options.url ?? '',
          A1_TEST_STORES: options.stores ?? 'postgres',
          A1_TEST_POOL_SIZE: String(options.poolSize ?? 10),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`verifier process exited early (${code})`)));
        child.once('message', () => resolve(verifier(child)));
      });
    }),
  );
  await Promise.all(workers.map((w) => w.request({ kind: 'ready' })));
  return workers;
}

function verifier(child) {
  let next = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message);
    else waiter.reject(new Error(`verifier process: ${message.error}`));
  });
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('verifier process exited'));
    pending.clear();
  });
  return {
    child,
    request(message) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ ...message, id });
      });
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await this.request({ kind: 'close' }).catch(() => {});
      await exited;
    },
  };
}

/** Counts outcomes like { ok: 1, NonceReplay: 9999 }. */
export function tally(outcomes) {
  const counts = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}
