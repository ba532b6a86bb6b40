/**
 * `/v1/token/verify` (§4.7): `{"token": VerifiedToken}` as upstream and, as a pure extension for
 * the reference's TS client (§9 item 3), the bare token `{receipt, mac}`.
 */
import type { FastifyInstance } from 'fastify';
import { A1Error, parseToken, toHex, verifyToken } from '@a1/core';
import { jsonText } from '../body-json.js';
import { TEXT, type TokenVerifyRequest } from '../contract.js';
import { ContractError } from '../errors.js';
import { guard } from '../guards.js';
import { obj, writeOut } from '../json-out.js';

const tokenVerifySchema = {
  type: 'object',
  anyOf: [{ required: ['token'] }, { required: ['receipt', 'mac'] }],
} as const;

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const services = app.gateway;
  app.post<{ Body: TokenVerifyRequest }>(
    '/v1/token/verify',
    {
      onRequest: guard(app.gatewayConfig.requireKeyForAuthorize ? 'any-credential' : 'public'),
      schema: { body: tokenVerifySchema },
      config: { errorShape: 'token' },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const token = 'token' in body ? body.token : body;
      let parsed;
      try {
        parsed = parseToken(jsonText(token, request.bodyLossless));
      } catch (error) {
        if (error instanceof A1Error) throw new ContractError(422, obj([['error', TEXT.jsonShape + `token: ${error.reason ?? error.message}`]]));
        throw error;
      }
      const receipt = verifyToken(parsed, services.macKey);
      return reply.type('application/json').send(
        writeOut(
          obj([
            ['valid', true],
            ['chain_depth', receipt.chainDepth],
            ['chain_fingerprint', toHex(receipt.chainFingerprint)],
            ['verified_at_unix', receipt.verifiedAtUnix],
          ]),
        ),
      );
    },
  );
}
