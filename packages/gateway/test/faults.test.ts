// Faults: a throttled, down or slow KMS answers the documented status, issues nothing and leaves
// the process healthy; a Redis outage makes authorize fail closed (503 STORAGE_ERROR).
import { LocalSigner, toHex } from '@a1/core';
import { startAwsKms } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storesFromUri } from '../src/index.js';
import { oneHopChain } from './support/contract-client.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { findRedisServer, INSTALL_HINT, startRedisServer } from './support/redis.js';

type Started<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;
let aws: Started<typeof startAwsKms>;
let gw: TestGateway;

const agent = LocalSigner.generate();
const issueBody = (name = 'x') => ({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name }] });

beforeAll(async () => {
  aws = await startAwsKms();
  aws.createKey({ alias: 'alias/gw-faults' });
  const { endpoint, region, credentials } = aws.clientConfig();
  const signer = new AwsKmsSigner({ keyId: 'alias/gw-faults', endpoint, region, clientConfig: { credentials }, timeoutMs: 1_500, maxAttempts: 1 });
  gw = await startTestGateway({ signer });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await aws?.close();
});

describe('KMS faults during issuance', () => {
  const cases = [
    { fault: { kind: 'throttle' as const }, status: 503, code: 'SIGNER_THROTTLED', retryAfter: '1' },
    { fault: { kind: 'unavailable' as const }, status: 503, code: 'SIGNER_UNAVAILABLE', retryAfter: '1' },
    { fault: { kind: 'latency' as const, ms: 4_000 }, status: 504, code: 'SIGNER_TIMEOUT', retryAfter: null },
    { fault: { kind: 'garbage-signature' as const }, status: 502, code: 'SIGNER_INVALID_RESPONSE', retryAfter: null },
  ];
  for (const { fault, status, code, retryAfter } of cases) {
    it(`${fault.kind} → ${status} ${code}; nothing issued; the process stays healthy`, async () => {
      aws.faults.clear();
      aws.faults.inject({ fault, operation: 'Sign' });
      try {
        const headers = { 'idempotency-key': `fault-${fault.kind}` };
        const answer = await gw.admin.issueCert(issueBody(), headers);
        expect(answer.status).toBe(status);
        expect(answer.json).toMatchObject({ error_code: code, code });
        expect(answer.json.cert).toBeUndefined();
        expect(answer.json.error).toMatch(/nothing was issued/);
        expect(answer.headers.get('retry-after')).toBe(retryAfter);
        const batch = await gw.admin.issueBatch({ requests: [issueBody('a'), issueBody('b'), issueBody('c')] });
        expect(batch.status).toBe(status);
        expect(batch.json.bundle).toBeUndefined();
        expect((await gw.client.health()).status).toBe(200);
        aws.faults.clear();
        // The failure was not stored under the idempotency key: the retry issues.
        expect((await gw.admin.issueCert(issueBody(), headers)).status).toBe(201);
      } finally {
        aws.faults.clear();
      }
    });
  }

  it('one failing signature in a batch fails the whole batch; later batches succeed', async () => {
    aws.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign', times: 1 });
    const batch = await gw.admin.issueBatch({ requests: Array.from({ length: 6 }, (_, i) => issueBody(`op${i}`)) });
    expect(batch.status).toBe(503);
    expect(batch.json.issued).toBeUndefined();
    const ok = await gw.admin.issueBatch({ requests: Array.from({ length: 6 }, (_, i) => issueBody(`op${i}`)) });
    expect(ok.status).toBe(201);
    expect(ok.json.total).toBe(6);
  });

  it('the public key was fetched once for the whole process', () => {
    expect(aws.calls.get('GetPublicKey')).toBe(1);
  });
});

const redisAvailable = findRedisServer() !== undefined;
if (!redisAvailable && process.env.CI === 'true') throw new Error(`CI=true and redis-server is not installed; ${INSTALL_HINT}`);

describe.skipIf(!redisAvailable)('Redis down', () => {
  it('authorize fails closed with 503 STORAGE_ERROR, readiness reports it, liveness does not; service resumes', async () => {
    const redis = await startRedisServer();
    const stores = await storesFromUri(redis.url, { timeoutMs: 1_000 });
    await stores.arm!(); // a new deployment's one-time step
    const local = await startTestGateway({ stores });
    try {
      const pk = local.services.publicKeyHex;
      const issued = (await local.admin.issueCert(issueBody())).json;
      const body = { chain: oneHopChain(pk, issued), intent_name: 'x', executor_pk_hex: toHex(agent.verifyingKey()) };
      expect((await local.client.request('GET', '/readyz')).status).toBe(200);
      redis.pause(); // hung: connections open, nothing answered

      const refused = await local.client.authorize(body);
      expect(refused.status).toBe(503);
      expect(refused.json.error_code).toBe('STORAGE_ERROR');
      expect(refused.json.error).toMatch(/^storage backend failure: transient storage error: /);
      expect(refused.text).not.toContain(redis.password);
      const batch = await local.client.authorizeBatch({ chain: body.chain, executor_pk_hex: body.executor_pk_hex, intents: [{ name: 'x' }] });
      expect(batch.status).toBe(200);
      expect(batch.json.all_authorized).toBe(false);
      expect(batch.json.results[0].error).toMatch(/^batch authorization failed at index 0: storage backend failure: /);
      // (Another fingerprint: a write that timed out here may still land when Redis wakes up.)
      expect((await local.admin.revoke('ef'.repeat(32))).status).toBe(500);
      expect((await local.client.certStatus(issued.fingerprint_hex)).status).toBe(500);
      const ready = await local.client.request('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json.store.ok).toBe(false);
      expect(ready.text).not.toContain(redis.password);
      expect((await local.client.health()).status).toBe(200);
      expect(local.logs.join('\n')).not.toContain(redis.password);

      redis.resume();
      // Nothing was consumed while Redis was down: the chain still authorizes.
      let answer = await local.client.authorize(body);
      for (let i = 0; i < 50 && answer.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 200));
        answer = await local.client.authorize(body);
      }
      expect(answer.status, answer.text).toBe(200);
    } finally {
      await local.close();
      await redis.stop();
    }
  });
});
