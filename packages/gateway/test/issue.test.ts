import { certFingerprint, IntentTree, intentHash, parseCert, toHex, verifyCertSignature, fromHex } from '@a1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOrder } from './support/contract-client.js';
import { ADMIN_SECRET, startTestGateway, type TestGateway } from './support/gateway.js';
import { newAgent } from './support/chains.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

const agent = newAgent();
const request = (extra: Record<string, unknown> = {}) => ({ delegate_pk_hex: agent.pkHex, intents: [{ name: 'trade.equity', params: { symbol: 'AAPL' } }], ...extra });

describe('POST /v1/cert/issue (§4.1)', () => {
  it('201 with cert (reference form, upstream field order), fingerprint and scope root; verifies offline against the advertised key', async () => {
    const answer = await gw.admin.issueCert(request({ ttl_seconds: 600, max_depth: 3 }));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
    expect(keyOrder(answer.text)).toEqual(['cert', 'fingerprint_hex', 'scope_root_hex']);
    const certText = JSON.stringify(answer.json.cert);
    expect(Object.keys(answer.json.cert)).toEqual(['version', 'delegator_pk', 'delegate_pk', 'scope_root', 'scope_proof', 'nonce', 'issued_at', 'expiration_unix', 'max_depth', 'extensions', 'signature']);
    expect(answer.text).toContain(`"cert":${certText}`); // compact, byte arrays
    expect(answer.json.cert.scope_proof).toEqual({ subset_intents: [], proofs: [] });
    expect(answer.json.cert.extensions).toEqual({ fields: {} });
    const cert = parseCert(certText);
    const advertised = (await gw.client.health()).json.signing_pk_hex;
    expect(toHex(cert.delegatorPk)).toBe(advertised);
    expect(verifyCertSignature(cert)).toBe(true);
    expect(cert.expirationUnix - cert.issuedAt).toBe(600n);
    expect(cert.maxDepth).toBe(3);
    expect(answer.json.fingerprint_hex).toBe(toHex(certFingerprint(cert)));
    expect(answer.json.scope_root_hex).toBe(toHex(intentHash('trade.equity', { symbol: 'aapl' })));
  });

  it('defaults: ttl 3600, max_depth 16; params normalised as upstream', async () => {
    const answer = await gw.admin.issueCert({ delegate_pk_hex: agent.pkHex.toUpperCase(), intents: [{ name: 'trade.equity', params: { Symbol: ' AAPL ' } }] });
    expect(answer.status).toBe(201);
    const cert = parseCert(JSON.stringify(answer.json.cert));
    expect(cert.expirationUnix - cert.issuedAt).toBe(3600n);
    expect(cert.maxDepth).toBe(16);
    expect(answer.json.scope_root_hex).toBe(toHex(intentHash('trade.equity', { symbol: 'aapl' })));
  });

  it('scope root of several intents is the Merkle root', async () => {
    const answer = await gw.admin.issueCert(request({ intents: [{ name: 'b' }, { name: 'a' }, { name: 'a' }] }));
    expect(answer.status).toBe(201);
    expect(answer.json.scope_root_hex).toBe(toHex(IntentTree.build([intentHash('a'), intentHash('b')]).root()));
  });

  it('u64 values are exact: a ttl near 2^64 is refused with 400, not rounded or crashed', async () => {
    const huge = await gw.admin.issueCert(`{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"ttl_seconds":18446744073709551615}`);
    expect(huge.status).toBe(400);
    expect(huge.json.error).toMatch(/overflows/);
    const ok = await gw.admin.issueCert(`{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"ttl_seconds":9007199254740993}`);
    expect(ok.status).toBe(201);
    const exp = /"expiration_unix":(\d+)/.exec(ok.text)![1]!;
    const iat = /"issued_at":(\d+)/.exec(ok.text)![1]!;
    expect(BigInt(exp) - BigInt(iat)).toBe(9007199254740993n);
    expect(await gw.admin.issueCert(`{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"ttl_seconds":18446744073709551616}`).then((a) => a.status)).toBe(422);
  });

  it('extensions are converted as upstream: u64 numbers, strings, string arrays, anything else as JSON text', async () => {
    const answer = await gw.admin.issueCert(
      `{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"extensions":{"n":18446744073709551615,"s":"v","l":["a",1,true],"neg":-5,"b":true,"o":{"k":1}}}`,
    );
    expect(answer.status).toBe(201);
    expect(answer.text).toContain('"extensions":{"fields":{"b":"true","l":["a","1","true"],"n":18446744073709551615,"neg":"-5","o":"{\\"k\\":1}","s":"v"}}');
    const cert = parseCert(JSON.stringify(answer.json.cert).replace('18446744073709552000', '18446744073709551615'));
    expect(cert.extensions.get('n')).toEqual({ type: 'U64', value: 18446744073709551615n });
  });

  const bad: Array<[string, unknown, number, string | RegExp]> = [
    ['odd hex', { delegate_pk_hex: 'abc', intents: [{ name: 'x' }] }, 400, 'Odd number of digits'],
    ['bad hex character', { delegate_pk_hex: 'zz'.repeat(32), intents: [{ name: 'x' }] }, 400, "Invalid character 'z' at position 0"],
    ['short key', { delegate_pk_hex: 'ab'.repeat(31), intents: [{ name: 'x' }] }, 400, 'pk must be 32 bytes'],
    ['not a curve point', { delegate_pk_hex: '02' + '00'.repeat(30) + '80', intents: [{ name: 'x' }] }, 400, /^signature error/],
    ['no intents', { delegate_pk_hex: agent.pkHex, intents: [] }, 400, 'intent tree requires at least one intent'],
    ['empty action', { delegate_pk_hex: agent.pkHex, intents: [{ name: '' }] }, 400, 'wire format error: Intent action cannot be empty'],
    ['long action', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x'.repeat(257) }] }, 400, 'wire format error: Intent action exceeds maximum length of 256'],
    ['ttl 0 (crashes upstream)', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], ttl_seconds: 0 }, 400, /ttl_seconds/],
    ['empty extension key', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], extensions: { '': 'v' } }, 400, 'wire format error: extension key must not be empty'],
    ['extensions over 16 KiB', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], extensions: { k: 'v'.repeat(16384) } }, 400, 'wire format error: maximum extension byte limit exceeded'],
    ['max_depth 256', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], max_depth: 256 }, 422, /^Failed to deserialize the JSON body into the target type: /],
    ['ttl null', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], ttl_seconds: null }, 422, /^Failed to deserialize/],
    ['ttl as string', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], ttl_seconds: '60' }, 422, /^Failed to deserialize/],
    ['ttl negative', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], ttl_seconds: -1 }, 422, /^Failed to deserialize/],
    ['ttl fraction', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x' }], ttl_seconds: 1.5 }, 422, /^Failed to deserialize/],
    ['param value not a string', { delegate_pk_hex: agent.pkHex, intents: [{ name: 'x', params: { a: 1 } }] }, 422, /^Failed to deserialize/],
    ['missing intents', { delegate_pk_hex: agent.pkHex }, 422, /^Failed to deserialize/],
  ];
  for (const [name, body, status, error] of bad) {
    it(`${name} → ${status}`, async () => {
      const answer = await gw.admin.issueCert(body);
      expect(answer.status).toBe(status);
      if (typeof error === 'string') expect(answer.json.error).toBe(error);
      else expect(answer.json.error).toMatch(error);
    });
  }

  it('malformed JSON → 400, oversize → 413, missing or other content type → 415', async () => {
    const malformed = await gw.admin.issueCert('{"delegate_pk_hex": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/^Failed to parse the request body as JSON: /);
    const oversize = await gw.admin.issueCert(JSON.stringify({ ...request(), pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(oversize.status).toBe(413);
    expect(oversize.json.error).toBe('Failed to buffer the request body: length limit exceeded');
    const text = await gw.admin.issueCert(JSON.stringify(request()), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.error).toBe('Expected request with `Content-Type: application/json`');
    const none = await gw.admin.request('POST', '/v1/cert/issue');
    expect(none.status).toBe(415);
    const plusJson = await gw.admin.issueCert(JSON.stringify(request()), { 'content-type': 'application/vnd.a1+json; charset=utf-8' });
    expect(plusJson.status).toBe(201);
  });

  it('a body of exactly 2 MiB is read (then judged on its content)', async () => {
    const base = JSON.stringify({ ...request(), pad: '' });
    const body = base.replace('"pad":""', `"pad":"${'x'.repeat(2 * 1024 * 1024 - base.length)}"`);
    expect(Buffer.byteLength(body)).toBe(2 * 1024 * 1024);
    expect((await gw.admin.issueCert(body)).status).toBe(201);
  });
});

describe('issue authentication (§1.3 and named keys)', () => {
  it('no Authorization → 401 with the fixed text, before the body is read', async () => {
    const answer = await gw.client.issueCert('not even json');
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: 'invalid or missing admin secret' });
    expect(answer.headers.get('x-a1-protocol')).toBe('dyolo_v2.8.0');
  });

  it('wrong secret, lowercase scheme, two spaces, no scheme → 401', async () => {
    for (const header of ['Bearer nope', `bearer ${ADMIN_SECRET}`, `Bearer  ${ADMIN_SECRET}`, ADMIN_SECRET]) {
      const answer = await gw.client.issueCert(request(), { authorization: header });
      expect(answer.status).toBe(401);
    }
  });

  it('with no credential configured, issuance is refused by default and open only by the compatibility option', async () => {
    const closed = await startTestGateway({ env: { A1_ADMIN_SECRET: '' } });
    const open = await startTestGateway({ env: { A1_ADMIN_SECRET: '', A1_GATEWAY_OPEN_ISSUANCE: '1' } });
    try {
      expect((await closed.client.issueCert(request())).status).toBe(401);
      expect((await open.client.issueCert(request())).status).toBe(201);
    } finally {
      await Promise.all([closed.close(), open.close()]);
    }
  });
});

describe('POST /v1/cert/issue-batch (§4.2) and Idempotency-Key (§4.3)', () => {
  it('201 with bundle, issued and total, in request order', async () => {
    const agents = [newAgent(), newAgent(), newAgent()];
    const answer = await gw.admin.issueBatch({ requests: agents.map((a, i) => ({ delegate_pk_hex: a.pkHex, intents: [{ name: `op${i}` }] })) });
    expect(answer.status).toBe(201);
    expect(keyOrder(answer.text)).toEqual(['bundle', 'issued', 'total']);
    expect(Object.keys(answer.json.bundle)).toEqual(['certs', 'issued_at']);
    expect(answer.json.total).toBe(3);
    answer.json.issued.forEach((item: any, i: number) => {
      expect(item.cert).toEqual(answer.json.bundle.certs[i]);
      expect(toHex(Uint8Array.from(item.cert.delegate_pk))).toBe(agents[i]!.pkHex);
      expect(item.scope_root_hex).toBe(toHex(intentHash(`op${i}`)));
    });
  });

  it('empty list → 400; the first bad item → 400 with its message and nothing issued', async () => {
    const empty = await gw.admin.issueBatch({ requests: [] });
    expect(empty.status).toBe(400);
    expect(empty.json).toEqual({ error: 'requests array must not be empty' });
    const bad = await gw.admin.issueBatch({ requests: [request(), { delegate_pk_hex: 'abc', intents: [{ name: 'x' }] }, { delegate_pk_hex: agent.pkHex, intents: [] }] });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'Odd number of digits' });
  });

  it('the same Idempotency-Key replays the stored answer with 200, whatever the new body', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const first = await gw.admin.issueCert(request(), headers);
    const second = await gw.admin.issueCert(request({ ttl_seconds: 5 }), headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    const batchFirst = await gw.admin.issueBatch({ requests: [request()] }, headers);
    expect(batchFirst.status).toBe(201); // its own cache
  });

  it('concurrent first requests with one key issue once', async () => {
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => gw.admin.issueCert(request(), headers)));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
  });

  it('a failed issue is not stored', async () => {
    const headers = { 'idempotency-key': `fail-${Date.now()}` };
    expect((await gw.admin.issueCert({ delegate_pk_hex: 'abc', intents: [{ name: 'x' }] }, headers)).status).toBe(400);
    expect((await gw.admin.issueCert(request(), headers)).status).toBe(201);
  });
});

it('fromHex round trip sanity for the fixture key', () => {
  expect(fromHex(agent.pkHex, 'pk')).toHaveLength(32);
});

describe('duplicate keys', () => {
  it('are read last-wins on both parsing paths (small integers only, and with a large one)', async () => {
    const fast = await gw.admin.issueCert(`{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"max_depth":1,"max_depth":2}`);
    expect(fast.status).toBe(201);
    expect(fast.json.cert.max_depth).toBe(2);
    const slow = await gw.admin.issueCert(`{"delegate_pk_hex":"${agent.pkHex}","intents":[{"name":"x"}],"max_depth":1,"max_depth":3,"ttl_seconds":9007199254740993}`);
    expect(slow.status).toBe(201);
    expect(slow.json.cert.max_depth).toBe(3);
  });
});
