/**
 * Certificates (§4.1–§4.4): issue and issue-batch (issue role; Idempotency-Key), revoke and
 * revoke-batch (revoke role unless public revocation is configured), status by fingerprint.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { A1Error } from '@a1/core';
import { TEXT, type IssueBatchRequest, type IssueCertRequest, type RevokeBatchRequest, type RevokeRequest } from '../contract.js';
import { ContractError } from '../errors.js';
import { guard } from '../guards.js';
import { hexBytes, hexProblem } from '../hex.js';
import { idempotencyKeyOf, type IdempotencyCache } from '../idempotency.js';
import { batchResponse, issueResponse, prepareCert, signBatch, signCert } from '../issuance.js';
import { obj, writeOut } from '../json-out.js';
import { issueRequestSchema } from './schemas.js';

const POST_ONLY = new Set(['issue', 'issue-batch', 'revoke', 'revoke-batch']);

/** Hex of a 32-byte fingerprint, with revoke's two errors (§4.4). */
function fingerprintOf(text: string): Uint8Array {
  if (hexProblem(text)) throw ContractError.of(400, TEXT.invalidHex);
  const bytes = hexBytes(text);
  if (bytes.length !== 32) throw ContractError.of(400, TEXT.fingerprintLength);
  return bytes;
}

/** Runs `issue` under the request's Idempotency-Key (if any): 201 fresh, 200 replayed (§4.3). */
async function idempotent(request: FastifyRequest, reply: FastifyReply, cache: IdempotencyCache, issue: () => Promise<string>) {
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  if (key === undefined) return reply.code(201).type('application/json').send(await issue());
  const caller = request.identity?.id ?? 'open';
  const { body, replayed } = await cache.run(`${caller}\u0000${key}`, issue);
  return reply.code(replayed ? 200 : 201).type('application/json').send(body);
}

export async function certRoutes(app: FastifyInstance): Promise<void> {
  const { gateway: services, gatewayConfig: config } = app;
  const openWhenUnconfigured = config.openIssuanceWithoutCredentials;
  const issueGuard = guard({ role: 'issue' }, { openWhenUnconfigured });
  const revokeGuard = guard(config.publicRevocation ? 'public' : { role: 'revoke' });

  app.post<{ Body: IssueCertRequest }>(
    '/v1/cert/issue',
    { onRequest: issueGuard, schema: { body: issueRequestSchema }, config: { errorShape: 'issue' } },
    async (request, reply) =>
      idempotent(request, reply, services.idempotency.issue, async () => {
        const prepared = prepareCert(request.body, request.bodyLossless);
        return writeOut(issueResponse(await signCert(prepared, services.signer)));
      }),
  );

  app.post<{ Body: IssueBatchRequest }>(
    '/v1/cert/issue-batch',
    {
      onRequest: issueGuard,
      schema: { body: { type: 'object', required: ['requests'], properties: { requests: { type: 'array', items: issueRequestSchema } } } },
      config: { errorShape: 'issue' },
    },
    async (request, reply) =>
      idempotent(request, reply, services.idempotency.batch, async () => {
        const { requests } = request.body;
        if (requests.length === 0) throw ContractError.of(400, TEXT.emptyBatch);
        // Every item is checked before any is signed: the first bad one (in order) is the answer.
        const prepared = requests.map((item) => prepareCert(item, request.bodyLossless));
        return batchResponse(await signBatch(prepared, services.signer, config.issueConcurrency));
      }),
  );

  app.post<{ Body: RevokeRequest }>(
    '/v1/cert/revoke',
    {
      onRequest: revokeGuard,
      schema: { body: { type: 'object', required: ['fingerprint_hex'], properties: { fingerprint_hex: { type: 'string' } } } },
      config: { errorShape: 'revoke' },
    },
    async (request, reply) => {
      const fingerprint = fingerprintOf(request.body.fingerprint_hex);
      await storeCall(() => services.stores.revocations.revoke(fingerprint));
      request.log.info({ fingerprint: request.body.fingerprint_hex.toLowerCase(), by: request.identity?.name }, 'cert revoked');
      return reply.type('application/json').send(writeOut(obj([['revoked', request.body.fingerprint_hex]])));
    },
  );

  app.post<{ Body: RevokeBatchRequest }>(
    '/v1/cert/revoke-batch',
    {
      onRequest: revokeGuard,
      schema: { body: { type: 'object', required: ['fingerprints'], properties: { fingerprints: { type: 'array', items: { type: 'string' } } } } },
      config: { errorShape: 'revoke' },
    },
    async (request, reply) => {
      const good: Uint8Array[] = [];
      const failed: string[] = [];
      for (const text of request.body.fingerprints) {
        if (text.length === 64 && !hexProblem(text)) good.push(hexBytes(text));
        else failed.push(text);
      }
      if (good.length > 0) await storeCall(() => services.stores.revocations.revokeBatch(good));
      request.log.info({ count: good.length, by: request.identity?.name }, 'certs revoked');
      return reply.type('application/json').send(writeOut(obj([['revoked_count', good.length], ['failed', failed]])));
    },
  );

  app.get<{ Params: { fingerprint: string } }>(
    '/v1/cert/:fingerprint',
    { config: { errorShape: 'revoke' } },
    async (request, reply) => {
      // The static POST routes win upstream: GET on them is 405 (issue: 401 first, as it is guarded).
      if (POST_ONLY.has(request.params.fingerprint)) {
        if (request.params.fingerprint.startsWith('issue')) await issueGuard.call(app, request, reply, () => {});
        return reply.code(405).send();
      }
      const fingerprint = fingerprintOf(request.params.fingerprint);
      // Upstream reads a store failure as "not revoked" (fails open, §4.4); here it is a 500.
      const revoked = await storeCall(() => services.stores.revocations.isRevoked(fingerprint));
      return reply.type('application/json').send(writeOut(obj([['fingerprint', request.params.fingerprint], ['revoked', revoked]])));
    },
  );
}

/** A store call whose failure (of any kind) becomes core's StorageFailure, mapped to 500 for these routes. */
async function storeCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof A1Error) throw error;
    throw new A1Error('StorageFailure', { reason: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}
