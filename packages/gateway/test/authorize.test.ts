import { CertBuilder, chainFingerprint, parseSignedChain, toHex, NarrowingMatrix, LocalSigner, serializeCert, intentHash } from '@a1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOrder, oneHopChain } from './support/contract-client.js';
import { chainOf, issueFor, newAgent } from './support/chains.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

let gw: TestGateway;
let pk: string;
beforeAll(async () => {
  gw = await startTestGateway();
  pk = gw.services.publicKeyHex;
});
afterAll(() => gw?.close());

const intent = { intent_name: 'trade.equity', intent_params: { symbol: 'AAPL' } };

describe('POST /v1/authorize (§4.5)', () => {
  it('200 in upstream field order; the chain authorizes exactly once (NONCE_REPLAY after)', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 1);
    const answer = await gw.client.authorize({ chain, ...intent, executor_pk_hex: executor.pkHex });
    expect(answer.status).toBe(200);
    expect(keyOrder(answer.text)).toEqual(['authorized', 'chain_depth', 'chain_fingerprint', 'verified_at_unix', 'error_code', 'receipt']);
    expect(answer.text).toContain('"error_code":null');
    const expectedFp = toHex(chainFingerprint(parseSignedChain(JSON.stringify(chain))));
    expect(answer.json).toMatchObject({ authorized: true, chain_depth: 1, chain_fingerprint: expectedFp });
    expect(Object.keys(answer.json.receipt)).toEqual(['chain_depth', 'fingerprint_hex', 'verified_at_unix', 'passport_namespace', 'capability_mask_hex', 'narrowing_commitment_hex']);
    expect(answer.json.receipt).toMatchObject({
      chain_depth: 1,
      fingerprint_hex: expectedFp,
      passport_namespace: '',
      capability_mask_hex: '0'.repeat(64),
      narrowing_commitment_hex: toHex(NarrowingMatrix.empty().commitment()),
    });
    const again = await gw.client.authorize({ chain, ...intent, executor_pk_hex: executor.pkHex });
    expect(again.status).toBe(403);
    expect(again.json).toEqual({ error: 'nonce has already been consumed', error_code: 'NONCE_REPLAY', code: 'NONCE_REPLAY' });
  });

  it('3-hop chains authorize; /v1/passport/authorize is the same handler', async () => {
    const a = await chainOf(gw.admin, pk, 3);
    expect((await gw.client.authorize({ chain: a.chain, ...intent, executor_pk_hex: a.executor.pkHex })).json.chain_depth).toBe(3);
    const b = await chainOf(gw.admin, pk, 2);
    const answer = await gw.client.passportAuthorize({ chain: b.chain, ...intent, executor_pk_hex: b.executor.pkHex });
    expect(answer.status).toBe(200);
    expect(answer.json.receipt.chain_depth).toBe(2);
  });

  it('return_token adds a token with byte-array hashes that /v1/token/verify accepts, wrapped or bare', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 1);
    const answer = await gw.client.authorize({ chain, ...intent, executor_pk_hex: executor.pkHex, return_token: true, request_id: null });
    expect(answer.status).toBe(200);
    expect(keyOrder(answer.text).at(-1)).toBe('token');
    const token = answer.json.token;
    expect(Object.keys(token)).toEqual(['receipt', 'mac']);
    expect(Object.keys(token.receipt)).toEqual(['chain_depth', 'verified_scope_root', 'intent', 'verified_at_unix', 'chain_fingerprint']);
    expect(token.receipt.intent).toHaveLength(32);
    for (const body of [{ token }, token]) {
      const verified = await gw.client.verifyToken(body);
      expect(verified.status).toBe(200);
      expect(keyOrder(verified.text)).toEqual(['valid', 'chain_depth', 'chain_fingerprint', 'verified_at_unix']);
      expect(verified.json).toEqual({ valid: true, chain_depth: 1, chain_fingerprint: answer.json.chain_fingerprint, verified_at_unix: answer.json.verified_at_unix });
    }
    const forged = { ...token, mac: token.mac.replace(/^./, (c: string) => (c === '0' ? '1' : '0')) };
    expect(await gw.client.verifyToken({ token: forged }).then((a) => [a.status, a.json])).toEqual([401, { valid: false, error: 'MAC verification failed' }]);
    expect(await gw.client.verifyToken({ token: { ...token, mac: 'zz' } }).then((a) => [a.status, a.json.error])).toEqual([401, 'wire format error: invalid MAC hex']);
    expect(await gw.client.verifyToken({ token: { ...token, mac: 'ab' } }).then((a) => [a.status, a.json.error])).toEqual([401, 'wire format error: MAC must be 32 bytes']);
    expect((await gw.client.verifyToken({ token: { ...token, receipt: { ...token.receipt, intent: 'ab' } } })).status).toBe(422);
    expect((await gw.client.verifyToken({ nothing: 1 })).status).toBe(422);
  });

  it('a revoked cert is refused with CERT_REVOKED; failed attempts consume nothing', async () => {
    const { chain, executor, issued } = await chainOf(gw.admin, pk, 1);
    const wrongIntent = await gw.client.authorize({ chain, intent_name: 'other', executor_pk_hex: executor.pkHex });
    expect(wrongIntent.json).toMatchObject({ error_code: 'SCOPE_VIOLATION', error: 'execution intent is not within the terminal scope' });
    expect((await gw.admin.revoke(issued.fingerprint_hex)).status).toBe(200);
    const answer = await gw.client.authorize({ chain, ...intent, executor_pk_hex: executor.pkHex });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ error: 'delegation certificate has been revoked', error_code: 'CERT_REVOKED', code: 'CERT_REVOKED' });
  });

  it('verdicts keep upstream codes and texts (403)', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 2);
    const stranger = newAgent();
    const cases: Array<[unknown, string, string | RegExp]> = [
      [{ chain, ...intent, executor_pk_hex: stranger.pkHex }, 'AUTHORIZATION_FAILED', 'executing agent is not the terminal delegate'],
      [{ chain: { ...chain, principal_pk: stranger.pkHex }, ...intent, executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', 'chain does not anchor to the declared principal'],
      [{ chain: { ...chain, certs: [] }, ...intent, executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', 'delegation chain is empty'],
      [{ chain: { ...chain, certs: [chain.certs[0], chain.certs[0]] }, ...intent, executor_pk_hex: executor.pkHex }, 'CHAIN_BROKEN_LINKAGE', 'delegation linkage broken at hop 1'],
      [{ chain, ...intent, executor_pk_hex: 'xyz' }, 'AUTHORIZATION_FAILED', 'wire format error: invalid executor_pk_hex'],
      [{ chain, ...intent, executor_pk_hex: 'abcd' }, 'AUTHORIZATION_FAILED', 'wire format error: executor_pk must be 32 bytes'],
      [{ chain, ...intent, executor_pk_hex: '02' + '00'.repeat(30) + '80' }, 'AUTHORIZATION_FAILED', 'wire format error: invalid executor Ed25519 key'],
      [{ chain, intent_name: '', executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', 'wire format error: Intent action cannot be empty'],
      [{ chain: { ...chain, version: 2 }, ...intent, executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', 'unsupported certificate version: expected 1, got 2'],
      [{ chain: { ...chain, principal_pk: 'abc' }, ...intent, executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', /^wire format error: principal_pk: /],
      [{ chain: { ...chain, principal_scope: 'ab' }, ...intent, executor_pk_hex: executor.pkHex }, 'AUTHORIZATION_FAILED', 'wire format error: principal_scope must be 32 bytes'],
    ];
    for (const [body, code, text] of cases) {
      const answer = await gw.client.authorize(body);
      expect(answer.status).toBe(403);
      expect(answer.json.error_code).toBe(code);
      expect(answer.json.code).toBe(code);
      if (typeof text === 'string') expect(answer.json.error).toBe(text);
      else expect(answer.json.error).toMatch(text);
    }
    // Executor errors come before chain conversion errors (§4.5 order).
    const both = await gw.client.authorize({ chain: { ...chain, version: 2 }, ...intent, executor_pk_hex: 'xyz' });
    expect(both.json.error).toBe('wire format error: invalid executor_pk_hex');
    // Nothing above consumed the chain.
    expect((await gw.client.authorize({ chain, ...intent, executor_pk_hex: executor.pkHex })).status).toBe(200);
  });

  it('an expired cert is CERT_EXPIRED; a tampered signature INVALID_SIGNATURE', async () => {
    const gatewayKey = LocalSigner.generate();
    const other = await startTestGateway({ signer: gatewayKey });
    try {
      const agent = newAgent();
      const scope = intentHash('x');
      const old = new CertBuilder({ delegatePk: agent.signer.verifyingKey(), scopeRoot: scope, issuedAt: 1000n, expirationUnix: 2000n }).build(gatewayKey);
      const chain = { version: 1, principal_pk: other.services.publicKeyHex, principal_scope: toHex(scope), certs: [JSON.parse(serializeCert(old))] };
      const expired = await other.client.authorize({ chain, intent_name: 'x', executor_pk_hex: agent.pkHex });
      expect(expired.json.error_code).toBe('CERT_EXPIRED');
      expect(expired.json.error).toMatch(/^delegation at hop 0 has expired \(expiry=2000, now=\d+\)$/);
      const issued = await issueFor(other.admin, agent, [{ name: 'x' }]);
      const tampered = oneHopChain(other.services.publicKeyHex, issued) as any;
      tampered.certs[0].signature[0] ^= 1;
      const bad = await other.client.authorize({ chain: tampered, intent_name: 'x', executor_pk_hex: agent.pkHex });
      expect(bad.json).toMatchObject({ error_code: 'INVALID_SIGNATURE', error: 'invalid signature at hop 0' });
    } finally {
      await other.close();
    }
  });

  it('shape errors are 422: hex-form certs, missing fields, wrong types', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 1);
    const hexCert = { ...(chain.certs[0] as any), delegator_pk: pk };
    const cases = [
      { chain: { ...chain, certs: [hexCert] }, ...intent, executor_pk_hex: executor.pkHex },
      { chain: { ...chain, certs: [{ ...(chain.certs[0] as any), nonce: [1, 2] }] }, ...intent, executor_pk_hex: executor.pkHex },
      { chain: { ...chain, certs: [{ ...(chain.certs[0] as any), delegate_pk: Array(32).fill(255) }] }, ...intent, executor_pk_hex: executor.pkHex },
      { chain, intent_name: 'x' },
      { chain, ...intent, executor_pk_hex: executor.pkHex, return_token: 'yes' },
      { chain, intent_name: 'x', intent_params: { a: 1 }, executor_pk_hex: executor.pkHex },
      { chain: { ...chain, version: 256 }, ...intent, executor_pk_hex: executor.pkHex },
    ];
    for (const body of cases) {
      const answer = await gw.client.authorize(body);
      expect(answer.status).toBe(422);
      expect(answer.json.error).toMatch(/^Failed to deserialize the JSON body into the target type: /);
    }
  });

  it('the last cert\'s passport extensions are echoed in the receipt', async () => {
    const agent = newAgent();
    const mask = 'ff'.repeat(32);
    const issued = await issueFor(gw.admin, agent, [{ name: 'x' }], { extensions: { 'dyolo.passport.namespace': 'acme', 'dyolo.passport.mask': mask } });
    const answer = await gw.client.passportAuthorize({ chain: oneHopChain(pk, issued), intent_name: 'x', intent_params: {}, executor_pk_hex: agent.pkHex });
    expect(answer.json.receipt).toMatchObject({ passport_namespace: 'acme', capability_mask_hex: mask, narrowing_commitment_hex: toHex(NarrowingMatrix.fromHex(mask).commitment()) });
  });
});

describe('POST /v1/authorize/batch (§4.6)', () => {
  const batch = (chain: unknown, executor: string, names: string[]) => ({ chain, executor_pk_hex: executor, intents: names.map((name) => ({ name, params: { symbol: 'aapl' } })) });

  it('all items hit: 200, nonces consumed once; the same chain again → every item NONCE_REPLAY', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 2);
    const answer = await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['trade.equity', 'trade.equity']));
    expect(answer.status).toBe(200);
    expect(keyOrder(answer.text)).toEqual(['all_authorized', 'authorized_count', 'total_count', 'results']);
    expect(answer.json).toMatchObject({ all_authorized: true, authorized_count: 2, total_count: 2 });
    expect(Object.keys(answer.json.results[0])).toEqual(['intent_name', 'authorized', 'chain_fingerprint']);
    const replay = await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['trade.equity']));
    expect(replay.json.results[0]).toEqual({ intent_name: 'trade.equity', authorized: false, error: 'nonce has already been consumed', error_code: 'NONCE_REPLAY' });
  });

  it('a miss: hits still read authorized, nothing consumed', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 1);
    const answer = await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['trade.equity', 'other']));
    expect(answer.json).toMatchObject({ all_authorized: false, authorized_count: 1, total_count: 2 });
    expect(answer.json.results[1]).toEqual({
      intent_name: 'other',
      authorized: false,
      error: 'batch authorization failed at index 1: execution intent is not within the terminal scope',
      error_code: 'BATCH_ITEM_FAILED',
    });
    expect((await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['trade.equity']))).json.all_authorized).toBe(true);
  });

  it('first intent fails the chain check → every item BATCH_ITEM_FAILED with its index; revoked → CERT_REVOKED', async () => {
    const { chain, executor, issued } = await chainOf(gw.admin, pk, 1);
    const stranger = newAgent();
    const wrong = await gw.client.authorizeBatch(batch(chain, stranger.pkHex, ['trade.equity', 'trade.equity']));
    expect(wrong.json.results.map((r: any) => r.error)).toEqual([
      'batch authorization failed at index 0: executing agent is not the terminal delegate',
      'batch authorization failed at index 1: executing agent is not the terminal delegate',
    ]);
    await gw.admin.revoke(issued.fingerprint_hex);
    const revoked = await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['trade.equity', 'other']));
    expect(revoked.json.results.map((r: any) => r.error_code)).toEqual(['CERT_REVOKED', 'CERT_REVOKED']);
  });

  it('empty intents → all_authorized without checking the chain; pre-check errors → 400', async () => {
    const { chain, executor } = await chainOf(gw.admin, pk, 1);
    expect((await gw.client.authorizeBatch({ chain: { ...chain, certs: [] }, executor_pk_hex: executor.pkHex, intents: [] })).json).toEqual({ all_authorized: true, authorized_count: 0, total_count: 0, results: [] });
    const tooMany = await gw.client.authorizeBatch(batch(chain, executor.pkHex, Array(257).fill('trade.equity')));
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toEqual({ error: 'wire format error: Batch size 257 exceeds maximum allowed of 256', error_code: 'AUTHORIZATION_FAILED', code: 'AUTHORIZATION_FAILED' });
    const badKey = await gw.client.authorizeBatch(batch(chain, 'zz', ['trade.equity']));
    expect([badKey.status, badKey.json.error]).toEqual([400, 'wire format error: invalid executor_pk_hex']);
    const badIntent = await gw.client.authorizeBatch(batch(chain, executor.pkHex, ['']));
    expect([badIntent.status, badIntent.json.error]).toEqual([400, 'wire format error: Intent action cannot be empty']);
  });
});
