import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { authorize, certFingerprint, toHex } from '@a1/core';
import { PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import type { PostgresServerHandle } from './support/postgres-server.mjs';
import { buildChain, toWire } from './support/chains.mjs';
import { startVerifiers, tally, type Verifier } from './support/verifier-processes.mjs';
import { inspector, SHARED_MACHINE_TIMEOUT_MS } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

const PROCESSES = 4;
const CALLS_PER_PROCESS = 2_500;

describe.skipIf(!hasPostgres)('authorize across 4 verifier processes sharing one PostgreSQL server', () => {
  let server: PostgresServerHandle;
  let db: pg.Client;
  let verifiers: Verifier[] = [];
  let nonces: PostgresNonceStore;
  let revocations: PostgresRevocationStore;
  const stored = async (list: Uint8Array[]) =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM a1_nonces WHERE tenant_id = '' AND nonce = ANY($1)", [list.map((n) => Buffer.from(n))]))
      .rows[0]!.n;

  beforeAll(async () => {
    server = await startMigratedServer();
    db = await inspector(server.url);
    nonces = PostgresNonceStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    revocations = PostgresRevocationStore.fromUrl(server.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    verifiers = await startVerifiers(PROCESSES, { url: server.url, stores: 'postgres' });
  });
  afterAll(async () => {
    await Promise.all(verifiers.map((v) => v.close()));
    await Promise.all([nonces?.close(), revocations?.close()]);
    await db?.end();
    await server?.stop();
  });

  it(`accepts one chain exactly once out of ${PROCESSES} × ${CALLS_PER_PROCESS} concurrent authorize calls`, async () => {
    const c = buildChain({ hops: 2 });
    const wire = toWire(c);
    const replies = await Promise.all(
      verifiers.map((v) => v.request({ kind: 'authorize', chains: [wire], repeat: CALLS_PER_PROCESS })),
    );
    const all = replies.flatMap((r) => r.outcomes ?? []);
    expect(all).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
    expect(tally(all)).toEqual({ ok: 1, NonceReplay: PROCESSES * CALLS_PER_PROCESS - 1 });
    expect(await stored(c.chain.certs.map((x) => x.nonce))).toBe(2);
  }, 600_000);

  it('never consumes part of a chain when chains sharing one nonce out of three race', async () => {
    const pairs = Array.from({ length: 50 }, () => {
      const shared = new Uint8Array(randomBytes(16));
      return [
        buildChain({ hops: 3, nonces: [new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(16)), shared] }),
        buildChain({ hops: 3, nonces: [shared, new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(16))] }),
      ] as const;
    });
    // Every A chain in processes 0 and 2, every B chain in 1 and 3, all at once.
    const [a0, b1, a2, b3] = await Promise.all(
      verifiers.map((v, i) => v.request({ kind: 'authorize', chains: pairs.map((p) => toWire(p[i % 2]!)) })),
    );
    for (const [i, pair] of pairs.entries()) {
      const aWins = [a0!, a2!].filter((r) => r.outcomes![i] === 'ok').length;
      const bWins = [b1!, b3!].filter((r) => r.outcomes![i] === 'ok').length;
      expect(aWins + bWins, `pair ${i}: exactly one of four attempts wins`).toBe(1);
      const [winner, loser] = aWins === 1 ? pair : [pair[1], pair[0]];
      expect(await stored(winner.chain.certs.map((c) => c.nonce))).toBe(3);
      const loserOnly = loser.chain.certs
        .map((c) => c.nonce)
        .filter((n) => !winner.chain.certs.some((w) => toHex(w.nonce) === toHex(n)));
      expect(loserOnly).toHaveLength(2);
      expect(await stored(loserOnly), `pair ${i}: the losing chain left no row`).toBe(0);
    }
  }, 120_000);

  it('sees a revocation issued by another process on the very next authorize, and after a server restart', async () => {
    // Revoked elsewhere, refused here.
    const first = buildChain({ hops: 2 });
    const fingerprints = first.chain.certs.map((c) => toHex(certFingerprint(c)));
    await verifiers[0]!.request({ kind: 'revoke', fingerprints: [fingerprints[1]!] });
    await expect(
      authorize(first.chain, { agentPk: first.agentPk, intent: first.intent, now: first.now, nonces, revocations }),
    ).rejects.toMatchObject({ code: 'Revoked' });

    // Revoked here, refused by every other process.
    const second = buildChain({ hops: 2 });
    await revocations.revoke(certFingerprint(second.chain.certs[0]!));
    const replies = await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', chains: [toWire(second)] })));
    expect(replies.map((r) => r.outcomes![0])).toEqual(['Revoked', 'Revoked', 'Revoked', 'Revoked']);
    expect(await stored(second.chain.certs.map((c) => c.nonce))).toBe(0);

    // The server goes down hard and comes back: the revocations are still there for everyone.
    await server.kill();
    await server.restart();
    await db.end();
    db = await inspector(server.url);
    const deadline = Date.now() + 60_000;
    let after: string[] = [];
    // The first calls after the restart may fail on connections the crash broke (StorageFailure,
    // never an accept); each verifier's pool then reconnects by itself.
    while (Date.now() < deadline) {
      const again = await Promise.all(verifiers.map((v) => v.request({ kind: 'authorize', chains: [toWire(second), toWire(first)] })));
      after = again.flatMap((r) => r.outcomes!);
      expect(after.every((o) => o === 'Revoked' || o === 'StorageFailure'), after.join()).toBe(true);
      if (after.every((o) => o === 'Revoked')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toEqual(Array(8).fill('Revoked'));
  }, 120_000);
});
