// Four a1-gateway processes sharing one real Redis: a revocation through one is honoured by the
// other three on their next request, and one chain's nonce is consumed exactly once under 2,000
// concurrent authorize calls spread across all four.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner, toHex } from '@a1/core';
import { createRedisClient } from '@a1/store-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storesFromUri } from '../src/index.js';
import { ContractClient, oneHopChain } from './support/contract-client.js';
import { baseEnv, startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { findRedisServer, INSTALL_HINT, startRedisServer, type RedisServerHandle } from './support/redis.js';

const available = findRedisServer() !== undefined;
if (!available && process.env.CI === 'true') throw new Error(`CI=true and redis-server is not installed; ${INSTALL_HINT}`);

const SECRET = 'replicas-admin-secret';
const dir = mkdtempSync(join(tmpdir(), 'a1-gateway-replicas-'));
let redis: RedisServerHandle;
let gateways: GatewayProcess[] = [];
let clients: ContractClient[] = [];

beforeAll(async () => {
  if (!available) return;
  redis = await startRedisServer();
  // A new deployment arms its key spaces once (npx a1-store-redis arm), in both layouts used here.
  for (const layout of ['a1', 'reference'] as const) {
    const stores = await storesFromUri(redis.url, { redisKeyLayout: layout });
    await stores.arm!();
    await stores.close();
  }
  writeFileSync(join(dir, 'root.key'), `${toHex(LocalSigner.generate().exportSeed())}\n`, { mode: 0o600 });
  const env = baseEnv({
    A1_GATEWAY_SIGNER: 'file:./root.key',
    A1_ADMIN_SECRET: SECRET,
    A1_GATEWAY_STORE: redis.url,
    A1_GATEWAY_MAC_KEY: '5a'.repeat(32),
    A1_RATE_LIMIT_RPS: '100000',
    A1_GATEWAY_LOG_LEVEL: 'warn',
    A1_GATEWAY_STORE_TIMEOUT_MS: '10000',
  });
  gateways = await Promise.all(Array.from({ length: 4 }, () => startGatewayProcess(env, { cwd: dir })));
  clients = gateways.map((g) => new ContractClient(g.url));
}, 180_000);

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('4 gateway processes on one Redis', () => {
  it('a revocation through one is refused by the other three', async () => {
    const admin = clients[0]!.with({ credential: SECRET });
    const pk = (await clients[0]!.health()).json.signing_pk_hex as string;
    expect((await clients[3]!.health()).json.storage_backend).toBe('redis');
    const agents = [0, 1, 2, 3].map(() => LocalSigner.generate());
    const issued = await Promise.all(agents.map((a) => admin.issueCert({ delegate_pk_hex: toHex(a.verifyingKey()), intents: [{ name: 'x' }] })));
    const target = issued[0]!.json;
    expect((await clients[1]!.with({ credential: SECRET }).revoke(target.fingerprint_hex)).status).toBe(200);
    for (const i of [0, 2, 3]) expect((await clients[i]!.certStatus(target.fingerprint_hex)).json.revoked).toBe(true);
    // The revoked chain is refused everywhere; the others (fresh chains) pass, one per process.
    for (const i of [0, 2, 3]) {
      const refused = await clients[i]!.authorize({ chain: oneHopChain(pk, target), intent_name: 'x', executor_pk_hex: toHex(agents[0]!.verifyingKey()) });
      expect([i, refused.status, refused.json.error_code]).toEqual([i, 403, 'CERT_REVOKED']);
    }
    for (const i of [1, 2, 3]) {
      const ok = await clients[i]!.authorize({ chain: oneHopChain(pk, issued[i]!.json), intent_name: 'x', executor_pk_hex: toHex(agents[i]!.verifyingKey()) });
      expect(ok.status).toBe(200);
    }
  });

  it('one nonce is consumed exactly once across all four under 2,000 concurrent authorize calls', async () => {
    const admin = clients[2]!.with({ credential: SECRET });
    const pk = (await clients[2]!.health()).json.signing_pk_hex as string;
    const agent = LocalSigner.generate();
    const issued = await admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'x' }] });
    const body = JSON.stringify({ chain: oneHopChain(pk, issued.json), intent_name: 'x', executor_pk_hex: toHex(agent.verifyingKey()) });
    const answers = await Promise.all(Array.from({ length: 2000 }, (_, i) => clients[i % 4]!.authorize(body)));
    const ok = answers.filter((a) => a.status === 200);
    const replays = answers.filter((a) => a.status === 403 && a.json.error_code === 'NONCE_REPLAY');
    const other = answers.filter((a) => a.status !== 200 && !(a.status === 403 && a.json.error_code === 'NONCE_REPLAY'));
    expect(other.map((a) => `${a.status} ${a.text}`).slice(0, 3)).toEqual([]);
    expect(ok).toHaveLength(1);
    expect(replays).toHaveLength(1999);
  });

  it('the reference key layout writes a1:rev:<hex> and a1:nonce:<hex> (§7.1)', async () => {
    const env = baseEnv({
      A1_GATEWAY_SIGNER: 'file:./root.key',
      A1_ADMIN_SECRET: SECRET,
      A1_GATEWAY_STORE: redis.url,
      A1_GATEWAY_REDIS_KEY_LAYOUT: 'reference',
      A1_GATEWAY_MAC_KEY: '5a'.repeat(32),
      A1_GATEWAY_LOG_LEVEL: 'warn',
    });
    const reference = await startGatewayProcess(env, { cwd: dir });
    const redisClient = createRedisClient(redis.url, 5000, { enableOfflineQueue: true });
    try {
      const client = new ContractClient(reference.url);
      const admin = client.with({ credential: SECRET });
      const fp = 'cd'.repeat(32);
      expect((await admin.revoke(fp)).status).toBe(200);
      expect(await redisClient.exists(`a1:rev:${fp}`)).toBe(1);
      // A revocation written by an upstream gateway (same key, its value) is honoured.
      const agent = LocalSigner.generate();
      const issued = (await admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'x' }] })).json;
      await redisClient.set(`a1:rev:${issued.fingerprint_hex}`, '1');
      const pk = (await client.health()).json.signing_pk_hex as string;
      const refused = await client.authorize({ chain: oneHopChain(pk, issued), intent_name: 'x', executor_pk_hex: toHex(agent.verifyingKey()) });
      expect(refused.json.error_code).toBe('CERT_REVOKED');
      // Nonces land under a1:nonce:<hex of the 16-byte nonce>.
      const other = LocalSigner.generate();
      const fresh = (await admin.issueCert({ delegate_pk_hex: toHex(other.verifyingKey()), intents: [{ name: 'x' }] })).json;
      expect((await client.authorize({ chain: oneHopChain(pk, fresh), intent_name: 'x', executor_pk_hex: toHex(other.verifyingKey()) })).status).toBe(200);
      expect(await redisClient.exists(`a1:nonce:${toHex(Uint8Array.from(fresh.cert.nonce))}`)).toBe(1);
    } finally {
      redisClient.disconnect();
      await reference.stop();
    }
  });
});
