import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisNonceStore, RedisRevocationStore } from '../src/index.js';
import { hasRedisServer, missingRedisMessage } from './support/redis-availability.js';
import { startRedisServer, type RedisServerHandle } from './support/redis-server.mjs';
import { fingerprint, hex, inspector, nonce, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasRedisServer) console.warn(missingRedisMessage);

// The bin runs from dist/: `pnpm --filter @a1/store-redis build` first (turbo does).
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

// The operator steps of "Lost data": arm a new deployment once, re-arm after a loss.
describe.skipIf(!hasRedisServer)('a1-store-redis (the operator command)', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    server = await startRedisServer({ password: 'cli-Secret-Pw5' });
    redis = inspector(server.url);
    env = { A1_REDIS_URL: server.url, A1_REDIS_TIMEOUT_MS: String(SHARED_MACHINE_TIMEOUT_MS) };
    dir = mkdtempSync(join(tmpdir(), 'a1-store-redis-cli-'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('status, arm, arm again, then the stores work; no password in any output', async () => {
    const before = await cli(['status'], env);
    expect(before.code).toBe(1);
    expect(before.out).toMatch(/npx a1-store-redis arm/);

    const armed = await cli(['arm'], env);
    expect(armed).toMatchObject({ code: 0 });
    expect(armed.out).toMatch(/revocation key space \{a1:revoked\}:armed: armed\nnonce key space \{a1:nonce\}:armed: armed/);
    expect((await cli(['arm'], env)).out).toMatch(/already armed[^]*already armed/);
    const after = await cli(['status'], env);
    expect(after.code).toBe(0);
    for (const run of [before, armed, after]) expect(run.out).not.toContain(server.password);

    const nonces = RedisNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await nonces.tryConsumeBatch([nonce()])).toBe(true);
    await nonces.close();
  });

  it('after a loss: rearm restores the revocations from a file and re-arms both key spaces', async () => {
    const revocations = RedisRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    await revocations.arm();
    const fps = [fingerprint(), fingerprint()];
    await revocations.revokeBatch(fps);
    await redis.flushall();
    await expect(revocations.isRevoked(fps[0]!)).rejects.toThrow(/lost its data/);

    expect((await cli(['rearm'], env)).code).toBe(2); // says which revocations, or that there are none
    const file = join(dir, 'revoked.txt');
    writeFileSync(file, `# from the audit log\n${hex(fps[0]!)}\n\n${hex(fps[1]!).toUpperCase()}\n`);
    const rearmed = await cli(['rearm', '--revoked', file], env);
    expect(rearmed).toMatchObject({ code: 0 });
    expect(rearmed.out).toMatch(/2 revocations restored/);
    for (const fp of fps) expect(await revocations.isRevoked(fp)).toBe(true);
    expect(await revocations.isRevoked(fingerprint())).toBe(false);
    await revocations.close();
  });

  it('refuses a bad revocations file whole, naming the line, and a file that is not a regular file', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${hex(fingerprint())}\nnot-a-fingerprint\n`);
    const refused = await cli(['rearm', '--revoked', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/line 2: expected 64 hex characters/);
    expect(refused.out).not.toContain('not-a-fingerprint');
    expect((await cli(['rearm', '--revoked', dir], env)).out).toMatch(/not a regular file/);
  });
});
