/**
 * Authorization (§4.5, §4.6): `/v1/authorize` and `/v1/passport/authorize` (one handler), and
 * `/v1/authorize/batch`. Public by default, as upstream; an option requires a credential.
 */
import type { FastifyInstance } from 'fastify';
import { authorize, serializeToken, signToken, toHex } from '@a1/core';
import { authorizeBatchItems } from '../batch-authorize.js';
import { executorKey, intentOf, readChain } from '../chain-input.js';
import { MAX_BATCH_INTENTS, type AuthorizeRequest, type BatchAuthorizeRequest } from '../contract.js';
import { guard } from '../guards.js';
import { obj, RawJson, writeOut } from '../json-out.js';
import { passportFields, receiptJson } from '../receipt-json.js';
import { A1Error } from '@a1/core';
import { intentSpecSchema, signedChainSchema } from './schemas.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const authorizeSchema = {
  type: 'object',
  required: ['chain', 'intent_name', 'executor_pk_hex'],
  properties: {
    chain: signedChainSchema,
    intent_name: { type: 'string' },
    intent_params: stringMap,
    executor_pk_hex: { type: 'string' },
    return_token: { type: 'boolean' },
    request_id: { type: ['string', 'null'] },
  },
} as const;

const batchSchema = {
  type: 'object',
  required: ['chain', 'executor_pk_hex', 'intents'],
  properties: {
    chain: signedChainSchema,
    executor_pk_hex: { type: 'string' },
    intents: { type: 'array', items: intentSpecSchema },
  },
} as const;

export async function authorizeRoutes(app: FastifyInstance): Promise<void> {
  const services = app.gateway;
  const access = guard(app.gatewayConfig.requireKeyForAuthorize ? 'any-credential' : 'public');

  const single = async (request: { body: AuthorizeRequest; bodyLossless: boolean }) => {
    const body = request.body;
    const { chain, deferred } = readChain(body.chain, request.bodyLossless);
    const agentPk = executorKey(body.executor_pk_hex);
    const intent = intentOf(body.intent_name, body.intent_params);
    const passport = passportFields(chain);
    if (deferred) throw deferred;
    const receipt = await authorize(chain, { agentPk, intent, revocations: services.stores.revocations, nonces: services.stores.nonces });
    const fingerprint = toHex(receipt.chainFingerprint);
    return writeOut(
      obj([
        ['authorized', true],
        ['chain_depth', receipt.chainDepth],
        ['chain_fingerprint', fingerprint],
        ['verified_at_unix', receipt.verifiedAtUnix],
        ['error_code', null],
        ['receipt', receiptJson(receipt, passport)],
        ['token', body.return_token ? new RawJson(serializeToken(signToken(receipt, services.macKey))) : undefined],
      ]),
    );
  };

  for (const url of ['/v1/authorize', '/v1/passport/authorize']) {
    app.post<{ Body: AuthorizeRequest }>(
      url,
      { onRequest: access, schema: { body: authorizeSchema }, config: { errorShape: 'authorize' } },
      async (request, reply) => reply.type('application/json').send(await single(request)),
    );
  }

  app.post<{ Body: BatchAuthorizeRequest }>(
    '/v1/authorize/batch',
    { onRequest: access, schema: { body: batchSchema }, config: { errorShape: 'batch' } },
    async (request, reply) => {
      const body = request.body;
      // Pre-checks (400, §4.6): size, executor key, chain conversion, each intent.
      if (body.intents.length > MAX_BATCH_INTENTS) {
        throw A1Error.wire(`Batch size ${body.intents.length} exceeds maximum allowed of ${MAX_BATCH_INTENTS}`);
      }
      const { chain, deferred } = readChain(body.chain, request.bodyLossless);
      const agentPk = executorKey(body.executor_pk_hex);
      if (deferred) throw deferred;
      const intents = body.intents.map((i) => ({ name: i.name, hash: intentOf(i.name, i.params) }));
      const now = BigInt(Math.floor(Date.now() / 1000));
      const result = await authorizeBatchItems(chain, intents, {
        agentPk,
        revocations: services.stores.revocations,
        nonces: services.stores.nonces,
        now,
      });
      const results = result.results.map((r) =>
        obj([
          ['intent_name', r.intent_name],
          ['authorized', r.authorized],
          ['chain_fingerprint', r.chain_fingerprint],
          ['error', r.error],
          ['error_code', r.error_code],
        ]),
      );
      return reply.type('application/json').send(
        writeOut(
          obj([
            ['all_authorized', result.all_authorized],
            ['authorized_count', result.authorized_count],
            ['total_count', result.total_count],
            ['results', results],
          ]),
        ),
      );
    },
  );
}
