import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresNonceStore, PostgresRevocationStore } from '../src/index.js';
import { hasPostgres, missingPostgresMessage } from './support/postgres-availability.js';
import { startMigratedServer } from './support/migrated-server.js';
import { startPostgresServer, type PostgresServerHandle } from './support/postgres-server.mjs';
import { fingerprint, inspector, nonce, SHARED_MACHINE_TIMEOUT_MS, storageFailure } from './support/fixtures.js';

if (!hasPostgres) console.warn(missingPostgresMessage);

async function until(condition: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A real hot standby (pg_basebackup -R, streaming from the primary), then a failover: the primary
// dies and the standby is promoted.
describe.skipIf(!hasPostgres)('a streaming replica, before and after a failover', () => {
  let primary: PostgresServerHandle;
  let standby: PostgresServerHandle;
  const revoked = fingerprint();
  const consumed = [nonce(), nonce()];

  beforeAll(async () => {
    primary = await startMigratedServer({ password: 'failover-Secret-5' });
    const nonces = PostgresNonceStore.fromUrl(primary.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = PostgresRevocationStore.fromUrl(primary.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    expect(await nonces.tryConsumeBatch(consumed)).toBe(true);
    await revocations.revoke(revoked);
    await Promise.all([nonces.close(), revocations.close()]);
    standby = await startPostgresServer({ standbyOf: primary });
  });
  afterAll(async () => {
    await standby?.stop();
    await primary?.stop();
  });

  it('on the replica: every write is StorageFailure naming a read-only server, reads answer, nothing is accepted', async () => {
    const nonces = PostgresNonceStore.fromUrl(standby.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = PostgresRevocationStore.fromUrl(standby.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const probe = await inspector(standby.url);
    expect((await probe.query('SELECT pg_is_in_recovery() AS r')).rows[0]).toEqual({ r: true });
    await probe.end();
    const fresh = [nonce(), nonce()];
    const failure = await storageFailure(nonces.tryConsumeBatch(fresh));
    expect(failure.reason).toMatch(/read-only transaction.*the server is read-only/);
    await storageFailure(nonces.tryConsumeBatch(consumed));
    await storageFailure(revocations.revoke(fingerprint()));
    expect(await revocations.isRevoked(revoked)).toBe(true);
    expect(await nonces.isConsumed(consumed[0]!)).toBe(true);
    expect(await nonces.isConsumed(fresh[0]!)).toBe(false);
    await Promise.all([nonces.close(), revocations.close()]);
  });

  it('after the primary dies and the replica is promoted: the same stores write again, and nothing was forgotten', async () => {
    const nonces = PostgresNonceStore.fromUrl(standby.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    const revocations = PostgresRevocationStore.fromUrl(standby.url, { timeoutMs: SHARED_MACHINE_TIMEOUT_MS });
    await storageFailure(nonces.tryConsumeBatch([nonce()]));
    await primary.kill();
    await standby.promote();
    await until(async () => {
      const probe = await inspector(standby.url);
      const { r } = (await probe.query('SELECT pg_is_in_recovery() AS r')).rows[0];
      await probe.end();
      return r === false;
    }, 'the promotion to finish');
    expect(await nonces.tryConsumeBatch([nonce(), nonce()])).toBe(true);
    expect(await nonces.tryConsumeBatch(consumed)).toBe(false);
    expect(await revocations.isRevoked(revoked)).toBe(true);
    const later = fingerprint();
    await revocations.revoke(later);
    expect(await revocations.isRevoked(later)).toBe(true);
    await Promise.all([nonces.close(), revocations.close()]);
  });
});
