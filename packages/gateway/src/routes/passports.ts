/**
 * `/v1/passports/*` (§5), served only when `A1_GATEWAY_PASSPORTS_DIR` is set, and then only to the
 * admin role, inside that one directory: `path`, `output_path` and `passport_path` are file names
 * in it, never paths (upstream writes wherever the client says, unauthenticated).
 */
import type { FastifyInstance } from 'fastify';
import { A1Error, certFingerprint, type Passport } from '@a1/core';
import { ContractError } from '../errors.js';
import { guard } from '../guards.js';
import { obj, writeOut } from '../json-out.js';
import { fileNameFor, fingerprintHex, parsePassportTtl, PassportDirectory } from '../passport-files.js';

const DAY = 86_400n;

function issueAnswer(fields: { success: boolean; namespace: string; path?: string; publicKeyHex?: string; capabilities?: string[]; ttlSeconds?: bigint; expiresAt?: bigint; error?: string }) {
  const days = fields.ttlSeconds === undefined ? undefined : fields.ttlSeconds / DAY;
  return writeOut(
    obj([
      ['success', fields.success],
      ['namespace', fields.namespace],
      ['path', fields.path ?? ''],
      ['public_key_hex', fields.publicKeyHex ?? ''],
      ['capabilities', fields.capabilities ?? []],
      ['ttl_seconds', fields.ttlSeconds ?? 0n],
      ['expires_at', fields.expiresAt === undefined ? '' : `Unix timestamp: ${fields.expiresAt}  (~${days} days from now)`],
      ['error', fields.error ?? null],
    ]),
  );
}

const why = (error: unknown) => (error instanceof A1Error ? error.message : (error as NodeJS.ErrnoException).code ?? 'error');

export async function passportRoutes(app: FastifyInstance, options: { directory: string }): Promise<void> {
  const files = new PassportDirectory(options.directory);
  const admin = guard({ role: 'admin' });
  const services = app.gateway;
  const json = 'application/json';

  async function issueInto(namespace: string, capabilities: string[], ttlText: string, fileName?: string) {
    if (namespace.length === 0) return issueAnswer({ success: false, namespace, error: 'Namespace cannot be empty' });
    if (capabilities.length === 0) return issueAnswer({ success: false, namespace, error: 'At least one capability is required' });
    const ttlSeconds = parsePassportTtl(ttlText);
    if (ttlSeconds === undefined) return issueAnswer({ success: false, namespace, error: `Invalid TTL '${ttlText}'. Use '30d', '7d', '1y', '3600' etc.` });
    try {
      const { passport, path } = await files.issue(services.signer, namespace, capabilities, ttlSeconds, fileName);
      return issueAnswer({ success: true, namespace, path, publicKeyHex: services.publicKeyHex, capabilities, ttlSeconds, expiresAt: passport.cert.expirationUnix });
    } catch (error) {
      if (error instanceof A1Error) return issueAnswer({ success: false, namespace, error: error.message });
      throw error;
    }
  }

  app.post<{ Body: { namespace: string; capabilities: string[]; ttl: string; output_path?: string | null } }>(
    '/v1/passports/issue',
    {
      onRequest: admin,
      schema: { body: { type: 'object', required: ['namespace', 'capabilities', 'ttl'], properties: { namespace: { type: 'string' }, capabilities: { type: 'array', items: { type: 'string' } }, ttl: { type: 'string' }, output_path: { type: ['string', 'null'] } } } },
    },
    async (request, reply) => {
      const { namespace, capabilities, ttl, output_path: output } = request.body;
      if (output && !files.fileOf(output)) {
        return reply.type(json).send(issueAnswer({ success: false, namespace, error: 'output_path must be a file name (*.json) inside the passports directory' }));
      }
      return reply.type(json).send(await issueInto(namespace, capabilities, ttl, output ?? undefined));
    },
  );

  app.get('/v1/passports/list', { onRequest: admin }, async (_request, reply) => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const revocations = services.stores.revocations;
    const entries = [];
    for (const name of await files.names()) {
      try {
        const { passport, path } = await files.load(name);
        const expiry = passport.cert.expirationUnix;
        // Unlike upstream, a revoked passport is reported, not deleted; expiry is read from the cert.
        const revoked = await revocations.isRevoked(certFingerprintBytes(passport));
        entries.push(
          obj([
            ['filename', name],
            ['path', path],
            ['namespace', passport.namespace],
            ['capabilities', [...passport.capabilities]],
            ['expiration_unix', expiry],
            ['status', revoked ? 'revoked' : expiry < now ? 'expired' : 'valid'],
            ['fingerprint_hex', fingerprintHex(passport)],
            ['days_remaining', expiry > now ? (expiry - now) / DAY : 0n],
          ]),
        );
      } catch {
        // unreadable or not a passport: skipped, as upstream
      }
    }
    return reply.type(json).send(writeOut(obj([['passports', entries], ['directory', files.root]])));
  });

  app.get<{ Querystring: { path?: string } }>('/v1/passports/read', { onRequest: admin }, async (request, reply) => {
    const name = request.query.path;
    if (!name) throw ContractError.of(400, 'path required');
    if (!files.fileOf(name)) throw ContractError.of(403, 'access denied');
    try {
      const { text } = await files.load(name);
      return reply.type(json).send(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw ContractError.of(404, 'file not found');
      throw ContractError.of(422, 'invalid passport file');
    }
  });

  app.post<{ Body: { path: string; ttl: string } }>(
    '/v1/passports/renew',
    { onRequest: admin, schema: { body: { type: 'object', required: ['path', 'ttl'], properties: { path: { type: 'string' }, ttl: { type: 'string' } } } } },
    async (request, reply) => {
      const { path: name, ttl } = request.body;
      let current;
      try {
        current = await files.load(name);
      } catch (error) {
        const status = (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES' ? 404 : 400;
        const text = status === 404 ? `Cannot read passport at '${name}': ${why(error)}` : `Invalid passport JSON: ${why(error)}`;
        return reply.code(status).type(json).send(writeOut(obj([['success', false], ['error', text]])));
      }
      return reply.type(json).send(await issueInto(current.passport.namespace, [...current.passport.capabilities], ttl, name));
    },
  );

  app.post<{ Body: { namespace: string; passport_path?: string | null } }>(
    '/v1/passports/revoke-by-namespace',
    { onRequest: admin, schema: { body: { type: 'object', required: ['namespace'], properties: { namespace: { type: 'string' }, passport_path: { type: ['string', 'null'] } } } } },
    async (request, reply) => {
      const { namespace, passport_path: given } = request.body;
      const answer = (fields: { success: boolean; fingerprint?: string; error?: string }) =>
        reply.type(json).send(writeOut(obj([['success', fields.success], ['namespace', namespace], ['fingerprint_hex', fields.fingerprint ?? null], ['error', fields.error ?? null]])));
      if (namespace.length === 0) return answer({ success: false, error: 'Namespace cannot be empty' });
      const name = given ?? fileNameFor(namespace);
      let loaded;
      try {
        loaded = await files.load(name);
      } catch (error) {
        return answer({ success: false, error: `Could not load passport at '${name}': ${why(error)}` });
      }
      const fingerprint = fingerprintHex(loaded.passport);
      try {
        await services.stores.revocations.revoke(certFingerprintBytes(loaded.passport));
      } catch (error) {
        return answer({ success: false, fingerprint, error: `Revocation store error: ${why(error)}` });
      }
      await files.remove(loaded.path);
      return answer({ success: true, fingerprint });
    },
  );

  app.post<{ Body: { passports: Array<{ path?: string; namespace?: string; content: unknown }> } }>(
    '/v1/passports/restore',
    { onRequest: admin, schema: { body: { type: 'object', required: ['passports'], properties: { passports: { type: 'array', items: { type: 'object', required: ['content'] } } } } } },
    async (request, reply) => {
      let restored = 0;
      let skipped = 0;
      for (const [i, item] of request.body.passports.entries()) {
        const name = item.namespace ? fileNameFor(item.namespace) : item.path ? item.path.split(/[\\/]/).pop()! : `restored-${i}.json`;
        if (await files.restore(name, item.content)) restored++;
        else skipped++;
      }
      return reply.type(json).send(writeOut(obj([['success', true], ['restored', restored], ['skipped', skipped], ['error', null]])));
    },
  );
}

function certFingerprintBytes(passport: Passport): Uint8Array {
  return certFingerprint(passport.cert);
}
